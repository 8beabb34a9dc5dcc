import { describe, it, expect } from 'vitest';
import zh from '../locales/zh-CN.json';
import en from '../locales/en.json';

function keys(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('locales', () => {
  it('zh-CN and en have the same keys', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });
  it('no message is empty', () => {
    for (const [name, m] of [['zh-CN', zh], ['en', en]] as const) {
      const flat = keys(m);
      for (const k of flat) {
        const v = k.split('.').reduce((o: any, p) => o[p], m);
        expect(String(v).trim(), `${name}:${k}`).not.toBe('');
      }
    }
  });
});
