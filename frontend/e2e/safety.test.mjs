// End to end (issue 16): the partner covenant, review with evidence and safety
// check-ins, in Chinese and in English, against the real Go backend.
// A coordinator publishes the network's covenant, is asked to accept it (the
// banner every member who has not accepted sees) and accepts; the endorsement
// tree shows the accepted version. A demand is approved with a recorded
// call-back: the demand shows how and when it was verified, and the public
// bulletin (written by the backend's export) has the verified column and the
// text line. A field task planned back an hour ago, checked in and never
// checked out, shows in the coordinator's inbox as a missed check-out with the
// volunteer's emergency contact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT } from './backend.mjs';

const TEXT = {
  'zh-CN': { title: '同济医院需要防护服', covenant: '不泄露求助者信息；不经手钱物', accepted: '契约 v1', verified: /核实：电话回访/, textLine: '核实：电话回访', column: ['核实方式', '核实时间', '电话回访求助方'],
    skill: '司机', missed: '未签退', emergency: '紧急联系人', close: '关闭' },
  en: { title: 'Tongji hospital needs protective suits', covenant: 'Never disclose requesters; never handle money', accepted: 'covenant v1', verified: /Verified: Call-back/, textLine: 'Verified: call-back', column: ['verified', 'verified_at', 'Call-back to the requester'],
    skill: 'driver', missed: 'Missed check-out', emergency: 'Emergency contact', close: 'Close' },
};

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

