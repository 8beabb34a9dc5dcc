// Screenshots (not a test): session 14's tester. The app's member 协调员丙 (A) owns
// 四中安置点需要药品; apart, 协调员甲 (C, internal/tools/e2epeer) withdraws it while A edits its
// title. After C's bundle arrives, 待答复 and the demand's page say the edit made after the close is
// kept and shown (it was said "did not apply"), in both languages.
// Run: cd frontend && npm run build && cd .. && go build -o build/bin/e2epeer ./internal/tools/e2epeer
// (and `make build`), then cd frontend && E2E_PORT=34640 node e2e/tester14-closed.shots.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT, ROOT } from './backend.mjs';

const PEER = join(ROOT, 'build/bin/e2epeer');
const D = '四中安置点需要药品';
const peer = (dirs, steps) =>
  JSON.parse(execFileSync(PEER, Object.entries(dirs).flatMap(([n, d]) => ['-dev', `${n}=${d}`]), { input: JSON.stringify(steps), encoding: 'utf8', timeout: 180_000 }));

const tmp = mkdtempSync(join(tmpdir(), 'reliefmesh-t14-'));
const appDir = tempDataDir();
const dirs = { C: join(tmp, 'coordinator'), A: appDir };
const fromC = join(tmp, 'from-c.rmbundle');
peer(dirs, [
  { on: 'C', do: 'create', incident: 'E2E 关闭后编辑', name: '协调员甲' },
  { on: 'A', do: 'join', network: 'C' },
  { on: 'C', do: 'endorse', member: 'A', role: 'coordinator', name: '协调员丙' },
  { on: 'C', do: 'record', demand: { title: D, category: 'daily_necessities', district: '江汉区', items: [{ name: '药品', quantity: '100', unit: '盒' }] } },
  { on: 'C', do: 'act', input: { id: D, action: 'approve', evidence: { kind: 'callback', caller: '协调员甲', outcome: '仍需要' } } },
  { on: 'C', do: 'act', input: { id: D, action: 'publish' } },
  { on: 'C', do: 'carry', to: 'A' },
  { on: 'A', do: 'act', input: { id: D, action: 'claim' } },
  { on: 'A', do: 'carry', to: 'C' },
  { on: 'C', do: 'act', input: { id: D, action: 'withdraw', note: '已由区里统一配送' } },
  { on: 'C', do: 'export', file: fromC },
]);
await new Promise((r) => setTimeout(r, 50)); // the edit is stamped after the withdrawal
peer(dirs, [{ on: 'A', do: 'rawset', kind: 'demand', id: D, field: 'title', value: `${D}（改为 200 盒）` }]);

const backend = await startBackend(appDir);
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(URL);
  await page.getByTestId('nav-network').click();
  await page.evaluate((p) => { window.go.app.NetworkService.ImportBundle = () => window.go.app.NetworkService.ImportBundleFrom(p); }, fromC);
  await page.getByTestId('bundle-import').click();
  await page.getByTestId('bundle-result').filter({ hasText: fromC }).waitFor();
  for (const locale of ['zh-CN', 'en']) {
    await page.getByTestId(`lang-${locale}`).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, locale);
    await page.getByTestId('nav-inbox').click();
    await page.getByTestId('inbox-notice').first().waitFor();
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(OUT, `tester14-closed-inbox-${locale}.png`) });
    console.log('INBOX', locale, '\n', (await page.getByTestId('inbox-notice').allInnerTexts()).join('\n'));
    await page.getByTestId('nav-demands').click();
    await page.getByTestId('demand-row').filter({ hasText: D }).locator('button').first().click();
    const detail = page.getByTestId('demand-detail');
    await detail.waitFor();
    await detail.getByTestId('conflict-line').first().scrollIntoViewIfNeeded();
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(OUT, `tester14-closed-detail-${locale}.png`) });
    console.log('DETAIL', locale, '\n', (await detail.getByTestId('conflict-line').allInnerTexts()).join('\n'));
    await detail.getByRole('button', { name: locale === 'en' ? 'Close' : '关闭' }).click();
  }
} finally {
  await browser.close();
  await backend.stop();
}
