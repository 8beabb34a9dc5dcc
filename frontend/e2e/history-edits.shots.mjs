// Screenshots (not a test; run with `node e2e/history-edits.shots.mjs` after
// `go build -o build/bin/e2epeer ./internal/tools/e2epeer` and `npm run
// build`): a demand's signed history with field edits beside the steps, in
// both languages (a tester found no edit in 签名记录). The app's member is
// the coordinator; 志愿者乙's device, played by e2epeer, claims the demand
// and edits its quantity.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT, ROOT } from './backend.mjs';

const PEER = join(ROOT, 'build/bin/e2epeer');
const tmp = mkdtempSync(join(tmpdir(), 'reliefmesh-e2epeer-'));
const appDir = tempDataDir();
const dirs = { A: appDir, V: join(tmp, 'v') };
const args = Object.entries(dirs).flatMap(([name, dir]) => ['-dev', `${name}=${dir}`]);
const demand = { title: '协和医院急需 N95', category: 'protective_equipment', district: '江汉区',
  items: [{ name: 'N95口罩', quantity: '5000', unit: '只' }], contactName: '王老师', contactPhone: '13800000001' };
const steps = [
  { on: 'A', do: 'create', incident: 'E2E 历史演练', name: '协调员甲' },
  { on: 'V', do: 'join', network: 'A' },
  { on: 'A', do: 'endorse', member: 'V', role: 'volunteer', name: '志愿者乙' },
  { on: 'A', do: 'record', demand },
  { on: 'A', do: 'act', input: { id: demand.title, action: 'approve', note: '电话核实', evidence: { kind: 'callback', detail: '王老师确认' } } },
  { on: 'A', do: 'act', input: { id: demand.title, action: 'publish' } },
  { on: 'A', do: 'carry', to: 'V' },
  { on: 'V', do: 'act', input: { id: demand.title, action: 'claim' } },
  { on: 'V', do: 'carry', to: 'A' },
  { on: 'A', do: 'rawset', kind: 'demand', id: demand.title, field: 'urgency', value: 'high' },
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
    await page.getByTestId('nav-demands').click();
    await page.getByText(demand.title).first().click();
    await page.getByTestId('history').waitFor({ timeout: 60_000 });
    await page.getByTestId('history').scrollIntoViewIfNeeded();
    await page.waitForTimeout(400);
    const path = join(OUT, `history-edits-${locale}.png`);
    await page.screenshot({ path });
    console.log(path, await page.getByTestId('history').innerText());
  }
} finally {
  await browser.close();
  await backend.stop();
}
