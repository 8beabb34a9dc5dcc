// End to end: a street map fetched from a hub. A regional hub (the headless
// reliefmesh-hub on loopback libp2p) serves the test street map
// (testdata/map/area.pmtiles, `serve --map`); the desktop app (wails dev)
// joins its network and is endorsed; its Map screen offers "street map
// available from 区域枢纽 — download", downloads it with progress and draws
// it. Then in English, with the map removed, the offer again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
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

test('map: a street map offered by a hub is downloaded and drawn (zh-CN), offered in English', { timeout: 900_000 }, async () => {
  const hubDir = mkdtempSync(join(tmpdir(), 'reliefmesh-hub-'));
  await hub('init', '--name', '演练事件', '--member-name', '区域枢纽', '--data-dir', hubDir);
  const mapFile = join(ROOT, 'testdata', 'map', 'area.pmtiles');
  serve = spawn(HUB, ['serve', '--listen', '/ip4/127.0.0.1/tcp/0', '--mdns=false', '--map', mapFile, '--data-dir', hubDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let serveLog = '';
  serve.stdout.on('data', (d) => (serveLog += d));
  serve.stderr.on('data', (d) => (serveLog += d));
  await poll(async () => JSON.parse((await hub('status', '--json', '--data-dir', hubDir)).stdout).hub, { what: 'the hub serving', timeout: 300_000 })
    .catch((e) => { throw new Error(`${e.message}\n--- hub log ---\n${serveLog}`); });
  assert.match(serveLog, /serving a street map to members/);
  const code = (await hub('join-code', '--qr=false', '--data-dir', hubDir)).stdout.split('\n')[0].trim();

  const backend = await startBackend(tempDataDir());
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  try {
    await page.goto(URL);
    await page.getByTestId('join-tab').click();
    await page.locator('textarea[name=joinCode]').fill(code);
    await page.locator('form button[type=submit]').click();
    await page.getByTestId('waiting').waitFor();
    const memberId = (await page.getByTestId('my-member-id').innerText()).trim();
    await hub('endorse', memberId, '--role', 'volunteer', '--name', '测试员', '--data-dir', hubDir);
    await page.getByTestId('waiting').waitFor({ state: 'detached', timeout: 120_000 });

    await page.getByTestId('nav-map').click();
    const offer = page.getByTestId('map-hub');
    // the screen asks on opening and every 30 s: reopen it until the hub is connected
    await poll(async () => {
      if (await offer.count()) return true;
      await page.getByTestId('nav-network').click();
      await page.getByTestId('nav-map').click();
      await page.waitForTimeout(1500);
      return (await offer.count()) > 0;
    }, { timeout: 90_000, what: 'the hub\'s street map offered' });
    assert.match(await offer.innerText(), /区域枢纽 提供街道图（41 KB）/);
    await page.screenshot({ path: join(OUT, 'e2e-map-hub-offer-zh.png') });

    await page.getByTestId('map-hub-download').click();
    const mapEl = page.getByTestId('map');
    await poll(async () => (await mapEl.getAttribute('data-tiles')) === 'loaded', { timeout: 60_000, what: 'the downloaded street map drawn' });
    await page.getByTestId('map-hub-done').waitFor();
    assert.match(await page.getByTestId('map-hub-done').innerText(), /来自 区域枢纽 的街道图已安装/);
    assert.equal(await offer.count(), 0, 'the installed map is still offered');
    assert.match(await page.getByTestId('map-streets').innerText(), /街道图已加载/);
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(OUT, 'e2e-map-hub-downloaded-zh.png') });

    // in English with the map removed: offered again, in English
    await page.evaluate(() => window.go.app.MapService.RemoveTiles());
    await page.getByTestId('lang-en').click();
    await page.goto(URL);
    await page.getByTestId('nav-map').click();
    await offer.waitFor({ timeout: 30_000 });
    assert.match(await offer.innerText(), /Street map available from 区域枢纽 \(41 KB\)/);
    await page.screenshot({ path: join(OUT, 'e2e-map-hub-offer-en.png') });
  } catch (e) {
    await page.screenshot({ path: join(OUT, 'e2e-map-hub-failed.png') }).catch(() => {});
    e.message += `\n--- backend log ---\n${backend.log().slice(-3000)}\n--- hub log ---\n${serveLog.slice(-3000)}`;
    throw e;
  } finally {
    await page.close();
    await backend.stop();
  }
});
