import { describe, it, expect } from 'vitest';
import china from 'china-geojson/src/geojson/china.json';
import { shortName, placesFrom, locate, PROVINCE_FILES, type Place } from './places';

const fc = {
  features: [
    { properties: { name: '武汉市', cp: [114.3, 30.6] as [number, number] } },
    { properties: { name: '恩施土家族苗族自治州', cp: [109.5, 30.3] as [number, number] } },
    { properties: { name: '湖北', cp: [112.3, 31.0] as [number, number] } },
  ],
};

// The boundary data the map ships, loaded as MapView loads it.
type FC = Parameters<typeof placesFrom>[0];
const files = import.meta.glob('/node_modules/china-geojson/src/geojson/*_geo.json', { eager: true, import: 'default' });
function allPlaces(): Place[] {
  const out = placesFrom(china as FC);
  expect(Object.keys(files).length).toBe(34);
  for (const [path, fc] of Object.entries(files)) {
    const parent = PROVINCE_FILES[path.replace(/^.*\/|_geo\.json$/g, '')];
    expect(parent, `province of ${path}`).toBeTruthy();
    out.push(...placesFrom(fc as FC, ['北京', '上海', '天津', '重庆'].includes(parent) ? 3 : 2, parent));
  }
  return out;
}

describe('places', () => {
  it('short names', () => {
    expect(shortName('武汉市')).toBe('武汉');
    expect(shortName('湖北省')).toBe('湖北');
    expect(shortName('江汉区')).toBe('江汉');
  });
  it('locates by the most specific name in the text', () => {
    const ps = [...placesFrom({ features: fc.features.slice(0, 2) }, 2, '湖北'), ...placesFrom({ features: fc.features.slice(2) })];
    expect(locate('武汉市江汉区解放大道', ps)?.name).toBe('武汉市');
    expect(locate('湖北 武汉', ps)?.name).toBe('武汉市');
    expect(locate('恩施土家族苗族自治州某县', ps)?.name).toBe('恩施土家族苗族自治州');
    expect(locate('湖北省', ps)?.name).toBe('湖北');
    expect(locate('Chengdu', ps)).toBeNull();
  });
  it('reads provinces with latitude and longitude too', () => {
    const bj = placesFrom(china as FC).find((p) => p.name === '北京');
    expect(bj).toMatchObject({ level: 1, lat: 39.9488, lon: 116.389 });
  });

  const ps = allPlaces();
  it.each([
    // streets named after other places are streets
    ['武汉市江岸区香港路100号', '武汉市'],
    ['江岸区 武汉市江岸区香港路100号', '武汉市'],
    ['武汉市江汉区北京路8号', '武汉市'],
    ['武汉市硚口区南京路5号', '武汉市'],
    ['武汉市江岸区上海路3号', '武汉市'],
    ['武汉市武昌区中山大道与香港街交汇处', '武汉市'],
    ['湖北省武汉市洪山区', '武汉市'],
    ['湖北 十堰市 张湾区', '十堰市'],
    ['湖北省', '湖北'],
    // a short name with a suffix that does not fit its level is not that place
    ['吉林省长春市朝阳区', '长春市'],
    ['吉林市船营区', '吉林市'],
    ['辽宁省朝阳市双塔区', '朝阳市'],
    ['北京市朝阳区', '朝阳区'],
    ['上海市浦东新区', '浦东新区'],
    ['香港', '香港'],
    ['香港特别行政区九龙', '香港'],
    // the earliest city wins when no province is named
    ['武汉市 中山医院', '武汉市'],
    ['江岸区香港路', null],
  ])('locate(%s) = %s', (text, want) => {
    expect(locate(text, ps)?.name ?? null).toBe(want);
  });
});
