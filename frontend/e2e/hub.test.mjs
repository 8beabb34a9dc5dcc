// End to end with two backends: a regional hub (the headless reliefmesh-hub,
// serving over loopback libp2p) and the desktop app (wails dev) in headless
// Chromium. The app joins the hub's network with its join code, waits for
// endorsement, is endorsed through the hub CLI as a volunteer, and then a
// demand imported through the hub CLI appears in the open UI without a reload.
// As a volunteer it sees no approve, revoke or role change, the reply-by windows
// read only, no restricted bulletin, and the demand's restricted contact is
// hidden with the reason.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, poll, URL, OUT, ROOT } from './backend.mjs';

const run = promisify(execFile);
const HUB = join(ROOT, 'build/bin/reliefmesh-hub');
const hub = (...args) => run(HUB, args, { timeout: 60_000 });

let browser, serve;
after(async () => {
  await browser?.close();
  serve?.kill('SIGTERM');
});

test('a change made through the hub CLI appears in the open UI (zh-CN)', { timeout: 900_000 }, async () => {
  const hubDir = mkdtempSync(join(tmpdir(), 'reliefmesh-hub-'));
  await hub('init', '--name', '演练事件', '--member-name', '区域枢纽', '--data-dir', hubDir);
  serve = spawn(HUB, ['serve', '--listen', '/ip4/127.0.0.1/tcp/0', '--data-dir', hubDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let serveLog = '';
  serve.stdout.on('data', (d) => (serveLog += d));
  serve.stderr.on('data', (d) => (serveLog += d));
  await poll(async () => JSON.parse((await hub('status', '--json', '--data-dir', hubDir)).stdout).hub, { what: 'the hub serving', timeout: 300_000 })
    .catch((e) => { throw new Error(`${e.message}\n--- hub log ---\n${serveLog}`); });
  const qrPng = join(hubDir, '..', `join-${Date.now()}.png`);
  const code = (await hub('join-code', '--qr=false', '--png', qrPng, '--data-dir', hubDir)).stdout.split('\n')[0].trim();
  assert.match(code, /^RMJ1-/);

  const backend = await startBackend(tempDataDir());
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(URL);
    await page.getByTestId('join-tab').click();
    // The newcomer scans the hub's QR picture instead of typing the code.
    await page.getByTestId('qr-file').setInputFiles(qrPng);
    await page.getByTestId('qr-scanned').waitFor();
    assert.equal((await page.locator('textarea[name=joinCode]').inputValue()).trim(), code);
    await page.screenshot({ path: join(OUT, 'e2e-hub-scanned.png') });
    await page.locator('form button[type=submit]').click();
    await page.getByTestId('waiting').waitFor();
    const memberId = (await page.getByTestId('my-member-id').innerText()).trim();
    await page.screenshot({ path: join(OUT, 'e2e-hub-waiting.png') });

    await hub('endorse', memberId, '--role', 'volunteer', '--name', '测试员', '--data-dir', hubDir);
    await page.getByTestId('waiting').waitFor({ state: 'detached', timeout: 120_000 });
    await page.getByText('演练事件').first().waitFor();

    const csv = join(hubDir, '..', `demands-${Date.now()}.csv`);
    writeFileSync(csv, '医院名称,所需物资,数量,单位,地址,联系人\n汉口医院,N95口罩,500,只,武汉市江汉区解放大道,乙老师 13800000000\n');
    await hub('import', csv, '--data-dir', hubDir);
    const row = page.getByTestId('demand-row').filter({ hasText: '汉口医院' });
    await row.waitFor({ timeout: 120_000 }); // no reload: the store event reached the page

    // roles: a volunteer may not approve, and does not see the contact (restricted)
    await row.locator('button').click();
    const detail = page.getByTestId('demand-detail');
    await detail.getByTestId('detail-contacts').waitFor();
    assert.equal(await detail.getByTestId('action-approve').count(), 0, 'a volunteer sees approve');
    const contacts = await detail.getByTestId('detail-contacts').innerText();
    // sealed for reviewers, coordinators and the owner: this device cannot open it
    assert.match(contacts, /已加密/, `contacts shown to a volunteer: ${contacts}`);
    assert.doesNotMatch(contacts, /13800000000/, `a volunteer reads the requester's phone: ${contacts}`);
    assert.doesNotMatch(contacts, /138/, 'the phone number reached a volunteer');
    await page.screenshot({ path: join(OUT, 'e2e-hub-volunteer-detail.png') });
    await detail.getByRole('button', { name: '关闭' }).click();
    await page.getByTestId('nav-volunteers').click();
    await page.getByTestId('endorsement-tree').getByText('区域枢纽').waitFor();
    assert.equal(await page.getByTestId('revoke').count(), 0, 'a volunteer sees revoke');
    assert.equal(await page.getByTestId('promote').count(), 0, 'a volunteer sees the role change');
    await page.getByTestId('nav-demands').click();
    await page.getByTestId('nav-network').click();
    await page.getByTestId('peers').getByText('区域枢纽').waitFor();
    // the reply-by windows: read only for a volunteer
    await page.getByTestId('deadlines-readonly').waitFor();
    assert.equal(await page.getByTestId('save-deadlines').count(), 0, 'a volunteer may save the reply-by windows');
    assert.equal(await page.getByTestId('deadline-reviewMinutes').getAttribute('readonly'), '');
    assert.equal(await page.getByTestId('deadline-reviewMinutes').inputValue(), '2');
    await page.screenshot({ path: join(OUT, 'e2e-hub-network.png') });
    // bulletin levels: public and team, not restricted
    await page.getByTestId('nav-imports').click();
    await page.getByTestId('export-level-team').waitFor();
    assert.equal(await page.getByTestId('export-level-restricted').count(), 0, 'a volunteer is offered a restricted bulletin');
  } catch (e) {
    await page.screenshot({ path: join(OUT, 'e2e-hub-failure.png') }).catch(() => {});
    e.message += `\n--- backend log ---\n${backend.log().slice(-3000)}\n--- hub log ---\n${serveLog.slice(-3000)}`;
    throw e;
  } finally {
    await page.close();
    await backend.stop();
  }
});
