// End to end (issue 16, item 2): recruitment and training, in Chinese and in
// English, against the real Go backend. A coordinator who lists a skill is
// shown as needing the course that qualifies for it; the course is written
// (what it covers, a link and a small file, 30 days' validity); before a
// completion the task's match says the volunteer is not qualified (0/1);
// the coordinator, a trainer, records the completion (who, when, when it
// expires); the match then puts the volunteer first, qualified (1/1), and
// once the task is offered and accepted the volunteer's stage is active.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT } from './backend.mjs';

const TEXT = {
  'zh-CN': {
    title: '方舱医院需要心理疏导', skill: '心理援助', course: '心理急救', covers: '倾听、稳定情绪、转介',
    notQualified: '心理援助：已完成课程 0/1，尚未合格', missing: '未完成课程「心理急救」', qualified: '心理援助：已完成课程 1/1，合格',
    badge: '合格', need: '因「心理援助」需要，尚未完成', expires: /到期/, noNeeds: '目前没有人需要培训。', close: '关闭',
  },
  en: {
    title: 'Fangcang hospital needs counselling', skill: 'psychological support', course: 'Psychological first aid', covers: 'Listening, calming, referral',
    notQualified: 'psychological support: course completed 0/1, not yet qualified', missing: 'course “Psychological first aid” not completed',
    qualified: 'psychological support: course completed 1/1, qualified',
    badge: 'qualified', need: 'needed for psychological support, not completed', expires: /expires/, noNeeds: 'Nobody needs training at the moment.', close: 'Close',
  },
};

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

for (const locale of ['zh-CN', 'en']) {
  test(`complete a course and be offered a task needing it (${locale})`, { timeout: 900_000 }, async () => {
    const t = TEXT[locale];
    const dataDir = tempDataDir();
    const backend = await startBackend(dataDir);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(URL);
      await page.locator('input[name=incident]').fill('E2E 培训演练');
      await page.locator('input[name=name]').fill('协调员甲');
      await page.locator('form button[type=submit]').click();
      await page.getByTestId(`lang-${locale}`).click();

      // my profile lists the skill: I need the course that qualifies for it
      await page.getByTestId('nav-volunteers').click();
      await page.getByTestId('edit-profile').click();
      await page.getByTestId('profile-form').locator('input[name=skills]').fill(t.skill);
      await page.getByTestId('save-profile').click();
      await page.getByTestId('volunteer-table').getByText(t.skill).waitFor();

      // the course: what it covers, a link, a small file, 30 days' validity
      const panel = page.getByTestId('training-panel');
      await panel.getByTestId('course-none').waitFor();
      await panel.getByTestId('course-new').click();
      const form = panel.getByTestId('course-form');
      await form.locator('input[name=courseName]').fill(t.course);
      await form.locator('input[name=qualifies]').fill(t.skill);
      await form.locator('input[name=validityDays]').fill('30');
      await form.locator('textarea[name=courseDescription]').fill(t.covers);
      await form.locator('input[name=materialsLink]').fill('https://example.org/pfa');
      await form.getByTestId('course-file').setInputFiles({ name: 'handout.txt', mimeType: 'text/plain', buffer: Buffer.from('一、倾听\n二、稳定情绪\n') });
      await form.getByTestId('course-save').click();
      const course = panel.getByTestId('course-row').filter({ hasText: t.course });
      await course.waitFor();
      await course.getByTestId('course-download').waitFor();
      const need = panel.getByTestId('training-need').filter({ hasText: t.course });
      await need.waitFor();
      assert.match(await need.innerText(), new RegExp(t.need));
      await panel.getByTestId('stage-endorsed').getByText('协调员甲').waitFor();

      // a demand to work on: approved with a call-back, published, claimed
      await page.getByTestId('nav-demands').click();
      await page.getByTestId('record-demand').click();
      const dform = page.getByTestId('demand-form');
      await dform.locator('input[name=title]').fill(t.title);
      await dform.locator('select[name=category]').selectOption('other');
      await dform.locator('input[name=district]').fill('江岸区');
      await dform.locator('input[name="items[0].name"]').fill('心理咨询师');
      await dform.locator('input[name="items[0].quantity"]').fill('2');
      await page.getByTestId('save-demand').click();
      await page.getByTestId('demand-row').filter({ hasText: t.title }).waitFor();
      await page.getByTestId('nav-inbox').click();
      await page.getByTestId('inbox-row').filter({ hasText: t.title }).getByTestId('inbox-act').click();
      let detail = page.getByTestId('demand-detail');
      await detail.getByTestId('evidence-callback').check();
      await detail.getByTestId('evidence-caller').fill('协调员甲');
      await detail.getByTestId('evidence-outcome').fill('仍需要');
      await detail.getByTestId('action-confirm').click();
      await detail.getByTestId('detail-verified').waitFor();
      for (const action of ['publish', 'claim']) {
        await detail.getByTestId(`action-${action}`).click();
        await detail.getByTestId(`action-${action}`).waitFor({ state: 'detached' });
      }

      // before the course: not qualified, and why
      await detail.locator('input[name=skill]').fill(t.skill);
      await detail.getByTestId('find-volunteers').click();
      let match = detail.getByTestId('match-row').first();
      await match.getByText(t.notQualified).waitFor();
      assert.match(await match.innerText(), new RegExp(t.missing));
      await detail.getByRole('button', { name: t.close }).click();

      // the trainer records the completion
      await page.getByTestId('nav-volunteers').click();
      await course.getByTestId('completion-volunteer').selectOption({ index: 1 });
      await course.getByTestId('completion-record').click();
      const done = course.getByTestId('completion-row').filter({ hasText: '协调员甲' });
      await done.waitFor();
      assert.match(await done.getByTestId('completion-expiry').innerText(), t.expires);
      await panel.getByTestId('training-no-needs').getByText(t.noNeeds).waitFor();
      await panel.getByTestId('stage-trained').getByText('协调员甲').waitFor();
      await panel.scrollIntoViewIfNeeded();
      await course.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(OUT, `e2e-${locale}-training.png`) });

      // the same task now: qualified, first, and offered
      await page.getByTestId('nav-demands').click();
      await page.getByTestId('demand-row').filter({ hasText: t.title }).locator('.row-open').click();
      detail = page.getByTestId('demand-detail');
      await detail.locator('input[name=skill]').fill(t.skill);
      await detail.getByTestId('find-volunteers').click();
      match = detail.getByTestId('match-row').first();
      await match.getByText(t.qualified).waitFor();
      assert.equal((await match.getByTestId('match-qualification').innerText()).trim(), t.badge);
      await match.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(OUT, `e2e-${locale}-training-match.png`) });
      await match.getByTestId('offer-task').click();
      await detail.getByTestId('task-accept').click();
      await detail.getByTestId('task-accept').waitFor({ state: 'detached' });
      await detail.getByRole('button', { name: t.close }).click();

      await page.getByTestId('nav-volunteers').click();
      await panel.getByTestId('stage-active').getByText('协调员甲').waitFor();
    } catch (e) {
      await page.screenshot({ path: join(OUT, `e2e-${locale}-training-failure.png`), fullPage: true }).catch(() => {});
      e.message += `\n--- backend log ---\n${backend.log().slice(-3000)}`;
      throw e;
    } finally {
      await page.close();
      await backend.stop();
    }
  });
}
