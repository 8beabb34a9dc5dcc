// End to end: a release carried in a bundle, as this build sees it. A hub
// of the app's network writes a bundle carrying an installer with its
// SHA256SUMS (`bundle export --release`); the app imports the bundle on the
// Network screen and says what the release is worth: this build has no
// maintainers' key yet (internal/release/maintainers.pub), so it says that no
// update can be verified and keeps nothing. In zh-CN, then in English.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, URL, OUT, ROOT } from './backend.mjs';

const run = promisify(execFile);
const HUB = join(ROOT, 'build/bin/reliefmesh-hub');
const hub = (...args) => run(HUB, args, { timeout: 60_000 });

let browser;
after(async () => { await browser?.close(); });

test('bundle import: a carried release is checked and the verdict said (zh-CN, en)', { timeout: 900_000 }, async () => {
  const backend = await startBackend(tempDataDir());
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  try {
    await page.goto(URL);
    await page.getByTestId('onboarding').waitFor();
    await page.locator('input[name=incident]').fill('E2E 更新');
    await page.locator('input[name=name]').fill('测试员');
    await page.locator('form button[type=submit]').click();
    await page.getByTestId('demands-empty').waitFor();
    const code = await page.evaluate(async () => (await window.go.app.NetworkService.JoinCode()).code);

    const dir = mkdtempSync(join(tmpdir(), 'reliefmesh-release-'));
    const hubDir = join(dir, 'hub');
    await hub('join', code, '--data-dir', hubDir);
    const inst = join(dir, 'ReliefMesh-0.2.0-windows-amd64-setup.exe');
    const body = Buffer.from('MZ installer '.repeat(2000));
    writeFileSync(inst, body);
    writeFileSync(join(dir, 'SHA256SUMS'), `${createHash('sha256').update(body).digest('hex')}  ReliefMesh-0.2.0-windows-amd64-setup.exe\n`);
    const bundle = join(dir, 'site.rmbundle');
    const out = await hub('bundle', 'export', '-o', bundle, '--release', inst, '--data-dir', hubDir);
    assert.match(out.stdout, /added the release/);

    await page.getByTestId('nav-network').click();
    await page.evaluate((p) => { window.go.app.NetworkService.ImportBundle = () => window.go.app.NetworkService.ImportBundleFrom(p); }, bundle);
    await page.getByRole('button', { name: '导入同步包' }).click();
    const rel = page.getByTestId('bundle-release');
    await rel.waitFor({ timeout: 30_000 });
    assert.equal(await rel.getAttribute('data-outcome'), 'refused');
    assert.match(await rel.innerText(), /本版本应用未内置维护者密钥，无法验证任何更新/);
    assert.equal(await page.getByTestId('release-save').count(), 0, 'an unverified release may be saved');
    await rel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT, 'e2e-bundle-release-zh.png') });

    await page.getByTestId('lang-en').click();
    await page.getByRole('button', { name: 'Import bundle' }).click();
    await rel.waitFor({ timeout: 30_000 });
    assert.match(await rel.innerText(), /no maintainers' key built in/);
    await rel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT, 'e2e-bundle-release-en.png') });
  } catch (e) {
    await page.screenshot({ path: join(OUT, 'e2e-release-failed.png') }).catch(() => {});
    e.message += `\n--- backend log ---\n${backend.log().slice(-3000)}`;
    throw e;
  } finally {
    await page.close();
    await backend.stop();
  }
});
