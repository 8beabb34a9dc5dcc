// Measures the virtualised demand list at 100,000 demands in headless Chromium
// against the real backend (wails dev): time to the first rows, type in the
// search box → rows updated, a filter → rows updated, and a jump to the middle
// of the list → its rows filled. A measurement, not a test: it asserts nothing
// about time and prints a Markdown table (also written to
// test-output/measure-list.md). Run it alone (one e2e at a time):
//
//   cd frontend && flock /tmp/reliefmesh-e2e.lock node e2e/measure-list.mjs [N]
//
// It needs `make build` (frontend/dist) and seeds a fresh data directory with
// N demands (default 100000) through bench/cmd/rmseed before starting wails dev.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT, ROOT } from './backend.mjs';

const N = Number(process.argv[2] || 100_000);
const RUNS = 5;
const dir = tempDataDir();
const seeded = execFileSync('go', ['run', './cmd/rmseed', '-dir', dir, '-n', String(N)], { cwd: join(ROOT, 'bench'), encoding: 'utf8' });
console.error(seeded.trim());

const backend = await startBackend(dir);
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const rows = [];
const ms = (a) => a.toFixed(0);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  let t0 = Date.now();
  await page.goto(URL);
  await page.waitForFunction((n) => document.querySelector('[data-testid=demand-count]')?.dataset.total === String(n), N, { timeout: 120_000 });
  await page.getByTestId('demand-row').first().waitFor();
  rows.push(['page load → first rows and the total', ms(Date.now() - t0), '1 run']);
  await page.screenshot({ path: join(OUT, 'measure-list-100k.png') });

  // The query the rows on screen answer, as the store reports it.
  const shownFor = (want) => page.waitForFunction(
    (w) => {
      const s = document.querySelector('[data-testid=demand-filters]')?.dataset.shown;
      if (!s) return false;
      const q = JSON.parse(s);
      return Object.entries(w).every(([k, v]) => q[k] === v)
        && (document.querySelector('[data-testid=demand-row]') || document.querySelector('[data-testid=demand-count]') === null);
    },
    want, { timeout: 60_000, polling: 'raf' });

  const box = page.getByTestId('demand-search');
  for (const text of ['洪山区第3', '口罩', '汉', '第12人民医院', '协和']) {
    const times = [];
    let total = '';
    for (let r = 0; r < RUNS; r++) {
      await box.fill('');
      await shownFor({ text: '' });
      t0 = Date.now();
      await box.pressSequentially(text, { delay: 0 });
      await shownFor({ text });
      times.push(Date.now() - t0);
      total = await page.getByTestId('demand-count').getAttribute('data-total').catch(() => '0');
    }
    rows.push([`type "${text}" → rows updated (${total ?? 0} matches)`, ms(median(times)), `median of ${RUNS}; max ${ms(Math.max(...times))}`]);
  }
  await box.fill('');
  await shownFor({ text: '' });

  for (const [label, sel, value, key] of [
    ['status filter: collected', '[data-testid=demand-filters] select', 'collected', 'status'],
    ['urgency filter: critical', '[data-testid=filter-urgency]', 'critical', 'urgency'],
    ['sort by urgency', '[data-testid=sort]', 'urgency', 'sort'],
  ]) {
    const times = [];
    for (let r = 0; r < RUNS; r++) {
      await page.locator(sel).first().selectOption('');
      await shownFor({ [key]: '' });
      t0 = Date.now();
      await page.locator(sel).first().selectOption(value);
      await shownFor({ [key]: value });
      times.push(Date.now() - t0);
    }
    rows.push([`${label} → rows updated`, ms(median(times)), `median of ${RUNS}; max ${ms(Math.max(...times))}`]);
    await page.locator(sel).first().selectOption('');
    await shownFor({ [key]: '' });
  }

  // jump to the middle: the rows there are fetched when they come into view
  const times = [];
  for (let r = 0; r < RUNS; r++) {
    await page.evaluate(() => { document.querySelector('[data-testid=demand-list]').scrollTop = 0; });
    await page.waitForTimeout(300);
    t0 = Date.now();
    await page.evaluate((f) => {
      const el = document.querySelector('[data-testid=demand-list]');
      el.scrollTop = el.scrollHeight * f;
    }, 0.3 + r * 0.1);
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid=demand-list]');
      const top = el.getBoundingClientRect().top, bottom = el.getBoundingClientRect().bottom;
      const inView = [...el.querySelectorAll('li')].filter((li) => {
        const r = li.getBoundingClientRect();
        return r.bottom > top && r.top < bottom;
      });
      return inView.length > 0 && inView.every((li) => li.querySelector('[data-testid=demand-row]'));
    }, null, { timeout: 60_000, polling: 'raf' });
    times.push(Date.now() - t0);
  }
  rows.push(['jump to 30–70 % of the list → rows in view filled', ms(median(times)), `median of ${RUNS}; max ${ms(Math.max(...times))}`]);
  await page.screenshot({ path: join(OUT, 'measure-list-100k-middle.png') });
  const dom = await page.evaluate(() => document.querySelectorAll('[data-testid=demand-list] li').length);
  rows.push(['rows in the DOM while scrolled', String(dom), `of ${N}`]);
} finally {
  await browser.close();
  await backend.stop();
}
const md = [`| ${N} demands, headless Chromium, 1280×800 | ms | |`, '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
console.log(md);
writeFileSync(join(OUT, 'measure-list.md'), md + '\n');
