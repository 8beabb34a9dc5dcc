// Screenshots (not a test): session 12's tester imports messy files of its
// own (a GBK CSV, a workbook with merged cells, a cut file) into a new
// network, then searches in Chinese, in both languages.
// Run: E2E_PORT=34460 node e2e/tester.shots.mjs
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT } from './backend.mjs';

const FILES = process.env.TESTER_FILES || '/tmp/tester-files';
const backend = await startBackend(tempDataDir());
const browser = await launchBrowser();
const shot = async (page, name) => {
  const path = join(OUT, `tester-${name}.png`);
  await page.screenshot({ path });
  console.log(path);
};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => console.log('PAGE ERROR', e.message));
  await page.goto(URL);
  await page.locator('input[name=incident]').fill('测试：暴雨');
  await page.locator('input[name=name]').fill('新协调员');
  await page.locator('form button[type=submit]').click();
  await page.getByTestId('nav-imports').waitFor();
  for (const locale of ['zh-CN', 'en']) {
    await page.getByTestId(`lang-${locale}`).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, locale);
    for (const f of ['gbk.csv', 'merged.xlsx', 'trunc.csv']) {
      await page.getByTestId('nav-imports').click();
      await page.evaluate((p) => { window.go.app.ImportService.PickFile = async () => p; }, join(FILES, f));
      await page.getByTestId('import-pick').click();
      await page.waitForFunction(() => document.querySelector('[data-testid=import-preview],[data-testid=import-error]'), null, { timeout: 60_000 });
      await page.waitForTimeout(300);
      await shot(page, `${locale}-preview-${f}`);
      console.log(f, locale, '\n', await page.locator('main').innerText().catch(() => ''));
      if (locale === 'zh-CN' && f !== 'trunc.csv') {
        const run = page.getByTestId('import-run');
        if (await run.count()) {
          await run.click();
          await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
          await page.waitForTimeout(300);
          await shot(page, `${locale}-report-${f}`);
          console.log('REPORT', f, '\n', await page.getByTestId('import-report').innerText());
        }
      }
    }
    await page.getByTestId('nav-demands').click();
    for (const q of ['口罩', '江汉', '协和', 'kouzhao']) {
      await page.getByTestId('demand-search').fill(q);
      await page.waitForTimeout(800);
      await shot(page, `${locale}-search-${q}`);
      console.log('SEARCH', locale, q, await page.getByTestId('demand-row').count());
    }
    await page.getByTestId('demand-search').fill('同济');
    await page.waitForTimeout(800);
    const row = page.getByTestId('demand-row').first();
    if (await row.count()) {
      await row.locator('button').first().click();
      await page.getByTestId('demand-detail').waitFor();
      await page.waitForTimeout(400);
      await shot(page, `${locale}-detail-tongji`);
      console.log('DETAIL', locale, '\n', await page.getByTestId('demand-detail').innerText());
      await page.keyboard.press('Escape');
    }
    await page.getByTestId('nav-map').click();
    await page.waitForTimeout(2000);
    await shot(page, `${locale}-map`);
  }
} finally {
  await browser.close();
  await backend.stop();
}
