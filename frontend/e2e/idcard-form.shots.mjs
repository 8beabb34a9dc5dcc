// Screenshots (not a test; run with `E2E_PORT=… node e2e/idcard-form.shots.mjs`
// after `npm run build`): the demand form refusing an identity card number
// typed into its description, in both languages (reviewer's finding 3 of
// session 12: desk.ReasonIDCard). The number is made up (a valid check
// character).
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT } from './backend.mjs';

const ID = '420103198503120020';
const backend = await startBackend(tempDataDir());
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(URL);
  await page.locator('input[name=incident]').fill('E2E 身份证演练');
  await page.locator('input[name=name]').fill('测试员');
  await page.locator('form button[type=submit]').click();
  await page.getByTestId('demands-empty').waitFor({ timeout: 120_000 });
  await page.getByTestId('record-demand').click();
  const form = page.getByTestId('demand-form');
  await form.locator('input[name=title]').fill('协和医院急需 N95 口罩');
  await form.locator('select[name=category]').selectOption('protective_equipment');
  await form.locator('input[name=district]').fill('江汉区');
  await form.locator('input[name=address]').fill('武汉市江汉区解放大道1277号');
  await form.locator('input[name="items[0].name"]').fill('N95口罩');
  await form.locator('input[name="items[0].quantity"]').fill('5000');
  await form.locator('textarea[name=description]').fill(`收件人王五，身份证 ${ID}，请送到门诊`);
  for (const locale of ['zh-CN', 'en']) {
    await page.getByTestId(`lang-${locale}`).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, locale);
    await page.getByTestId('save-demand').click();
    await page.getByTestId('form-error').waitFor();
    await page.waitForTimeout(300);
    const text = await page.getByTestId('form-error').innerText();
    const invalid = await form.locator('textarea[name=description]').getAttribute('aria-invalid');
    if (text.includes(ID) || invalid !== 'true') throw new Error(`${locale}: ${text} (aria-invalid ${invalid})`);
    await page.getByTestId('form-error').scrollIntoViewIfNeeded();
    const path = join(OUT, `idcard-form-${locale}.png`);
    await page.screenshot({ path });
    console.log(path, text);
  }
  const rows = await page.getByTestId('demand-row').count();
  if (rows !== 0) throw new Error(`${rows} demands stored after the refusal`);
  console.log('nothing stored');
} finally {
  await browser.close();
  await backend.stop();
}