for (const locale of ['zh-CN', 'en']) {
  test(`covenant, approval with a call-back, missed check-out (${locale})`, { timeout: 900_000 }, async () => {
    const t = TEXT[locale];
    const dataDir = tempDataDir();
    const backend = await startBackend(dataDir);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(URL);
      await page.locator('input[name=incident]').fill('E2E 安全演练');
      await page.locator('input[name=name]').fill('协调员甲');
      await page.locator('form button[type=submit]').click();
      await page.getByTestId(`lang-${locale}`).click();

      // the covenant: published, then asked of everyone who has not accepted it
      await page.getByTestId('nav-volunteers').click();
      await page.getByTestId('covenant-none').waitFor();
      await page.getByTestId('covenant-write').click();
      await page.getByTestId('covenant-text').fill(t.covenant);
      await page.getByTestId('covenant-publish').click();
      await page.getByTestId('covenant-banner').waitFor();
      await page.getByTestId('covenant-not-accepted').getByText('协调员甲').waitFor();
      await page.getByTestId('covenant-banner-read').click();
      assert.match(await page.getByTestId('covenant-banner-text').innerText(), new RegExp(t.covenant));
      await page.screenshot({ path: join(OUT, `e2e-${locale}-covenant-banner.png`) });
      await page.getByTestId('covenant-banner-accept').click();
      await page.getByTestId('covenant-banner').waitFor({ state: 'detached' });
      await page.getByTestId('covenant-mine').waitFor();
      await page.getByTestId('endorsement-tree').getByTestId('member-covenant').filter({ hasText: t.accepted }).waitFor();
      await page.screenshot({ path: join(OUT, `e2e-${locale}-covenant.png`), fullPage: true });

      // my profile: a skill, and whom to call if I do not come back
      await page.getByTestId('edit-profile').click();
      await page.getByTestId('profile-form').locator('input[name=skills]').fill(t.skill);
      await page.getByTestId('emergency-name').fill('家属 王');
      await page.getByTestId('emergency-phone').fill('139 0000 0000');
      await page.getByTestId('save-profile').click();
      await page.getByTestId('volunteer-table').getByText(t.skill).waitFor();

      // a demand, approved from the inbox with a recorded call-back
      await page.getByTestId('nav-demands').click();
      await page.getByTestId('record-demand').click();
      const form = page.getByTestId('demand-form');
      await form.locator('input[name=title]').fill(t.title);
      await form.locator('select[name=category]').selectOption('protective_equipment');
      await form.locator('input[name=district]').fill('江岸区');
      await form.locator('input[name="items[0].name"]').fill('防护服');
      await form.locator('input[name="items[0].quantity"]').fill('200');
      await page.getByTestId('save-demand').click();
      await page.getByTestId('demand-row').filter({ hasText: t.title }).waitFor();
      await page.getByTestId('nav-inbox').click();
      await page.getByTestId('inbox-row').filter({ hasText: t.title }).getByTestId('inbox-act').click();
      const detail = page.getByTestId('demand-detail');
      await detail.getByTestId('evidence-callback').check();
      await detail.getByTestId('evidence-caller').fill('协调员甲');
      await detail.getByTestId('evidence-outcome').fill('仍需 200 件');
      // a written reason alone would be needed without evidence: the confirm says so
      await detail.getByTestId('evidence-reason').check();
      assert.equal(await detail.getByTestId('action-confirm').isDisabled(), true, 'approve without evidence or reason');
      await detail.getByTestId('evidence-callback').check();
      await page.screenshot({ path: join(OUT, `e2e-${locale}-approve-evidence.png`) });
      await detail.getByTestId('action-confirm').click();
      await detail.getByTestId('detail-verified').waitFor();
      assert.match(await detail.getByTestId('detail-verified').innerText(), t.verified);
      for (const action of ['publish', 'claim']) {
        await detail.getByTestId(`action-${action}`).click();
        await detail.getByTestId(`action-${action}`).waitFor({ state: 'detached' });
      }

      // the public bulletin says how and when it was verified, never who
      const csv = join(dataDir, 'bulletin.csv');
      const txt = join(dataDir, 'bulletin.txt');
      await page.evaluate(([a, b]) => Promise.all([window.go.app.ImportService.ExportPublicTo(a, 'csv'), window.go.app.ImportService.ExportPublicTo(b, 'text')]), [csv, txt]);
      const lines = readFileSync(csv, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
      const head = lines[0];
      const row = lines.find((l) => /^D-/.test(l)) ?? ''; // after the header and its HXL row
      const cols = head.split(',');
      const cells = row.split(',');
      // the bulletin's headers and words are in the UI's language
      assert.equal(cells[cols.indexOf(t.column[0])], t.column[2], `bulletin: ${head}\n${row}`);
      assert.match(cells[cols.indexOf(t.column[1])], /^\d{4}-\d\d-\d\dT/);
      assert.doesNotMatch(readFileSync(csv, 'utf8'), /协调员甲/, 'no names in the public bulletin');
      assert.match(readFileSync(txt, 'utf8'), new RegExp(t.textLine));

      // a field task to myself, planned back an hour ago, checked in, never out
      await detail.locator('input[name=skill]').fill(t.skill);
      await detail.getByTestId('find-volunteers').click();
      await detail.getByTestId('offer-task').first().click();
      await detail.getByTestId('task-accept').click();
      const past = await page.evaluate(() => {
        const d = new Date(Date.now() - 3600_000);
        const p = (n) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
      });
      await detail.getByTestId('task-return').fill(past);
      await detail.getByTestId('task-set-return').click();
      await detail.getByTestId('task-check_in').click();
      await detail.getByTestId('task-missed').waitFor();
      await detail.getByRole('button', { name: t.close }).click();

      await page.getByTestId('nav-inbox').click();
      const alert = page.getByTestId('inbox-row').filter({ has: page.getByTestId('inbox-checkout') });
      await alert.waitFor();
      assert.match(await alert.innerText(), new RegExp(t.missed));
      assert.match(await alert.getByTestId('inbox-emergency').innerText(), new RegExp(`${t.emergency}[\\s\\S]*家属 王`));
      await page.screenshot({ path: join(OUT, `e2e-${locale}-missed-checkout.png`) });
      await page.getByTestId('nav-volunteers').click();
      await page.getByTestId('field-task-missed').waitFor();
      await page.screenshot({ path: join(OUT, `e2e-${locale}-field-tasks.png`) });
      // checking out ends the alert
      await page.getByTestId('field-task-check_out').click();
      await page.getByTestId('nav-inbox').click();
      await page.getByTestId('inbox-list').or(page.getByTestId('inbox-empty')).first().waitFor();
      await page.waitForFunction(() => !document.querySelector('[data-testid=inbox-checkout]'));
    } catch (e) {
      await page.screenshot({ path: join(OUT, `e2e-${locale}-safety-failure.png`) }).catch(() => {});
      e.message += `\n--- backend log ---\n${backend.log().slice(-3000)}`;
      throw e;
    } finally {
      await page.close();
      await backend.stop();
    }
  });
}
