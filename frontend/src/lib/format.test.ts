import { describe, it, expect } from 'vitest';
import { formatQuantity, joinList, listSep, shortItems } from './format';

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

describe('listSep and joinList', () => {
  it('joins with 、 in Chinese and a comma in English', () => {
    expect(joinList(['防护服', '口罩'], 'zh-CN')).toBe('防护服、口罩');
    expect(joinList(['gowns', 'masks'], 'en')).toBe('gowns, masks');
    expect(listSep('en-GB')).toBe(', ');
  });
});

describe('shortItems', () => {
  const items = [
    { name: '防护服', unit: '套', needed: 1800, received: 0 },
    { name: 'N95口罩', unit: '只', needed: 5000, received: 5000 },
    { name: '手套', unit: '', needed: null, received: 3 },
    { name: '护目镜', unit: '个', needed: 200, received: 150.5 },
  ];
  it('names the items received below what is needed, with both quantities', () => {
    expect(shortItems(items, 'zh-CN')).toEqual(['防护服 0 / 1,800套', '护目镜 150.5 / 200个']);
    expect(shortItems(items, 'en')).toEqual(['防护服 0 / 1,800 套', '护目镜 150.5 / 200 个']);
  });
  it('is empty when everything needed was received', () => {
    expect(shortItems([items[1], items[2]], 'zh-CN')).toEqual([]);
  });
});
