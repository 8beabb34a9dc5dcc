// End to end: the coordinator's desk with the real backend (wails dev) in
// headless Chromium. A network made by the hub CLI on the app's own data
// directory (so the app is its coordinator) with 30 imported demands.
//
// 1. Keyboard only: Tab to the search box, type, ArrowDown into the list,
//    Enter opens a demand, Escape closes the drawer and gives focus back to
//    the row, Shift+Tab to the navigation and Enter switches screens, Tab to
//    the language switch and Enter changes the language — checking where the
//    focus is at each step.
// 2. The Network screen's reply-by windows (a bad value is refused naming the
//    field; a good one is kept across a reload), promoting a member from the
//    members panel (with confirm), and the export level picker (restricted asks
//    first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, poll, URL, OUT, ROOT } from './backend.mjs';

const run = promisify(execFile);
const HUB = join(ROOT, 'build/bin/reliefmesh-hub');
const hub = (...args) => run(HUB, args, { timeout: 120_000 });

let browser, backend, page, dataDir;
before(async () => {
  dataDir = tempDataDir();
  await hub('init', '--name', '键盘演练', '--member-name', '协调员甲', '--data-dir', dataDir);
  const csv = join(mkdtempSync(join(tmpdir(), 'reliefmesh-csv-')), 'demands.csv');
  const lines = ['医院名称,所需物资,数量,单位,地址'];
  for (let i = 1; i <= 30; i++) lines.push(`江汉医院${i},N95口罩,${100 * i},只,武汉市江汉区解放大道${i}号`);
  writeFileSync(csv, lines.join('\n') + '\n');
  await hub('import', csv, '--data-dir', dataDir);
  backend = await startBackend(dataDir);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(URL);
  await page.getByTestId('demand-row').first().waitFor();
});
after(async () => {
  await browser?.close();
  await backend?.stop();
});

/** focused describes document.activeElement: its test id, data-index, aria-current, tag. */
const focused = () => page.evaluate(() => {
  const el = document.activeElement;
  return {
    testid: el?.getAttribute('data-testid') ?? '', index: el?.getAttribute('data-index') ?? '',
    current: el?.getAttribute('aria-current') ?? '', pressed: el?.getAttribute('aria-pressed') ?? '',
    tag: el?.tagName ?? '', inDetail: !!el?.closest('[data-testid=demand-detail]'),
    inRow: el?.closest('[data-testid=demand-row]')?.textContent ?? '', inMain: !!el?.closest('main'),
  };
});

/** tabTo presses key (Tab or Shift+Tab) until the focus is on test id, at most n times; returns the ids passed. */
async function tabTo(testid, key = 'Tab', n = 60) {
  const seen = [];
  for (let i = 0; i < n; i++) {
    await page.keyboard.press(key);
    const f = await focused();
    seen.push(f.testid || f.tag);
    if (f.testid === testid) return seen;
  }
  assert.fail(`${key} ${n} times never reached ${testid}; focus went through ${seen.join(' → ')}`);
}

test('the desk with the keyboard only (zh-CN, then en)', { timeout: 600_000 }, async () => {
  const passed = await tabTo('demand-search');
  assert.ok(passed.indexOf('nav-demands') >= 0 && passed.indexOf('nav-demands') < passed.length - 1,
    `Tab reaches the navigation before the search box: ${passed.join(' → ')}`);

  await page.keyboard.type('医院1');
  await page.waitForFunction(() => JSON.parse(document.querySelector('[data-testid=demand-filters]').dataset.shown || '{}').text === '医院1');
  assert.equal(await page.getByTestId('demand-count').getAttribute('data-total'), '11', '江汉医院1 and 10–19');
  assert.equal((await focused()).testid, 'demand-search', 'typing keeps the focus in the search box');

  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-index') === '0');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-index') === '1');
  const row = await focused();
  assert.match(row.inRow, /江汉医院1\d?/);
  const code = /D-[0-9A-Z]{6}/.exec(row.inRow)[0];

  await page.keyboard.press('Enter');
  await page.getByTestId('demand-detail').waitFor();
  await page.waitForFunction(() => !!document.activeElement?.closest('[data-testid=demand-detail]'));
  // the drawer takes the focus at once and reads the demand after: wait for
  // it (a loaded CI machine read the drawer before the detail arrived)
  await page.waitForFunction((c) => document.querySelector('[data-testid=demand-detail]')?.innerText.includes(c), code, { timeout: 30_000 })
    .catch(() => {});
  const drawer = await page.getByTestId('demand-detail').innerText();
  assert.ok(drawer.includes(code), `the drawer shows ${code}; it shows: ${drawer.slice(0, 300)}`);
  await page.screenshot({ path: join(OUT, 'e2e-desk-keyboard-drawer.png') });

  await page.keyboard.press('Escape');
  await page.getByTestId('demand-detail').waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-index') === '1');
  assert.ok((await focused()).inRow.includes(code), 'focus is back on the row that opened the drawer');

  // Tab leaves the list in one step (one row in the Tab order), Shift+Tab goes back to it
  await page.keyboard.press('Tab');
  assert.notEqual((await focused()).testid, 'demand-row');
  assert.ok(!(await focused()).index, 'Tab leaves the list instead of walking 11 rows');
  await page.keyboard.press('Shift+Tab');
  assert.equal((await focused()).index, '1', 'Shift+Tab comes back to the same row');

  await tabTo('nav-volunteers', 'Shift+Tab');
  await page.keyboard.press('Enter');
  await page.getByTestId('endorsement-tree').waitFor();
  let f = await focused();
  assert.deepEqual([f.testid, f.current], ['nav-volunteers', 'page'], 'Enter switches screens; the focus stays on its tab');

  await tabTo('lang-en');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Members and endorsements' }).waitFor();
  f = await focused();
  assert.deepEqual([f.testid, f.pressed], ['lang-en', 'true'], 'the focus stays on the language button, now pressed');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.keyboard.press('Tab');
  assert.ok((await focused()).inMain, 'the next Tab goes into the screen');
  await page.screenshot({ path: join(OUT, 'e2e-desk-keyboard-en.png') });

  // back to Chinese for the next test, still by keyboard
  await tabTo('lang-zh-CN', 'Shift+Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '成员与背书' }).waitFor();
});

