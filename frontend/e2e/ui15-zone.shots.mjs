// Screenshots (not a test): session 15, issue 18 (findings 4 and 5). Every time in the app is
// the incident's (UTC+8, named once in the header), whatever the computer's zone (this run
// starts the app with TZ=America/Los_Angeles); the volunteers list says how many match of all
// while searching and why a row matched when its table does not show the field, the offers list
// how many match of all. Both languages.
// Run: cd frontend && npm run build && cd .. && go tool wails build -s -skipbindings -tags webkit2_41 -m -nosyncgomod
// && go build -o build/bin/e2epeer ./internal/tools/e2epeer, then
// cd frontend && E2E_PORT=34680 node e2e/ui15-zone.shots.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT, ROOT } from './backend.mjs';

const PEER = join(ROOT, 'build/bin/e2epeer');
const D = '四中安置点需要药品';
const peer = (dirs, steps) =>
  JSON.parse(execFileSync(PEER, Object.entries(dirs).flatMap(([n, d]) => ['-dev', `${n}=${d}`]), { input: JSON.stringify(steps), encoding: 'utf8', timeout: 180_000 }));

const tmp = mkdtempSync(join(tmpdir(), 'reliefmesh-ui15-'));
const appDir = tempDataDir();
const people = [['V1', '张伟', '江城车队'], ['V2', '张敏', ''], ['V3', '何丽', '社区网格员'], ['V4', '李娜', '武汉大学志愿者协会']];
const dirs = { C: join(tmp, 'coordinator'), A: appDir, ...Object.fromEntries(people.map(([n]) => [n, join(tmp, n)])) };
peer(dirs, [
  { on: 'C', do: 'create', incident: 'E2E 时区', name: '协调员甲' },
  { on: 'A', do: 'join', network: 'C' },
  { on: 'C', do: 'endorse', member: 'A', role: 'coordinator', name: '协调员丙' },
  ...people.flatMap(([n, name, org]) => [
    { on: n, do: 'join', network: 'C' },
    { on: 'C', do: 'endorse', member: n, role: 'volunteer', name },
    { on: 'C', do: 'carry', to: n },
    { on: n, do: 'profile', profile: { Name: name, Region: '江汉区', Organisation: org, Skills: ['司机'] } },
    { on: n, do: 'carry', to: 'C' },
  ]),
  { on: 'C', do: 'record', demand: { title: D, category: 'daily_necessities', district: '江汉区', items: [{ name: '药品', quantity: '100', unit: '盒' }] } },
  { on: 'C', do: 'act', input: { id: D, action: 'approve', evidence: { kind: 'callback', caller: '协调员甲', outcome: '仍需要' } } },
  { on: 'C', do: 'act', input: { id: D, action: 'publish' } },
  { on: 'C', do: 'carry', to: 'A' },
]);

// the computer's zone is not the incident's: the app must show China time all the same
const backend = await startBackend(appDir, { TZ: 'America/Los_Angeles' });
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, timezoneId: 'America/Los_Angeles' });
  await page.goto(URL);
  for (const supplier of ['如家酒店', '顺丰速运', '稳健医疗']) {
    await page.evaluate((sup) => window.go.app.OfferService.Record({ supplier: sup, region: '江汉区', contactName: '', contactPhone: '', validDays: 7,
      items: [{ name: '服务', quantity: '', unit: '' }] }), supplier);
  }
  console.log('BROWSER ZONE', await page.evaluate(() => `${Intl.DateTimeFormat().resolvedOptions().timeZone}, now ${new Date().toString()}`));
  for (const locale of ['zh-CN', 'en']) {
    await page.getByTestId(`lang-${locale}`).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, locale);
    await page.getByTestId('nav-demands').click();
    await page.getByTestId('demand-row').filter({ hasText: D }).locator('button').first().click();
    const detail = page.getByTestId('demand-detail');
    await detail.waitFor();
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(OUT, `ui15-zone-detail-${locale}.png`) });
    console.log('ZONE', locale, await page.getByTestId('time-zone').innerText(), '| title:', await page.getByTestId('time-zone').getAttribute('title'));
    console.log('HISTORY', locale, '\n', (await detail.locator('.when').allInnerTexts()).join('\n'));
    await page.keyboard.press('Escape'); // close the drawer
    await detail.waitFor({ state: 'detached' });

    await page.getByTestId('nav-volunteers').click();
    const search = page.getByTestId('volunteer-search');
    await search.fill('');
    await page.getByTestId('volunteer-total').filter({ hasText: /4/ }).waitFor();
    await search.fill('张');
    await page.getByTestId('volunteer-total').filter({ hasText: /2/ }).waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUT, `ui15-volunteers-search-${locale}.png`) });
    console.log('SEARCH 张', locale, await page.getByTestId('volunteer-total').innerText());
    // a row matched by its code only, which the table does not show
    const code = await page.evaluate(async () => (await window.go.app.VolunteerService.Page({ text: '何丽', skill: '', region: '', availableNow: false, offset: 0, limit: 5 })).volunteers[0].code);
    const part = code.slice(-4).toLowerCase();
    await search.fill(part);
    await page.getByTestId('volunteer-matched').first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUT, `ui15-volunteers-code-${locale}.png`) });
    console.log('SEARCH', part, locale, await page.getByTestId('volunteer-total').innerText(), '|', (await page.getByTestId('volunteer-matched').allInnerTexts()).join(' / '));
    await search.fill('');

    await page.getByTestId('nav-offers').click();
    const offers = page.getByTestId('offer-search');
    await offers.fill('酒店');
    await page.getByTestId('offer-total').filter({ hasText: /3/ }).waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUT, `ui15-offers-search-${locale}.png`) });
    console.log('OFFERS 酒店', locale, await page.getByTestId('offer-total').innerText(), '|', await page.getByTestId('offer-count').innerText());
    await offers.fill('');
  }
} finally {
  await browser.close();
  await backend.stop();
}
