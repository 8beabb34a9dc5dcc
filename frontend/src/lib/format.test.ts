import { describe, it, expect } from 'vitest';
import { formatPhone, formatQuantity, joinList, listSep, placeText, shortItems } from './format';

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

describe('formatPhone', () => {
  it.each([
    ['+8618078927264', '180 7892 7264'], // mobile
    ['+8613800000001', '138 0000 0001'],
    ['+862787886666', '027-8788 6666'], // Wuhan, 3-digit area code
    ['+861062345678', '010-6234 5678'], // Beijing
    ['+8675512345678', '0755-1234 5678'], // Shenzhen, 4-digit area code
    ['+867161234567', '0716-123 4567'], // 7-digit local number
    ['+864008208820', '400 820 8820'], // service number
    ['+14155550123', '+14155550123'], // not Chinese: as it is
    ['+85291234567', '+85291234567'],
    ['027-87886666 转 8001', '027-87886666 转 8001'], // kept as written
    ['+86123', '+86123'],
    ['', ''],
  ])('formatPhone(%s) = %s', (in_, want) => {
    expect(formatPhone(in_)).toBe(want);
  });
});

describe('formatPhone with an extension', () => {
  it('groups the number and names the extension in the given word', () => {
    expect(formatPhone('+862787886666;ext=8001', '转')).toBe('027-8788 6666 转 8001');
    expect(formatPhone('+862787886666;ext=12')).toBe('027-8788 6666 ext. 12');
  });
});

describe('placeText', () => {
  it.each([
    ['湖北省 荆门市 钟祥市', '钟祥市', '湖北省 荆门市 钟祥市'],
    ['湖北省 武汉市', '东湖高新区', '湖北省 武汉市 东湖高新区'],
    ['', '江汉区', '江汉区'],
    [undefined, undefined, ''],
  ])('placeText(%s, %s) = %s', (r, d, want) => {
    expect(placeText(r, d)).toBe(want);
  });
});