test('reply-by windows, promoting a member, export levels (zh-CN)', { timeout: 600_000 }, async () => {
  await page.getByTestId('nav-network').click();
  const review = page.getByTestId('deadline-reviewMinutes');
  await review.waitFor();
  assert.equal(await review.inputValue(), '2', 'default review window: 2 h');
  await review.fill('0');
  await page.getByTestId('save-deadlines').click();
  assert.match(await page.getByTestId('deadlines-error').innerText(), /审核时限/);
  assert.equal(await review.getAttribute('aria-invalid'), 'true');
  await review.fill('1.5');
  await page.getByTestId('deadline-claimMinutes').fill('4');
  await page.getByTestId('save-deadlines').click();
  await page.getByTestId('deadlines-saved').waitFor();
  await page.getByTestId('deadlines').screenshot({ path: join(OUT, 'e2e-desk-deadlines.png') });
  await page.screenshot({ path: join(OUT, 'e2e-desk-network.png') });
  await page.reload();
  await page.getByTestId('nav-network').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=deadline-reviewMinutes]')?.value === '1.5');
  assert.equal(await page.getByTestId('deadline-claimMinutes').inputValue(), '4');

  // a second member to promote
  const other = tempDataDir();
  const id = (await hub('id', '--data-dir', other)).stdout.trim();
  await page.getByTestId('nav-volunteers').click();
  const form = page.getByTestId('endorse-form');
  await form.locator('input[name=memberId]').fill(id);
  await form.locator('input[name=name]').fill('志愿者乙');
  await form.locator('button[type=submit]').click();
  const li = page.getByTestId('endorsement-tree').locator('li', { hasText: '志愿者乙' }).last();
  await li.getByText('志愿者', { exact: false }).first().waitFor();
  await li.getByTestId('promote-role').selectOption('reviewer');
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.accept(); });
  await li.getByTestId('promote-apply').click();
  await page.getByTestId('endorsement-tree').getByText('志愿者乙').locator('..').getByText('审核员').waitFor();
  assert.match(asked, /志愿者乙.*志愿者.*审核员/);
  await page.getByTestId('endorsement-tree').screenshot({ path: join(OUT, 'e2e-desk-promote.png') });
  await page.screenshot({ path: join(OUT, 'e2e-desk-members.png') });

  await page.getByTestId('nav-imports').click();
  await page.getByTestId('export-level-restricted').waitFor();
  assert.equal(await page.getByTestId('export-levels').locator('input[type=radio]').count(), 3, 'a coordinator may export every level');
  await page.getByTestId('export-level-restricted').check();
  assert.match(await page.getByTestId('export-help').innerText(), /电话号码/);
  asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
  await page.getByTestId('export-csv').click();
  await poll(() => asked, { timeout: 60_000, what: 'the confirm dialog' });
  assert.match(asked, /电话号码和姓名/, 'a restricted export asks first');
  assert.equal(await page.getByTestId('export-done').count(), 0, 'declined: nothing written');
  await page.screenshot({ path: join(OUT, 'e2e-desk-export.png') });
});
