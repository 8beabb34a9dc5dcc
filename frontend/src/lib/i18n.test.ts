import { describe, it, expect } from 'vitest';
import zh from '../locales/zh-CN.json';
import en from '../locales/en.json';
import importsZh from '../locales/imports.zh-CN.json';
import importsEn from '../locales/imports.en.json';

function keys(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('locales', () => {
  it('zh-CN and en have the same keys', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });
  it('the import screen\'s zh-CN and en files have the same keys, all under "imports", none in the main files', () => {
    expect(keys(importsEn).sort()).toEqual(keys(importsZh).sort());
    expect(Object.keys(importsEn)).toEqual(['imports']);
    expect(Object.keys(importsZh)).toEqual(['imports']);
    expect(Object.keys(en)).not.toContain('imports');
    expect(Object.keys(zh)).not.toContain('imports');
  });
  it('no message is empty', () => {
    for (const [name, m] of [['zh-CN', zh], ['en', en], ['zh-CN imports', importsZh], ['en imports', importsEn]] as const) {
      const flat = keys(m);
      for (const k of flat) {
        const v = k.split('.').reduce((o: any, p) => o[p], m);
        expect(String(v).trim(), `${name}:${k}`).not.toBe('');
      }
    }
  });
});
