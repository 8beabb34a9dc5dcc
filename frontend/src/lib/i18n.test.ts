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

describe('English counts', () => {
  // a tester read "1 changes by … were undone", "1 action(s) did not apply", "1 members"
  const get = (k: string) => k.split('.').reduce((o: any, p) => o[p], en) as string;
  const cases: [string, Record<string, string | number>, string, string][] = [
    ['undone.toast', { name: 'Li', by: 'Wang', at: 'now' }, '1 change by Li was undone', '2 changes by Li were undone'],
    ['undone.toastUnknown', { name: 'Li' }, '1 change by Li was undone', '2 changes by Li were undone'],
    ['undone.toastFork', { name: 'Li', at: 'now' }, '1 of its changes was undone', '2 of its changes were undone'],
    ['inbox.undone', { name: 'Li' }, '1 change by Li was undone', '2 changes by Li were undone'],
    ['detail.conflicts', {}, '1 action did not apply', '2 actions did not apply'],
    ['inbox.covenantMissing', { code: 'v2' }, '1 member has not', '2 members have not'],
    ['storage.repairedMissing', {}, '1 change was missing', '2 changes were missing'],
  ];
  it.each(cases)('%s says one and several', async (key, values, one, two) => {
    const { IntlMessageFormat } = await import('intl-messageformat');
    const f = new IntlMessageFormat(get(key), 'en');
    expect(f.format({ ...values, count: 1 })).toContain(one);
    expect(f.format({ ...values, count: 2 })).toContain(two);
  });
  it('groups.membersAre says one member', async () => {
    const { IntlMessageFormat } = await import('intl-messageformat');
    expect(new IntlMessageFormat(get('groups.membersAre'), 'en').format({ n: 1, names: 'Li' })).toBe('1 member: Li');
  });
});
