// The street map: a PMTiles package (vector tiles in one file) the app serves
// to the webview at a URL of its own (app.MapService, TilesURL), read by byte
// ranges.
import { PMTiles, type Source, type RangeResponse } from 'pmtiles';

/**
 * RangeQuerySource reads byte ranges of the package at url by the query
 * offset and length rather than the Range header, which webviews do not all
 * pass on to the app's asset server. key names the installed version (its
 * install time), so that a replaced package is not read from caches.
 */
export class RangeQuerySource implements Source {
  constructor(private url: string, private version = '') {}

  getKey(): string {
    return `${this.url}#${this.version}`;
  }

  async getBytes(offset: number, length: number, signal?: AbortSignal): Promise<RangeResponse> {
    const sep = this.url.includes('?') ? '&' : '?';
    const res = await fetch(`${this.url}${sep}offset=${offset}&length=${length}&v=${encodeURIComponent(this.version)}`, { signal });
    if (!res.ok) throw new Error(`street map ${this.url}: bytes ${offset}+${length}: HTTP ${res.status}`);
    return { data: await res.arrayBuffer() };
  }
}

/** BytesSource reads a package held in memory (tests, a file read whole). */
export class BytesSource implements Source {
  constructor(private bytes: Uint8Array, private key = 'memory') {}

  getKey(): string {
    return this.key;
  }

  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const b = this.bytes.slice(offset, offset + length);
    return { data: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer };
  }
}

/** TilesArea is what the map needs from a package's header. */
export interface TilesArea {
  minZoom: number;
  maxZoom: number;
  /** [[south, west], [north, east]] in degrees */
  bounds: [[number, number], [number, number]];
}

/** openTiles opens the package of source and reads its area; it rejects when the file is no PMTiles package of vector tiles. */
export async function openTiles(source: Source): Promise<{ tiles: PMTiles; area: TilesArea }> {
  const tiles = new PMTiles(source);
  const h = await tiles.getHeader();
  if (h.tileType !== 1) throw new Error(`street map ${source.getKey()}: tiles of type ${h.tileType}, not vector tiles (MVT)`);
  return { tiles, area: { minZoom: h.minZoom, maxZoom: h.maxZoom, bounds: [[h.minLat, h.minLon], [h.maxLat, h.maxLon]] } };
}
