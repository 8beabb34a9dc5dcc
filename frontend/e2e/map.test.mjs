// End to end: the map with a street map. A network with demands in two of
// Wuhan's districts opens the map on them; the test street map package
// (testdata/map/area.pmtiles) is loaded through the Map screen (its file
// dialog answered with the file) and drawn: the tile canvases are not blank
// (their pixels take several colours). The legend covers every status; a
// click on a record opens it. In zh-CN, then in English. Then two of 17.5's
// screen fixes: the join code above the fold, import preview cells whole.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startBackend, launchBrowser, tempDataDir, poll, URL, OUT, ROOT } from './backend.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// tilePixels counts the colours drawn on the street map's tile canvases and
// the share of pixels that are not the commonest colour (the background).
async function tilePixels(page) {
  return page.evaluate(() => {
    const counts = new Map();
    let total = 0;
    for (const c of document.querySelectorAll('.leaflet-tile-pane canvas.leaflet-tile')) {
      if (!c.width || !c.height) continue;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 16) { // every 4th pixel
        const k = (d[i] >> 3) << 10 | (d[i + 1] >> 3) << 5 | (d[i + 2] >> 3);
        counts.set(k, (counts.get(k) ?? 0) + 1);
        total++;
      }
    }
    const top = Math.max(0, ...counts.values());
    return { canvases: document.querySelectorAll('.leaflet-tile-pane canvas.leaflet-tile').length, colours: counts.size, other: total ? 1 - top / total : 0 };
  });
}

