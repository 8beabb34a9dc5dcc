import { describe, it, expect } from 'vitest';
import { spotOf, countSpots, openingCount, areaOf, placeLabels, clusterColour, COLOURS, MAP_STATUSES } from './mapview';
import type { MapPoint } from '../api';
import zh from '../locales/zh-CN.json';
import en from '../locales/en.json';

const pt = (over: Partial<MapPoint>): MapPoint => ({
  kind: 'demand', id: 'd', code: 'D-1', title: 't', status: 'collected', lat: undefined, lon: undefined, place: '',
  approxLat: undefined, approxLon: undefined, approxOf: '', approxName: '', ...over,
}) as MapPoint;

describe('map view', () => {
  it('places a point exactly, at its division centre, or nowhere', () => {
    expect(spotOf(pt({ lat: 30.6, lon: 114.3, approxLat: 1, approxLon: 2 }))).toEqual({ lat: 30.6, lon: 114.3, exact: true, of: '', sealed: false });
    expect(spotOf(pt({ approxLat: 30.6, approxLon: 114.27, approxOf: 'county' }))).toEqual({ lat: 30.6, lon: 114.27, exact: false, of: 'county', sealed: false });
    // a sealed position this device cannot open: at its county's centre, told as sealed
    expect(spotOf(pt({ approxLat: 30.6, approxLon: 114.27, approxOf: 'county', positionSealed: true }))).toEqual({ lat: 30.6, lon: 114.27, exact: false, of: 'county', sealed: true });
    expect(spotOf(pt({ approxLat: 30.9, approxLon: 112.2, approxOf: 'province' }))?.of).toBe('province');
    expect(spotOf(pt({ place: '' }))).toBeNull();
    expect(countSpots([pt({ lat: 1, lon: 2 }), pt({ approxLat: 3, approxLon: 4, approxOf: 'city' }), pt({})])).toEqual({ exact: 1, approx: 1, unplaced: 1 });
  });

  it('opens on the bounds of the placed points only', () => {
    const pts = [pt({ approxLat: 30.6, approxLon: 114.27 }), pt({ lat: 30.5, lon: 114.4 }), pt({ approxLat: 31.17, approxLon: 112.59 }), pt({})];
    expect(areaOf(pts)).toEqual([[30.5, 112.59], [31.17, 114.4]]);
    expect(areaOf([pt({})])).toBeNull();
    // offers far away (a Shanghai hospital's) do not stretch the incident's area; alone, they make it
    const shanghai = pt({ kind: 'offer', status: 'offer', approxLat: 31.23, approxLon: 121.47 });
    expect(areaOf([...pts, shanghai])).toEqual([[30.5, 112.59], [31.17, 114.4]]);
    expect(areaOf([shanghai, pt({})])).toEqual([[31.23, 121.47], [31.23, 121.47]]);
  });

  it('labels the places approximate points are put at, the most points first', () => {
    const pts = [
      pt({ approxLat: 31.17, approxLon: 112.59, approxName: '钟祥市', approxOf: 'county' }),
      pt({ approxLat: 30.6, approxLon: 114.27, approxName: '江汉区', approxOf: 'county' }),
      pt({ approxLat: 30.6, approxLon: 114.27, approxName: '江汉区', approxOf: 'county' }),
      pt({ lat: 30.6, lon: 114.27 }), // exact: no label of its own
    ];
    expect(placeLabels(pts)).toEqual([
      { name: '江汉区', lat: 30.6, lon: 114.27, of: 'county', count: 2 },
      { name: '钟祥市', lat: 31.17, lon: 112.59, of: 'county', count: 1 },
    ]);
  });

  it('has a colour for every status, fulfilled included, and colours a cluster by its commonest', () => {
    for (const s of MAP_STATUSES) expect(COLOURS[s], s).toMatch(/^#[0-9a-f]{6}$/);
    expect(new Set(MAP_STATUSES.map((s) => COLOURS[s])).size).toBe(MAP_STATUSES.length);
    expect(clusterColour(['offer', 'published', 'offer'])).toBe(COLOURS.offer);
    expect(clusterColour(['fulfilled', 'collected'])).toBe(COLOURS.collected); // a tie: the earlier status
    expect(clusterColour(['something_new'])).toBe('#6b7280');
  });

  it('counts and tells the sealed positions being opened, in both languages', async () => {
    const pts = [
      pt({ positionOpening: true, approxLat: 30.6, approxLon: 114.27, approxOf: 'county' }),
      pt({ positionOpening: true, approxLat: 30.6, approxLon: 114.27, approxOf: 'county' }),
      pt({ positionSealed: true, approxLat: 30.6, approxLon: 114.27, approxOf: 'county' }),
      pt({ lat: 30.5, lon: 114.4 }),
    ];
    expect(openingCount(pts)).toBe(2);
    expect(openingCount([pt({ lat: 30.5, lon: 114.4 }), pt({ positionSealed: true })])).toBe(0);
    // drawn where an approximate point is, not told as sealed
    expect(spotOf(pts[0])).toEqual({ lat: 30.6, lon: 114.27, exact: false, of: 'county', sealed: false });
    const { IntlMessageFormat } = await import('intl-messageformat');
    expect(new IntlMessageFormat(zh.map.opening, 'zh-CN').format({ n: 2 })).toBe('正在打开 2 个加密位置…暂放在所在区县的中心，打开后地图自动更新');
    expect(new IntlMessageFormat(en.map.opening, 'en').format({ n: 1 })).toContain('Opening 1 sealed position…');
    expect(new IntlMessageFormat(en.map.opening, 'en').format({ n: 2000 })).toContain('Opening 2,000 sealed positions…');
    expect(zh.map.positionOpening).toContain('正在打开');
    expect(en.map.positionOpening).toContain('Opening');
  });
});
