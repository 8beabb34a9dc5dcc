import { describe, expect, it } from 'vitest';
import { fieldKey, stepText } from './undone';
import zh from '../locales/zh-CN.json';
import en from '../locales/en.json';

// a translator over a locale file, as svelte-i18n formats ({name} values, default)
function tr(dict: Record<string, unknown>) {
  return (key: string, opts?: { values?: Record<string, string | number>; default?: string }) => {
    let v: unknown = dict;
    for (const k of key.split('.')) v = (v as Record<string, unknown> | undefined)?.[k];
    if (typeof v !== 'string') return opts?.default ?? key;
    return v.replace(/\{(\w+)\}/g, (_m, k: string) => String(opts?.values?.[k] ?? `{${k}}`));
  };
}
const list = (xs: string[]) => xs.join(', ');
const step = (o: Partial<{ type: string; kind: string; code: string; action: string; fields: string[]; set: string }>) =>
  ({ type: 'set', kind: 'demand', code: 'D-3QZ8YD', action: '', fields: [], set: '', ...o });

describe('stepText', () => {
  it('words a delivery in Chinese and English, never the raw op', () => {
    const s = step({ type: 'transition', action: 'deliver' });
    expect(stepText(s, tr(zh), list)).toBe('记录到货 D-3QZ8YD');
    expect(stepText(s, tr(en), list)).toContain('D-3QZ8YD');
    expect(stepText(s, tr(en), list)).not.toContain('transition');
  });
  it('names the fields a set wrote by their labels', () => {
    const s = step({ fields: ['title', 'urgency', 'requester_org'] });
    const zhText = stepText(s, tr(zh), list);
    expect(zhText).toContain('标题');
    expect(zhText).toContain('紧急程度');
    expect(zhText).toContain('求助单位');
    expect(stepText(s, tr(en), list)).not.toMatch(/requester_org|undone\.step/);
  });
  it('says the other op types in words', () => {
    for (const type of ['publish_key', 'grant', 'report_fork', 'endorse']) {
      const text = stepText(step({ type, kind: 'member', code: '乙' }), tr(zh), list);
      expect(text).not.toMatch(/undone\.|_/);
      expect(text).toContain('乙');
    }
  });
  it('maps field names to label keys', () => {
    expect(fieldKey('requester_org')).toBe('editConflict.field.requester_org');
    const fields = (zh as { editConflict: { field: Record<string, string> } }).editConflict.field;
    for (const f of ['title', 'items', 'contacts', 'position', 'urgency', 'address', 'review_notes', 'emergency_contacts']) expect(fields[f]).toBeTruthy();
  });
});