test('map: opens on the incident, loads the test street map and draws it, legend, click opens (zh-CN, en)', { timeout: 900_000 }, async () => {
  const dataDir = tempDataDir();
  const backend = await startBackend(dataDir);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  try {
    await page.goto(URL);
    await page.getByTestId('onboarding').waitFor();
    await page.locator('input[name=incident]').fill('E2E 地图');
    await page.locator('input[name=name]').fill('测试员');
    await page.locator('form button[type=submit]').click();
    await page.getByTestId('demands-empty').waitFor();
    // three demands recorded without a position: two in 江汉区, one in 江岸区
    await page.evaluate(async () => {
      const rec = (title, district) => window.go.app.DemandService.Record({ title, category: 'protective_equipment', district,
        items: [{ name: 'N95口罩', quantity: '100', unit: '只' }] });
      await rec('协和医院 N95', '江汉区');
      await rec('中心医院 口罩', '江汉区');
      await rec('江岸社区 防护服', '江岸区');
    });
    await page.getByTestId('nav-map').click();
    const counts = page.getByTestId('map-counts');
    await poll(async () => (await counts.getAttribute('data-approx')) === '3', { timeout: 60_000, what: 'three approximate points' });
    assert.equal(await counts.getAttribute('data-unplaced'), '0');
    // opened on the two districts, not on all of China
    const mapEl = page.getByTestId('map');
    await poll(async () => Number(await mapEl.getAttribute('data-zoom')) >= 11, { timeout: 60_000, what: 'the map to zoom to the incident' });
    await page.locator('.place-label', { hasText: '江汉区' }).waitFor();

    // the legend covers every status, fulfilled included, and the approximate ring
    const legend = page.getByTestId('map-legend');
    for (const s of ['collected', 'approved', 'published', 'in_progress', 'fulfilled', 'offer', 'expired']) {
      assert.equal(await legend.locator(`[data-status=${s}]`).count(), 1, `legend has ${s}`);
    }
    assert.match(await legend.innerText(), /已完成/);
    assert.match(await legend.innerText(), /大致位置/);

    // no street map yet: the boundaries only, and the screen says how to load one
    assert.equal(await page.getByTestId('map-streets').getAttribute('data-state'), 'none');
    assert.match(await page.getByTestId('map-streets').innerText(), /没有街道图/);
    // the file dialog cannot open in a browser: answer it with the test package, installed by the real UseTiles
    const file = join(ROOT, 'testdata', 'map', 'area.pmtiles');
    await page.evaluate((p) => { window.go.app.MapService.PickTiles = () => window.go.app.MapService.UseTiles(p); }, file);
    await page.getByTestId('map-streets-load').click();
    await poll(async () => (await mapEl.getAttribute('data-tiles')) === 'loaded', { timeout: 30_000, what: 'the street map tiles to load' });
    await page.waitForTimeout(800); // labels placed, tiles re-rendered
    const px = await tilePixels(page);
    assert.ok(px.canvases > 0, `tile canvases: ${JSON.stringify(px)}`);
    assert.ok(px.colours >= 5 && px.other > 0.05, `street map tiles are not blank: ${JSON.stringify(px)}`);
    assert.match(await page.getByTestId('map-streets').innerText(), /街道图已加载/);
    await page.screenshot({ path: join(OUT, 'e2e-map-streets-zh.png') });

    // a click on the records' place spreads them (all on one centre), a click on one opens it
    await page.locator('.rm-cluster').first().click();
    await page.locator('path.pt-demand').first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500); // spiderfy animation
    await page.locator('path.pt-demand').first().click({ force: true });
    await page.getByTestId('demand-detail').waitFor({ timeout: 60_000 });
    // the demand page is drawn above the map (the map's panes covered it)
    // (Leaflet's panes and controls are positioned with z-indexes up to 1000
    // in the page's stacking context; the drawer must stack above them all;
    // elementFromPoint cannot tell, as the tile pane lets the pointer through)
    const stack = await page.evaluate(() => {
      const z = (el) => Number.parseInt(getComputedStyle(el).zIndex, 10);
      const drawer = z(document.querySelector('[data-testid=demand-detail]'));
      const map = Math.max(...[...document.querySelectorAll('.leaflet-container *')].map(z).filter((n) => !Number.isNaN(n)));
      return { drawer, map };
    });
    assert.ok(stack.drawer > stack.map, `the demand page (z-index ${stack.drawer}) is under the map's panes (up to ${stack.map})`);
    await page.screenshot({ path: join(OUT, 'e2e-map-detail-zh.png') });
    await page.keyboard.press('Escape');

    // in English, after a reload: the street map is still there (installed in the data directory)
    await page.getByTestId('lang-en').click();
    await page.goto(URL);
    await page.getByTestId('nav-map').click();
    await poll(async () => (await mapEl.getAttribute('data-tiles')) === 'loaded', { timeout: 30_000, what: 'the street map tiles to load (en)' });
    await page.waitForTimeout(800);
    const pxEn = await tilePixels(page);
    assert.ok(pxEn.colours >= 5 && pxEn.other > 0.05, `street map tiles are not blank (en): ${JSON.stringify(pxEn)}`);
    assert.match(await legend.innerText(), /fulfilled/i);
    assert.match(await page.getByTestId('map-streets').innerText(), /Street map loaded/);
    await page.screenshot({ path: join(OUT, 'e2e-map-streets-en.png') });

    // a file that is not a street map is refused, saying which
    await page.evaluate((p) => { window.go.app.MapService.PickTiles = () => window.go.app.MapService.UseTiles(p); }, join(ROOT, 'README.md'));
    await page.getByRole('button', { name: 'Replace street map' }).click();
    await page.getByRole('alert').filter({ hasText: 'README.md is not a PMTiles street map' }).waitFor();

    // 17.5's screens: the join code is above the fold of the Network screen
    await page.getByTestId('nav-network').click();
    const code = page.getByTestId('join-code');
    await code.waitFor();
    const box = await code.boundingBox();
    assert.ok(box && box.y + box.height <= 800, `join code at ${JSON.stringify(box)}: want it within the 800 px window without scrolling`);
    await page.screenshot({ path: join(OUT, 'e2e-network-join-code.png') });
    // … and the import preview shows long cells whole (the table scrolls instead)
    await page.getByTestId('nav-imports').click();
    await page.evaluate((p) => { window.go.app.ImportService.PickFile = async () => p; }, join(ROOT, 'practice', 'data', 'hospital_needs_wuhan.json'));
    await page.getByTestId('import-pick').click();
    await page.getByTestId('import-preview').waitFor();
    const clipped = await page.evaluate(() => [...document.querySelectorAll('[data-testid=import-columns] .cell')]
      .filter((c) => c.scrollHeight > c.clientHeight + 1 || c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent.slice(0, 40)));
    assert.deepEqual(clipped, [], 'import preview cells cut off');
    await page.screenshot({ path: join(OUT, 'e2e-import-preview-cells.png') });
  } catch (e) {
    await page.screenshot({ path: join(OUT, 'e2e-map-failed.png') }).catch(() => {});
    e.message += `\n--- wails dev log (tail) ---\n${backend.log().slice(-3000)}`;
    throw e;
  } finally {
    await page.close();
    await backend.stop();
  }
});
