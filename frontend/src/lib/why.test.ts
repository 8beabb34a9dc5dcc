import { describe, it, expect } from 'vitest';
import { formatWhy } from './why';

const t = (key: string, opts?: { values?: Record<string, string | number> }) => `${key}(${opts?.values?.v ?? ''})`;
const names = { mask_n95: { zh: '医用防护口罩（N95）', en: 'N95 respirator' } };

describe('formatWhy', () => {
  it('names catalog items in the locale', () => {
    expect(formatWhy('item=mask_n95', t, 'zh-CN', names)).toBe('why.item(医用防护口罩（N95）)');
    expect(formatWhy('missing=mask_n95', t, 'en', names)).toBe('why.missing(N95 respirator)');
  });
  it('shows coverage as a percentage of the named item', () => {
    expect(formatWhy('covers=mask_n95:0.4', t, 'en', names)).toBe('why.covers(N95 respirator 40%)');
    expect(formatWhy('covers=mask_n95:1.00', t, 'zh-CN', names)).toBe('why.covers(医用防护口罩（N95） 100%)');
  });
  it('keeps an item the catalog does not know as written', () => {
    expect(formatWhy('qty_unknown=床垫', t, 'zh-CN', names)).toBe('why.qty_unknown(床垫)');
  });
  it('turns metres into kilometres from 1 km', () => {
    expect(formatWhy('distance_m=850', t, 'en')).toBe('why.distance_m(850 m)');
    expect(formatWhy('distance_m=12345', t, 'en')).toBe('why.distance_m(12.3 km)');
  });
  it('passes other codes and values through', () => {
    expect(formatWhy('same_region=江汉区', t, 'zh-CN')).toBe('why.same_region(江汉区)');
    expect(formatWhy('open_ended', t, 'en')).toBe('why.open_ended()');
  });
  it('splits a qualification into the skill and the courses completed', () => {
    const tq = (key: string, opts?: { values?: Record<string, string | number> }) => `${key}(${opts?.values?.skill}|${opts?.values?.done})`;
    expect(formatWhy('qualified=心理援助:3/3', tq, 'zh-CN')).toBe('why.qualified(心理援助|3/3)');
    expect(formatWhy('not_qualified=first aid: level 2:2/3', tq, 'en')).toBe('why.not_qualified(first aid: level 2|2/3)');
  });
});
