// End to end: the real Go backend (wails dev, temp data dir) and the real
// frontend in headless Chromium. Record a demand through the form, see it in the
// list, restart the backend, see it again — in Chinese and in English — and check
// that bad input is refused with a message that names the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT } from './backend.mjs';

const TEXT = {
  'zh-CN': { heading: '需求', title: '协和医院急需 N95 口罩', titleErr: '请填写标题', qtyErr: '第 1 项物资的数量', district: '江汉区', item: 'N95口罩', unit: '只', fulfilled: '已完成', inProgress: '处理中', short: 'N95口罩 3,000 / 5,000只', skill: '司机', done: '已完成', close: '关闭', toPublish: '待发布', rules: ['负责的需求完成', '完成任务', '审核'] },
  en: { heading: 'Demands', title: 'Union Hospital needs N95 masks', titleErr: 'Title is required', qtyErr: 'quantity of item 1', district: 'Jianghan', item: 'N95 mask', unit: 'pcs', fulfilled: 'Fulfilled', inProgress: 'In progress', short: 'N95 mask 3,000 / 5,000 pcs', skill: 'driver', done: 'Done', close: 'Close', toPublish: 'To publish', rules: ['Demand fulfilled as owner', 'Task done', 'Review'] },
};

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

for (const locale of ['zh-CN', 'en']) {
  test(`record a demand, restart, see it again (${locale})`, { timeout: 900_000 }, async () => {
    const t = TEXT[locale];
    const dataDir = tempDataDir();
    let backend = await startBackend(dataDir);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(URL);
      // first start: create the network
      await page.locator('input[name=incident]').fill('E2E 测试事件');
      await page.locator('input[name=name]').fill('测试员');
      await page.locator('form button[type=submit]').click();
      await page.getByTestId(`lang-${locale}`).click();
      await page.getByRole('heading', { name: t.heading, exact: true }).waitFor();
      await page.getByTestId('demands-empty').waitFor();

      // bad input: empty title, then a negative and a non-numeric quantity
      await page.getByTestId('record-demand').click();
      const form = page.getByTestId('demand-form');
      await page.getByTestId('save-demand').click();
      assert.match(await page.getByTestId('form-error').innerText(), new RegExp(t.titleErr));
      await form.locator('input[name=title]').fill(t.title);
      await form.locator('select[name=category]').selectOption('protective_equipment');
      await form.locator('input[name=district]').fill(t.district);
      await form.locator('input[name=address]').fill('武汉市江汉区解放大道1277号');
      await form.locator('input[name="items[0].name"]').fill(t.item);
      await form.locator('input[name="items[0].unit"]').fill(t.unit);
      for (const bad of ['-5', 'abc']) {
        await form.locator('input[name="items[0].quantity"]').fill(bad);
        await page.getByTestId('save-demand').click();
        await page.waitForFunction(
          (q) => document.querySelector('[data-testid=form-error]')?.textContent?.includes(q), t.qtyErr);
        assert.equal(await page.locator('input[name="items[0].quantity"]').getAttribute('aria-invalid'), 'true');
      }
      await page.screenshot({ path: join(OUT, `e2e-${locale}-bad-input.png`) });
      assert.equal(await page.getByTestId('demand-row').count(), 0, 'nothing stored after bad input');

      await form.locator('input[name="items[0].quantity"]').fill('5000');
      await page.getByTestId('save-demand').click();
      const row = page.getByTestId('demand-row').filter({ hasText: t.title });
      await row.waitFor();
      assert.match(await row.innerText(), /D-[0-9A-Z]{6}/);
      await page.screenshot({ path: join(OUT, `e2e-${locale}-recorded.png`) });

      // restart the backend on the same data directory
      await backend.stop();
      backend = await startBackend(dataDir);
      await page.goto(URL);
      await page.getByTestId('demand-row').filter({ hasText: t.title }).waitFor();
      await page.getByRole('heading', { name: t.heading, exact: true }).waitFor(); // language kept
      assert.equal(await page.getByTestId('demand-row').count(), 1);
      await page.screenshot({ path: join(OUT, `e2e-${locale}-after-restart.png`) });

      // my volunteer profile, so that a task can be offered to me
      await page.getByTestId('nav-volunteers').click();
      await page.getByTestId('edit-profile').click();
      const profile = page.getByTestId('profile-form');
      await profile.locator('input[name=skills]').fill(t.skill);
      await page.getByTestId('save-profile').click();
      await page.getByTestId('volunteer-table').getByText(t.skill).waitFor();
      await page.getByTestId('endorsement-tree').getByText('测试员').waitFor();
      await page.screenshot({ path: join(OUT, `e2e-${locale}-volunteers.png`) });
      await page.getByTestId('nav-demands').click();

      // approve where it waits for me, in 待答复 / Awaiting reply: the form asks how it was verified (a call-back)
      await page.getByTestId('nav-inbox').click();
      await page.getByTestId('inbox-row').filter({ hasText: t.title }).getByTestId('inbox-act').click();
      await page.getByTestId('demand-detail').getByTestId('action-confirm').click();
      await page.getByTestId('demand-detail').getByTestId('detail-verified').waitFor();
      await page.getByTestId('demand-detail').getByRole('button', { name: t.close }).click();
      await page.getByTestId('inbox-row').filter({ hasText: t.title }).filter({ hasText: t.toPublish }).waitFor();
      await page.getByTestId('nav-demands').click();

      // the rest of the pipeline from the detail drawer: publish, claim, a task, a delivery, fulfil
      await page.getByTestId('demand-row').first().locator('button').click();
      const detail = page.getByTestId('demand-detail');
      await detail.waitFor();
      for (const action of ['publish', 'claim']) {
        await detail.getByTestId(`action-${action}`).click();
        await detail.getByTestId(`action-${action}`).waitFor({ state: 'detached' });
      }
      await detail.locator('input[name=skill]').fill(t.skill);
      await detail.getByTestId('find-volunteers').click();
      await detail.getByTestId('offer-task').first().click();
      await detail.getByTestId('task-accept').click();
      await detail.getByTestId('task-complete').click();
      await detail.getByTestId('task-row').filter({ hasText: t.done }).waitFor();
      await detail.getByTestId('action-deliver').click(); // a delivery of 3,000 (deliveries replaced running totals)
      await detail.locator('input[name="received[0].quantity"]').fill('-1');
      await detail.getByTestId('action-confirm').click();
      await page.waitForFunction(() => document.querySelector('[data-testid=detail-error]')?.textContent);
      await detail.locator('input[name="received[0].quantity"]').fill('3000');
      await detail.getByTestId('action-confirm').click();
      await detail.getByTestId('action-form').waitFor({ state: 'detached' });
      const status = (want) => page.waitForFunction(
        (w) => document.querySelector('[data-testid=detail-status]')?.textContent === w, want);
      // fulfil asks first, and names what is still short (3,000 of 5,000 received)
      await detail.getByTestId('action-fulfil').click();
      assert.equal(await detail.getByTestId('fulfil-short').locator('li').allInnerTexts().then((l) => l.join('|')), t.short);
      await page.screenshot({ path: join(OUT, `e2e-${locale}-fulfil-confirm.png`) });
      await detail.getByTestId('action-confirm').click();
      await status(t.fulfilled);
      // a coordinator reopens it, with a reason (the confirm stays disabled without one), then fulfils it again
      await detail.getByTestId('action-reopen').click();
      assert.equal(await detail.getByTestId('action-confirm').isDisabled(), true, 'reopen without a reason');
      await detail.locator('input[name=note]').fill('还差 2000 只');
      await detail.getByTestId('action-confirm').click();
      await status(t.inProgress);
      await detail.getByTestId('action-fulfil').click();
      await detail.getByTestId('action-confirm').click();
      await status(t.fulfilled);
      const history = await detail.getByTestId('history').locator('li').allInnerTexts();
      assert.equal(history.length, 1 + 7, `history: ${history.join(' | ')}`); // recorded + 7 steps
      assert.match(history[6], /还差 2000 只/, 'the reopen keeps its reason');
      assert.match(await detail.locator('.items-table').innerText(), /3,000/);
      await page.screenshot({ path: join(OUT, `e2e-${locale}-fulfilled.png`) });
      await detail.getByRole('button', { name: t.close }).click();

      // points: derived from the history just made, with the rule behind each
      await page.getByTestId('nav-points').click();
      await page.getByTestId('leaderboard').getByText('测试员').waitFor();
      const awards = await page.getByTestId('points-history').innerText();
      for (const rule of t.rules) assert.match(awards, new RegExp(rule), `points history: ${awards}`);
      await page.screenshot({ path: join(OUT, `e2e-${locale}-points.png`) });
      await page.getByTestId('nav-inbox').click();
      await page.getByTestId('inbox-empty').waitFor(); // everything answered

      // an offer, then the map: the fulfilled demand stays on it (at its district's centre), the offer placed by its region
      await page.getByTestId('nav-offers').click();
      await page.getByTestId('record-offer').click();
      const offer = page.getByTestId('offer-form');
      await offer.locator('input[name=supplier]').fill('稳健医疗');
      await offer.locator('input[name=region]').fill('武汉市');
      await offer.locator('input[name="items[0].name"]').fill('N95口罩');
      await offer.locator('input[name="items[0].quantity"]').fill('2000');
      await page.getByTestId('save-offer').click();
      await page.getByTestId('offer-list').getByText('稳健医疗').waitFor();
      await page.getByTestId('nav-map').click();
      // the offer (by its region) and the fulfilled demand (by its district) are placed approximately
      await page.locator('[data-testid=map-counts][data-approx="2"]').waitFor();
      await page.locator('.place-label').first().waitFor(); // the places are labelled
      await page.screenshot({ path: join(OUT, `e2e-${locale}-map.png`) });

    } catch (e) {
      await page.screenshot({ path: join(OUT, `e2e-${locale}-failure.png`) }).catch(() => {});
      e.message += `\n--- backend log ---\n${backend.log().slice(-4000)}`;
      throw e;
    } finally {
      await page.close();
      await backend.stop();
    }
  });
}
