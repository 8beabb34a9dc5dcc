// Screenshots (not a test; run with `E2E_PORT=… node e2e/contact-building.shots.mjs`
// after `npm run build`), issue 18: (1) the first search of contacts while the
// desk builds the contact index (held 25 s by RELIEFMESH_E2E_CONTACT_BUILD_DELAY,
// as a 100,000-demand store takes seconds): the list answers with the text's
// hits at once and says the index is building, in both languages; then the
// contact hit joins by itself. (2) The saved notice 已记录需求 D-… follows a
// switch to English.
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT } from './backend.mjs';

const backend = await startBackend(tempDataDir(), { RELIEFMESH_E2E_CONTACT_BUILD_DELAY: '25s' });
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(URL);
  await page.locator('input[name=incident]').fill('E2E 联系人索引');
  await page.locator('input[name=name]').fill('协调员甲');
  await page.locator('form button[type=submit]').click();
  await page.getByTestId('demands-empty').waitFor({ timeout: 120_000 });
  for (const [title, org, name, phone] of [
    ['协和医院急需 N95 口罩', '协和医院', '乙老师', '189 0000 0000'],
    ['18900000000 来电登记', '', '', ''],
  ]) {
    await page.getByTestId('record-demand').click();
    const form = page.getByTestId('demand-form');
    await form.locator('input[name=title]').fill(title);
    await form.locator('select[name=category]').selectOption('protective_equipment');
    await form.locator('input[name=district]').fill('江汉区');
    if (org) await form.locator('input[name=requesterOrg]').fill(org);
    await form.locator('input[name="items[0].name"]').fill('N95口罩');
    await form.locator('input[name="items[0].quantity"]').fill('500');
    if (name) await form.locator('input[name=contactName]').fill(name);
    if (phone) await form.locator('input[name=contactPhone]').fill(phone);
    await page.getByTestId('save-demand').click();
    await form.waitFor({ state: 'detached', timeout: 60_000 });
  }
  const notice = page.locator('.section-head .notice');
  for (const locale of ['zh-CN', 'en']) { // the saved notice, then the language switched
    await page.getByTestId(`lang-${locale}`).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, locale);
    await page.waitForTimeout(300);
    const path = join(OUT, `saved-notice-${locale}.png`);
    await page.screenshot({ path });
    console.log(path, await notice.innerText());
  }
  await page.getByTestId('lang-zh-CN').click();
  const search = page.getByTestId('demand-search');
  await search.fill('18900000000');
  const building = page.getByTestId('contacts-building');
  await building.waitFor({ timeout: 30_000 });
  for (const locale of ['zh-CN', 'en']) {
    await page.getByTestId(`lang-${locale}`).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, locale);
    await page.waitForTimeout(300);
    const path = join(OUT, `contact-building-${locale}.png`);
    await page.screenshot({ path });
    console.log(path, await building.innerText(), '|', await page.getByTestId('demand-count').innerText());
  }
  await page.getByTestId('by-contact').waitFor({ timeout: 60_000 }); // built: the list asked again by itself
  await page.waitForTimeout(300);
  const path = join(OUT, 'contact-building-done-en.png');
  await page.screenshot({ path });
  console.log(path, await page.getByTestId('demand-count').innerText(), await page.getByTestId('demand-row').count(), 'rows');
} finally {
  await browser.close();
  await backend.stop();
}
