// Approximate placement by name: a point without an exact position (or whose
// position the viewer may not see) is put at the centre of the district, city or
// province its place text names, from the offline boundary data.

/** Level of a place: 1 province (or municipality, SAR), 2 city, 3 district or county. */
export type Level = 1 | 2 | 3;

/** Place is one named centre of the boundary data; parent is its province's short name ("" for a province). */
export interface Place { name: string; short: string; lat: number; lon: number; level: Level; parent: string }

// Suffixes that people leave out: 武汉市 is written 武汉, 湖北省 湖北.
const SUFFIX = /(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|地区|省|市|区|县|盟)$/;

/** shortName returns a place name without its administrative suffix. */
export function shortName(name: string): string {
  const s = name.replace(SUFFIX, '');
  return s.length >= 2 ? s : name;
}

/**
 * PROVINCE_FILES maps the stem of a china-geojson province file ("hu_bei" of
 * hu_bei_geo.json) to the short name of its province; the four municipalities'
 * files list districts, the others cities.
 */
export const PROVINCE_FILES: Record<string, string> = {
  an_hui: '安徽', ao_men: '澳门', bei_jing: '北京', chong_qing: '重庆', fu_jian: '福建', gan_su: '甘肃',
  guang_dong: '广东', guang_xi: '广西', gui_zhou: '贵州', hai_nan: '海南', he_bei: '河北', he_nan: '河南',
  hei_long_jiang: '黑龙江', hu_bei: '湖北', hu_nan: '湖南', ji_lin: '吉林', jiang_su: '江苏', jiang_xi: '江西',
  liao_ning: '辽宁', nei_meng_gu: '内蒙古', ning_xia: '宁夏', qing_hai: '青海', shan_dong: '山东',
  shan_xi_1: '陕西', shan_xi_2: '山西', shang_hai: '上海', si_chuan: '四川', tai_wan: '台湾', tian_jin: '天津',
  xi_zang: '西藏', xiang_gang: '香港', xin_jiang: '新疆', yun_nan: '云南', zhe_jiang: '浙江',
};
const MUNICIPALITIES = new Set(['北京', '上海', '天津', '重庆']);

type Props = { name?: string; cp?: [number, number]; latitude?: number; longitude?: number };

/**
 * placesFrom reads the named centres of a GeoJSON FeatureCollection ("cp" as
 * [lon, lat], or latitude and longitude) as places of level under the province
 * parent ("" for the provinces themselves). A feature that repeats its parent
 * (香港 in the 香港 file) is left out.
 */
export function placesFrom(fc: { features: { properties: Props }[] }, level: Level = 1, parent = ''): Place[] {
  const out: Place[] = [];
  for (const f of fc.features) {
    const { name, cp, latitude, longitude } = f.properties ?? {};
    const at = cp ? { lon: cp[0], lat: cp[1] } : latitude !== undefined && longitude !== undefined ? { lon: longitude, lat: latitude } : null;
    if (!name || !at || name === parent) continue;
    out.push({ name, short: shortName(name), ...at, level, parent });
  }
  return out;
}

// What follows a place name when it names a street, a bridge or a lane rather
// than the place: 香港路, 北京街, 中山大道, 南京巷, 江汉桥, 上海里.
const STREET = /^(路|街|大道|大街|道|巷|桥|里|胡同|弄)/;
// Administrative suffixes: after a short name they must fit the place's level,
// so 吉林 in 吉林省 is the province, not 吉林市.
const ADMIN = /^(特别行政区|自治区|自治州|地区|省|市|区|县|州|盟)/;

function fits(p: Place, suffix: string): boolean {
  switch (p.level) {
    case 1: return suffix === '省' || suffix === '自治区' || suffix === '特别行政区' || (suffix === '市' && MUNICIPALITIES.has(p.short));
    case 2: return ['市', '州', '自治州', '地区', '盟'].includes(suffix);
    default: return ['区', '县', '市'].includes(suffix);
  }
}

interface Hit { p: Place; at: number; len: number }

// hit finds the earliest occurrence of p's name (or short name) in text that
// names the place: not a street, and with an administrative suffix that fits.
function hit(text: string, p: Place): Hit | null {
  let best: Hit | null = null;
  for (const word of p.name === p.short ? [p.name] : [p.name, p.short]) {
    for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
      const rest = text.slice(i + word.length);
      if (STREET.test(rest)) continue;
      const adm = word === p.short ? ADMIN.exec(rest) : null;
      if (adm && !fits(p, adm[1])) continue;
      const len = word.length + (adm ? adm[1].length : 0);
      if (!best || i < best.at || (i === best.at && len > best.len)) best = { p, at: i, len };
      break;
    }
  }
  return best;
}

const earliest = (a: Hit, b: Hit) => a.at - b.at || b.len - a.len || b.p.level - a.p.level;

/**
 * locate returns the place an address names, reading it as addresses are
 * written, province → city → district: the earliest province it names, then
 * the earliest city or district in that province (in any province if it names
 * none), the most specific found. A name followed by 路, 街, 大道, 道, 巷, 桥 or
 * 里 is a street ("武汉市江岸区香港路" is in 武汉, not 香港). Null when it names no
 * place.
 */
export function locate(text: string, places: Place[]): Place | null {
  const hits: Hit[] = [];
  for (const p of places) {
    const h = hit(text, p);
    if (h) hits.push(h);
  }
  const provinces = hits.filter((h) => h.p.level === 1).sort(earliest);
  const province = provinces[0];
  let below = hits.filter((h) => h.p.level > 1);
  if (province) {
    below = below.filter((h) => h.p.parent === province.p.short);
  }
  below.sort(earliest);
  return below[0]?.p ?? province?.p ?? null;
}
