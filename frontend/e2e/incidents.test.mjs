// End to end (issue 16, several incidents on one laptop), in Chinese and in
// English: a coordinator founds incident A and records a demand, sets A to
// keep syncing in the background, adds incident B from the header's switch
// (the onboarding founds it), finds B empty, and switches between the two in
// the header: each shows its own demands, A says it synced in the background.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, poll, URL, OUT } from './backend.mjs';

const TEXT = {
  'zh-CN': { a: 'E2E 洪水甲', b: 'E2E 地震乙', member: '协调员甲', title: '甲村需要饮用水', item: '矿泉水', unit: '箱',
    open: '当前', unnamed: '新事件（尚未创建或加入网络）', syncing: '后台同步中', memory: '内存', background: '后台保持同步' },
  en: { a: 'E2E Flood A', b: 'E2E Quake B', member: 'Coordinator A', title: 'Village A needs drinking water', item: 'bottled water', unit: 'cases',
    open: 'open', unnamed: 'New incident (no network yet)', syncing: 'Syncing in the background', memory: 'memory', background: 'Keep syncing in the background' },
};

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

for (const locale of ['zh-CN', 'en']) {
  test(`two incidents: found a second one, switch between them in the header (${locale})`, { timeout: 900_000 }, async () => {
    const t = TEXT[locale];
    const dataDir = tempDataDir();
    const backend = await startBackend(dataDir);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const menu = page.getByTestId('incident-menu');
    const item = (name) => menu.getByTestId('incident-item').filter({ hasText: name });
    try {
      await page.goto(URL);
      await page.getByTestId('onboarding').waitFor();
      await page.getByTestId(`lang-${locale}`).click();
      await page.locator('input[name=incident]').fill(t.a);
      await page.locator('input[name=name]').fill(t.member);
      await page.locator('form button[type=submit]').click();
      await poll(async () => (await page.getByTestId('incident-current').innerText()) === t.a, { timeout: 60_000, what: `the header to name ${t.a}` });
      await page.getByTestId('demands-empty').waitFor();

      // a demand in A
      await page.getByTestId('record-demand').click();
      const form = page.getByTestId('demand-form');
      await form.locator('input[name=title]').fill(t.title);
      await form.locator('select[name=category]').selectOption('food_water');
      await form.locator('input[name="items[0].name"]').fill(t.item);
      await form.locator('input[name="items[0].quantity"]').fill('20');
      await form.locator('input[name="items[0].unit"]').fill(t.unit);
      await page.getByTestId('save-demand').click();
      await page.getByTestId('demand-row').filter({ hasText: t.title }).waitFor();

      // the switch lists A, open; A is set to keep syncing in the background (what it costs is said)
      await page.getByTestId('incident-switch').click();
      await item(t.a).getByText(t.open, { exact: true }).waitFor();
      assert.match(await menu.innerText(), new RegExp(t.memory));
      await item(t.a).getByTestId('incident-background').check();
      await poll(async () => item(t.a).getByTestId('incident-background').isChecked(), { timeout: 60_000, what: 'the background setting on' });

      // a new incident: the onboarding founds B; B has nothing of A's
      await menu.getByTestId('incident-add').click();
      await page.getByTestId('onboarding').waitFor();
      assert.equal(await page.getByTestId('incident-current').innerText(), t.unnamed);
      await page.locator('input[name=incident]').fill(t.b);
      await page.locator('input[name=name]').fill(t.member);
      await page.locator('form button[type=submit]').click();
      await poll(async () => (await page.getByTestId('incident-current').innerText()) === t.b, { timeout: 60_000, what: `the header to name ${t.b}` });
      await page.getByTestId('demands-empty').waitFor();
      assert.equal(await page.getByTestId('demand-row').count(), 0, 'B has no demand of A');

      // the switch: B open, A syncing in the background
      await page.getByTestId('incident-switch').click();
      await item(t.b).getByText(t.open, { exact: true }).waitFor();
      await item(t.a).getByTestId('incident-syncing').getByText(t.syncing, { exact: false }).waitFor({ timeout: 60_000 });
      await page.screenshot({ path: join(OUT, `e2e-incidents-switch-${locale}.png`) });

      // one click: A with its demand
      await item(t.a).getByTestId('incident-option').click();
      await page.getByTestId('demand-row').filter({ hasText: t.title }).waitFor();
      assert.equal(await page.getByTestId('incident-current').innerText(), t.a);
      assert.equal(await menu.count(), 0, 'the menu closes after the switch');

      // and back to B: empty again
      await page.getByTestId('incident-switch').click();
      await item(t.b).getByTestId('incident-option').click();
      await page.getByTestId('demands-empty').waitFor();
      assert.equal(await page.getByTestId('incident-current').innerText(), t.b);
      await page.screenshot({ path: join(OUT, `e2e-incidents-b-${locale}.png`) });

      const list = JSON.parse(readFileSync(join(dataDir, 'incidents.json'), 'utf8'));
      assert.equal(list.incidents.length, 2, 'two incidents on disk');
      assert.equal(list.incidents.find((i) => i.id === 'main')?.background, true, 'A keeps syncing in the background');
    } catch (e) {
      await page.screenshot({ path: join(OUT, `e2e-incidents-failed-${locale}.png`) }).catch(() => {});
      throw new Error(`${e.message}\n--- wails dev log (tail) ---\n${backend.log().slice(-4000)}`);
    } finally {
      await page.close();
      await backend.stop();
    }
  });
}
