import { describe, it, expect } from 'vitest';
import { decodePixels } from './qr';
import fixture from './testdata/qr-joincode.txt?raw';

// The fixture is a QR code made by the Go side's encoder (skip2/go-qrcode, as
// `reliefmesh-hub join-code --png` and the Network screen use): the text on
// the first line, then one row of modules per line (1 = dark).
const [text, ...rows] = fixture.trim().split('\n');

function render(scale: number, invert = false): { data: Uint8ClampedArray; w: number } {
  const n = rows.length;
  const w = n * scale;
  const data = new Uint8ClampedArray(w * w * 4);
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < w; x++) {
      const dark = rows[Math.floor(y / scale)][Math.floor(x / scale)] === '1';
      const v = dark !== invert ? 0 : 255;
      const i = (y * w + x) * 4;
      data[i] = data[i + 1] = data[i + 2] = v;
      data[i + 3] = 255;
    }
  }
  return { data, w };
}

describe('decodePixels', () => {
  it('reads the join code of a QR code', () => {
    const { data, w } = render(4);
    expect(decodePixels(data, w, w)).toBe(text);
  });
  it('reads a light code on a dark background (a photographed screen)', () => {
    const { data, w } = render(3, true);
    expect(decodePixels(data, w, w)).toBe(text);
  });
  it('finds nothing in a picture without a code', () => {
    const w = 120;
    const data = new Uint8ClampedArray(w * w * 4);
    for (let i = 0; i < data.length; i += 4) {
      const v = ((i / 4) % 7) * 36;
      data[i] = data[i + 1] = data[i + 2] = v;
      data[i + 3] = 255;
    }
    expect(decodePixels(data, w, w)).toBeNull();
  });
});
