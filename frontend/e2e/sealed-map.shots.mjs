// Screenshots (not a test; run with `node e2e/sealed-map.shots.mjs` after
// `go build -o build/bin/e2epeer ./internal/tools/e2epeer` and `npm run
// build`): the map of a volunteer, whose device cannot open the demands'
// sealed exact positions, in both languages. 协调员甲's device, played by
// e2epeer, records three demands with exact positions (two in 江汉区, one
// in 江岸区) and one without; the app is 志愿者乙's device: its map draws the
// three sealed points dotted at their district's centre, their tooltip says
// the position is sealed, and the demand page (opened from the list) says so
// too.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, poll, URL, OUT, ROOT } from './backend.mjs';

const PEER = join(ROOT, 'build/bin/e2epeer');
const tmp = mkdtempSync(join(tmpdir(), 'reliefmesh-e2epeer-'));
const appDir = tempDataDir();
const dirs = { C: join(tmp, 'c'), V: appDir };
const args = Object.entries(dirs).flatMap(([name, dir]) => ['-dev', `${name}=${dir}`]);
const demand = (title, district, position) => ({ title, category: 'protective_equipment', district,
  items: [{ name: 'N95口罩', quantity: '5000', unit: '只' }], contactName: '王老师', contactPhone: '13800000001', ...(position ? { position } : {}) });
const steps = [
  { on: 'C', do: 'create', incident: 'E2E 加密位置', name: '协调员甲' },
  { on: 'V', do: 'join', network: 'C' },
  { on: 'C', do: 'endorse', member: 'V', role: 'volunteer', name: '志愿者乙' },
  { on: 'C', do: 'record', demand: demand('协和医院急需 N95', '江汉区', { lat: 30.5838, lon: 114.2731 }) },
  { on: 'C', do: 'record', demand: demand('中心医院 口罩', '江汉区', { lat: 30.5861, lon: 114.2802 }) },
  { on: 'C', do: 'record', demand: demand('江岸社区 防护服', '江岸区', { lat: 30.6008, lon: 114.3051 }) },
  { on: 'C', do: 'record', demand: demand('汉阳社区 消毒液', '汉阳区') },
  { on: 'C', do: 'carry', to: 'V' },
];
console.log(execFileSync(PEER, args, { input: JSON.stringify(steps), encoding: 'utf8', timeout: 120_000 }).slice(0, 400));

const backend = await startBackend(appDir);
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(URL);
  for (const locale of ['zh-CN', 'en']) {
    await page.keyboard.press('Escape'); // the drawer of the last round
    await page.getByTestId(`lang-${locale}`).click({ force: true });
    await page.waitForFunction((l) => document.documentElement.lang === l, locale);
    await page.getByTestId('nav-map').click();
    const counts = page.getByTestId('map-counts');
    await poll(async () => (await counts.getAttribute('data-approx')) === '4', { timeout: 30_000, what: 'four approximate points' });
    const pts = await page.evaluate(() => window.go.app.MapService.Points());
    console.log(locale, JSON.stringify(pts.map((p) => [p.code, p.lat ?? null, p.approxName, p.positionSealed])));
    await page.locator('path.pt-sealed').first().hover({ force: true });
    await page.waitForTimeout(600);
    let path = join(OUT, `sealed-map-${locale}.png`);
    await page.screenshot({ path });
    console.log(path, await page.getByTestId('map-legend').innerText(), '|', await page.locator('.leaflet-tooltip').first().innerText().catch(() => 'no tooltip'));
    await page.getByTestId('nav-demands').click();
    await page.getByText('江岸社区 防护服').first().click();
    await page.getByTestId('detail-position-sealed').waitFor({ timeout: 30_000 });
    await page.getByTestId('detail-position-sealed').scrollIntoViewIfNeeded();
    await page.waitForTimeout(400);
    path = join(OUT, `sealed-detail-${locale}.png`);
    await page.screenshot({ path });
    console.log(path, await page.getByTestId('detail-position-sealed').innerText());
    await page.keyboard.press('Escape');
  }
} finally {
  await browser.close();
  await backend.stop();
}
