import { describe, it, expect } from 'vitest';
import { isFlagged, reasonMessage, reasonText } from './duplicates';

describe('duplicates', () => {
  it('isFlagged is true only while the possible_duplicate tag is there', () => {
    expect(isFlagged(['source_reviewed', 'possible_duplicate'])).toBe(true);
    expect(isFlagged(['merged_duplicate'])).toBe(false);
    expect(isFlagged(['not_duplicate'])).toBe(false);
    expect(isFlagged(null)).toBe(false);
    expect(isFlagged(undefined)).toBe(false);
  });
  it.each([
    ['same organisation', { key: 'imports.reason.org', values: {} }],
    ['close address', { key: 'imports.reason.address', values: {} }],
    ['same phone +8613800000001', { key: 'imports.reason.phone', values: { phone: '138 0000 0001' } }],
    ['same phone', null],
    ['near 11 m', { key: 'imports.reason.near', values: { metres: '11' } }],
    ['near m', null],
    ['something else', null],
  ])('reasonMessage(%j)', (reason, want) => {
    expect(reasonMessage(reason)).toEqual(want);
  });
  it('reasonText translates known reasons and keeps unknown ones', () => {
    const t = (k: string, o?: { values: Record<string, string> }) => `${k}${o?.values.phone ? ':' + o.values.phone : ''}`;
    expect(reasonText('same phone +8613800000001', t)).toBe('imports.reason.phone:138 0000 0001');
    expect(reasonText('新的理由', t)).toBe('新的理由');
  });
});
