import { describe, it, expect, vi, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import Pbf from 'pbf';
import { BytesSource, RangeQuerySource, openTiles } from './maptiles';

// the test package the Go side installs (testdata/map, made by testdata/map/gen)
// (vitest runs in frontend/)
const file = new Uint8Array(readFileSync('../testdata/map/area.pmtiles'));

afterEach(() => vi.unstubAllGlobals());

describe('street map package', () => {
  it('reads the test package: its area, zooms and a tile with the roads', async () => {
    const { tiles, area } = await openTiles(new BytesSource(file));
    expect(area.minZoom).toBe(8);
    expect(area.maxZoom).toBe(14);
    const [[s, w], [n, e]] = area.bounds;
    expect(s).toBeCloseTo(30.54, 2); expect(w).toBeCloseTo(114.2, 2);
    expect(n).toBeCloseTo(30.66, 2); expect(e).toBeCloseTo(114.36, 2);
    // the tile of 江汉区 at zoom 14 (x 13393, y 6809)
    const x = Math.floor(((114.27 + 180) / 360) * 2 ** 14);
    const lat = (30.6 * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * 2 ** 14);
    const t = await tiles.getZxy(14, x, y);
    expect(t, `tile 14/${x}/${y}`).toBeTruthy();
    let data: Uint8Array = new Uint8Array(t!.data);
    if (data[0] === 0x1f && data[1] === 0x8b) data = gunzipSync(data); // decompressed by pmtiles where the runtime can
    const vt = new VectorTile(new Pbf(data));
    expect(Object.keys(vt.layers)).toEqual(expect.arrayContaining(['earth', 'roads', 'places']));
    const names = Array.from({ length: vt.layers.roads.length }, (_, i) => vt.layers.roads.feature(i).properties.name);
    expect(names).toContain('解放大道');
    expect(await tiles.getZxy(14, x + 200, y)).toBeUndefined(); // outside the area: no tile
  });

  it('refuses a file that is not a PMTiles package', async () => {
    await expect(openTiles(new BytesSource(new TextEncoder().encode('not a tile package, just text'.repeat(10))))).rejects.toThrow();
  });

  it('asks the app for byte ranges by query, and says which range failed', async () => {
    const seen: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      seen.push(url);
      const q = new URL(url, 'http://x').searchParams;
      const off = Number(q.get('offset')), len = Number(q.get('length'));
      return new Response(file.slice(off, off + len));
    });
    const { area } = await openTiles(new RangeQuerySource('/mapdata/area.pmtiles', '2026-12-06T18:00:00Z'));
    expect(area.maxZoom).toBe(14);
    expect(seen[0]).toMatch(/^\/mapdata\/area\.pmtiles\?offset=0&length=\d+&v=2026-12-06T18%3A00%3A00Z$/);
    vi.stubGlobal('fetch', async () => new Response('no street map installed', { status: 404 }));
    await expect(new RangeQuerySource('/mapdata/area.pmtiles').getBytes(0, 127)).rejects.toThrow(/bytes 0\+127: HTTP 404/);
  });
});
