// Screenshots (not a test; run with `E2E_PORT=… node e2e/contact-search.shots.mjs`
// after `npm run build`): a coordinator finds a demand by its contact's phone
// number, written with spaces, though contacts are sealed; the row says it was
// found by a contact and the count line that contacts were searched; a number
// nobody has says so too. Both languages (finding 1 of session 14's tester).
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT } from './backend.mjs';

const backend = await startBackend(tempDataDir());
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(URL);
  await page.locator('input[name=incident]').fill('E2E 联系人搜索');
  await page.locator('input[name=name]').fill('协调员甲');
  await page.locator('form button[type=submit]').click();
  await page.getByTestId('demands-empty').waitFor({ timeout: 120_000 });
  for (const [title, org, name, phone] of [
    ['协和医院急需 N95 口罩', '协和医院', '乙老师', '189 0000 0000'],
    ['第一人民医院急需防护服', '第一人民医院', '丙医生', '137 0000 0001'],
  ]) {
    await page.getByTestId('record-demand').click();
    const form = page.getByTestId('demand-form');
    await form.locator('input[name=title]').fill(title);
    await form.locator('select[name=category]').selectOption('protective_equipment');
    await form.locator('input[name=district]').fill('江汉区');
    await form.locator('input[name=requesterOrg]').fill(org);
    await form.locator('input[name="items[0].name"]').fill('N95口罩');
    await form.locator('input[name="items[0].quantity"]').fill('500');
    await form.locator('input[name=contactName]').fill(name);
    await form.locator('input[name=contactPhone]').fill(phone);
    await page.getByTestId('save-demand').click();
    await form.waitFor({ state: 'detached', timeout: 60_000 });
  }
  const search = page.getByTestId('demand-search');
  for (const locale of ['zh-CN', 'en']) {
    await page.getByTestId(`lang-${locale}`).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, locale);
    await search.fill('189 0000 0000');
    await page.getByTestId('by-contact').waitFor({ timeout: 30_000 });
    const rows = await page.getByTestId('demand-row').count();
    const line = await page.getByTestId('demand-count').innerText();
    if (rows !== 1) throw new Error(`${locale}: ${rows} rows for 189 0000 0000; want the 协和 demand alone`);
    await page.waitForTimeout(300);
    let path = join(OUT, `contact-search-${locale}.png`);
    await page.screenshot({ path });
    console.log(path, line);
    await search.fill('138 1234 5678');
    await page.getByTestId('contacts-searched-none').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(300);
    path = join(OUT, `contact-search-none-${locale}.png`);
    await page.screenshot({ path });
    console.log(path, await page.getByTestId('contacts-searched-none').innerText());
  }
} finally {
  await browser.close();
  await backend.stop();
}
