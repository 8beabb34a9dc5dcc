// Screenshots (not a test; run with `node e2e/refused-people.shots.mjs`
// after `go build -o build/bin/e2epeer ./internal/tools/e2epeer`): a refused
// edit of a volunteer's profile in the coordinator's 待答复 / Awaiting reply,
// in both languages (issue 15: refused volunteer and offer writes reach
// inboxes). The app's member is the coordinator; 志愿者丙's device, played by
// e2epeer, signs an edit of 志愿者乙's profile that the fold refuses.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT, ROOT } from './backend.mjs';

const PEER = join(ROOT, 'build/bin/e2epeer');
const tmp = mkdtempSync(join(tmpdir(), 'reliefmesh-e2epeer-'));
const appDir = tempDataDir();
const dirs = { A: appDir, V: join(tmp, 'v'), W: join(tmp, 'w') };
const args = Object.entries(dirs).flatMap(([name, dir]) => ['-dev', `${name}=${dir}`]);
const steps = [
  { on: 'A', do: 'create', incident: 'E2E 资料演练', name: '协调员甲' },
  { on: 'V', do: 'join', network: 'A' },
  { on: 'W', do: 'join', network: 'A' },
  { on: 'A', do: 'endorse', member: 'V', role: 'volunteer', name: '志愿者乙' },
  { on: 'A', do: 'endorse', member: 'W', role: 'volunteer', name: '志愿者丙' },
  { on: 'A', do: 'carry', to: 'V' },
  { on: 'A', do: 'carry', to: 'W' },
  { on: 'V', do: 'profile', profile: { name: '志愿者乙', phone: '13912345678', organisation: '武汉志愿者协会' } },
  { on: 'V', do: 'carry', to: 'W' },
  { on: 'W', do: 'rawset', kind: 'volunteer', id: 'V', field: 'organisation', value: '冒名的组织' },
  { on: 'V', do: 'carry', to: 'A' },
  { on: 'W', do: 'carry', to: 'A' },
];
execFileSync(PEER, args, { input: JSON.stringify(steps), encoding: 'utf8', timeout: 120_000 });

const backend = await startBackend(appDir);
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(URL);
  for (const locale of ['zh-CN', 'en']) {
    await page.getByTestId(`lang-${locale}`).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, locale);
    await page.getByTestId('nav-inbox').click();
    await page.getByTestId('inbox-record').first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(400);
    const path = join(OUT, `seal-refused-profile-${locale}.png`);
    await page.screenshot({ path });
    console.log(path, await page.getByTestId('inbox-row').filter({ has: page.getByTestId('inbox-record') }).first().innerText());
  }
  // acknowledged by the coordinator, it leaves the inbox
  await page.getByTestId('inbox-resolve-ack').first().click();
  await page.getByTestId('inbox-record').waitFor({ state: 'detached', timeout: 30_000 });
  console.log('acknowledged: the entry left the inbox');
} finally {
  await browser.close();
  await backend.stop();
}
