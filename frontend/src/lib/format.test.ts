import { describe, it, expect } from 'vitest';
import { formatQuantity } from './format';

describe('formatQuantity', () => {
  it.each([
    [5000, '只', 'zh-CN', '5,000只'],
    [5000, 'pcs', 'en', '5,000 pcs'],
    [2.5, 'kg', 'en', '2.5 kg'],
    [12, '', 'en', '12'],
  ])('%d %s in %s', (n, unit, locale, want) => {
    expect(formatQuantity(n, unit, locale)).toBe(want);
  });
});
