// Screenshots (not a test; run with `E2E_PORT=34226 node
// e2e/import-sheets.shots.mjs`): the import preview of a workbook of one
// sheet per hospital (testdata/messy/hospitals.xlsx) beside an instructions
// sheet, an empty sheet and a pivot table, in both languages: the problems
// table names each problem's sheet, the sheets left out and the sheet whose
// name was taken as the requester.
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT, ROOT } from './backend.mjs';

const backend = await startBackend(tempDataDir());
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(URL);
  await page.getByTestId('practice-start').click();
  await page.getByTestId('practice-banner').waitFor({ timeout: 120_000 });
  for (const locale of ['zh-CN', 'en']) {
    await page.getByTestId(`lang-${locale}`).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, locale);
    await page.getByTestId('nav-imports').click();
    await page.evaluate((p) => { window.go.app.ImportService.PickFile = async () => p; }, join(ROOT, 'testdata', 'messy', 'hospitals.xlsx'));
    await page.getByTestId('import-pick').click();
    await page.getByTestId('import-problems').waitFor();
    await page.getByTestId('import-problems').scrollIntoViewIfNeeded();
    await page.waitForTimeout(400);
    const path = join(OUT, `import-sheets-${locale}.png`);
    await page.screenshot({ path });
    console.log(path, '\n', await page.getByTestId('import-problems').innerText());
    await page.getByTestId('nav-demands').click();
  }
} finally {
  await browser.close();
  await backend.stop();
}
