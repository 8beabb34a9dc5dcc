// Screenshots (not a test; run with `E2E_PORT=34215 node
// e2e/catchup.shots.mjs`): the demand list of the practice network while a
// catch-up is under way (a sync:progress event as the forwarder sends one,
// emitted through the Wails runtime), in both languages, and after the
// round's last report.
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT } from './backend.mjs';

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
    await page.getByTestId('nav-demands').click();
    await page.getByTestId('demand-count').waitFor();
    await page.evaluate(() => window.runtime.EventsEmit('sync:progress', { member: 'peer-a', applied: 23456, expected: 100000, done: false }));
    await page.getByTestId('catching-up').waitFor();
    await page.waitForTimeout(300);
    const path = join(OUT, `catchup-${locale}.png`);
    await page.screenshot({ path });
    console.log(path, '\n', await page.getByTestId('catching-up').innerText());
    await page.evaluate(() => window.runtime.EventsEmit('sync:progress', { member: 'peer-a', applied: 100000, expected: 100000, done: true }));
    await page.getByTestId('catching-up').waitFor({ state: 'detached' });
    console.log('gone after done');
  }
} finally {
  await browser.close();
  await backend.stop();
}
