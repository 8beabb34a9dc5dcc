// Screenshots (not a test; run with `E2E_PORT=34310 node e2e/bundle-damage.shots.mjs`
// after `go build -o build/bin/e2epeer ./internal/tools/e2epeer` and `npm run build`):
// a bundle with bytes changed in the middle (a failing USB stick) imported on
// the Network screen, in both languages (session 11, finding 11: one bad byte
// lost every change after it). The app reads on past the damage and says where
// it was, how many changes it read after it, and which of 志愿者乙's changes it
// still lacks. The app's member is the coordinator; 志愿者乙's device, played by
// e2epeer, records 30 demands and exports its bundle.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT, ROOT } from './backend.mjs';

const PEER = join(ROOT, 'build/bin/e2epeer');
const tmp = mkdtempSync(join(tmpdir(), 'reliefmesh-e2e-bundle-'));
const appDir = tempDataDir();
const whole = join(tmp, 'from-v.rmbundle');
const steps = [
  { on: 'A', do: 'create', incident: 'E2E 东湖水灾', name: '协调员甲' },
  { on: 'V', do: 'join', network: 'A' },
  { on: 'A', do: 'endorse', member: 'V', role: 'volunteer', name: '志愿者乙' },
  { on: 'A', do: 'carry', to: 'V' },
  ...Array.from({ length: 30 }, (_, i) => ({ on: 'V', do: 'record', demand: { title: `需求 ${i + 1} 号：饮用水`, category: 'other', district: '洪山区', urgency: 'high', items: [{ name: '饮用水', quantity: '20', unit: '箱' }] } })),
  { on: 'V', do: 'export', file: whole },
];
execFileSync(PEER, ['-dev', `A=${appDir}`, '-dev', `V=${join(tmp, 'v')}`], { input: JSON.stringify(steps), encoding: 'utf8', timeout: 300_000 });

// the title of demand 12 made invalid UTF-8: that change no longer reads as one
const bytes = readFileSync(whole);
const title = Buffer.from('需求 12 号');
const at = bytes.indexOf(title);
if (at < 0) throw new Error('demand 12 is not in the bundle');
bytes.fill(0xff, at, at + title.length);
const damaged = join(tmp, '乙-坏了的U盘.rmbundle');
writeFileSync(damaged, bytes);

const backend = await startBackend(appDir);
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(URL);
  for (const locale of ['zh-CN', 'en']) {
    await page.getByTestId(`lang-${locale}`).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, locale);
    await page.getByTestId('nav-network').click();
    await page.evaluate((p) => { window.go.app.NetworkService.ImportBundle = () => window.go.app.NetworkService.ImportBundleFrom(p); }, damaged);
    await page.getByTestId('bundle-import').click();
    const err = page.getByTestId('bundle-error');
    await err.waitFor({ timeout: 120_000 });
    await err.scrollIntoViewIfNeeded();
    await page.waitForTimeout(400);
    const path = join(OUT, `bundle-damaged-${locale}.png`);
    await page.screenshot({ path });
    console.log(path, await err.innerText());
  }
} finally {
  await browser.close();
  await backend.stop();
}
