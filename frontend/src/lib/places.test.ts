import { describe, it, expect } from 'vitest';
import { shortName, placesFrom, locate } from './places';

const fc = {
  features: [
    { properties: { name: '武汉市', cp: [114.3, 30.6] as [number, number] } },
    { properties: { name: '恩施土家族苗族自治州', cp: [109.5, 30.3] as [number, number] } },
    { properties: { name: '湖北', cp: [112.3, 31.0] as [number, number] } },
  ],
};

describe('places', () => {
  it('short names', () => {
    expect(shortName('武汉市')).toBe('武汉');
    expect(shortName('湖北省')).toBe('湖北');
    expect(shortName('江汉区')).toBe('江汉');
  });
  it('locates by the most specific name in the text', () => {
    const ps = placesFrom(fc);
    expect(locate('武汉市江汉区解放大道', ps)?.name).toBe('武汉市');
    expect(locate('湖北 武汉', ps)?.name).toBe('武汉市');
    expect(locate('恩施土家族苗族自治州某县', ps)?.name).toBe('恩施土家族苗族自治州');
    expect(locate('湖北省', ps)?.name).toBe('湖北');
    expect(locate('Chengdu', ps)).toBeNull();
  });
});
