// End to end (issue 16): joining asks to accept the covenant. A hub founds the
// network and publishes its covenant (`reliefmesh-hub covenant`); the app
// joins with the hub's join code, is endorsed through the hub CLI, is asked
// by the banner to read and accept covenant v1, accepts it, and the
// endorsement tree then shows the version it accepted. In Chinese and in
// English.
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
const TEXT = { 'zh-CN': { accepted: '契约 v1' }, en: { accepted: 'covenant v1' } };

let browser;
const serves = [];
after(async () => {
  await browser?.close();
  for (const s of serves) s.kill('SIGTERM');
});

for (const locale of ['zh-CN', 'en']) {
  test(`join and accept the covenant (${locale})`, { timeout: 900_000 }, async () => {
    const hubDir = mkdtempSync(join(tmpdir(), 'reliefmesh-hub-'));
    await hub('init', '--name', '演练事件', '--member-name', '区域枢纽', '--data-dir', hubDir);
    const text = join(hubDir, '..', `covenant-${Date.now()}.txt`);
    writeFileSync(text, '一、不泄露求助者信息。\n二、不经手钱物。');
    assert.match((await hub('covenant', '--file', text, '--title', '伙伴契约', '--data-dir', hubDir)).stdout, /version 1/);
    const serve = spawn(HUB, ['serve', '--listen', '/ip4/127.0.0.1/tcp/0', '--data-dir', hubDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    serves.push(serve);
    let serveLog = '';
    serve.stdout.on('data', (d) => (serveLog += d));
    serve.stderr.on('data', (d) => (serveLog += d));
    await poll(async () => JSON.parse((await hub('status', '--json', '--data-dir', hubDir)).stdout).hub, { what: 'the hub serving', timeout: 300_000 });
    const code = (await hub('join-code', '--qr=false', '--data-dir', hubDir)).stdout.split('\n')[0].trim();

    const backend = await startBackend(tempDataDir());
    browser ??= await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(URL);
      await page.getByTestId(`lang-${locale}`).click();
      await page.getByTestId('join-tab').click();
      await page.locator('textarea[name=joinCode]').fill(code);
      await page.locator('form button[type=submit]').click();
      await page.getByTestId('waiting').waitFor();
      const memberId = (await page.getByTestId('my-member-id').innerText()).trim();
      await hub('endorse', memberId, '--role', 'volunteer', '--name', '新成员', '--data-dir', hubDir);
      await page.getByTestId('waiting').waitFor({ state: 'detached', timeout: 120_000 });

      // the banner asks the newcomer to read and accept the covenant
      await page.getByTestId('covenant-banner').waitFor({ timeout: 120_000 });
      await page.getByTestId('covenant-banner-read').click();
      assert.match(await page.getByTestId('covenant-banner-text').innerText(), /不泄露求助者信息/);
      await page.screenshot({ path: join(OUT, `e2e-${locale}-join-covenant.png`) });
      await page.getByTestId('covenant-banner-accept').click();
      await page.getByTestId('covenant-banner').waitFor({ state: 'detached' });
      await page.getByTestId('nav-volunteers').click();
      await page.getByTestId('covenant-mine').waitFor();
      // the badges of the tree: the hub's coordinator has not accepted, the newcomer accepted v1
      const badges = page.getByTestId('endorsement-tree').getByTestId('member-covenant');
      await poll(async () => (await badges.allInnerTexts()).includes(TEXT[locale].accepted), { what: 'the tree showing v1 accepted', timeout: 60_000 });
      // the hub holds the acceptance too: its coordinator no longer sees a member missing
      await poll(async () => {
        const whats = JSON.parse((await hub('inbox', '--json', '--data-dir', hubDir)).stdout).map((p) => p.what);
        return whats.includes('covenant') && !whats.includes('covenant_missing');
      }, { what: "the hub's inbox without covenant_missing", timeout: 120_000 });
      await page.screenshot({ path: join(OUT, `e2e-${locale}-join-covenant-accepted.png`) });
    } catch (e) {
      await page.screenshot({ path: join(OUT, `e2e-${locale}-join-covenant-failure.png`) }).catch(() => {});
      e.message += `\n--- backend log ---\n${backend.log().slice(-3000)}\n--- hub log ---\n${serveLog.slice(-3000)}`;
      throw e;
    } finally {
      await page.close();
      await backend.stop();
      serve.kill('SIGTERM');
    }
  });
}
