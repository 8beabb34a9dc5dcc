// Approximate placement by name: a point without an exact position (or whose
// position the viewer may not see) is put at the centre of the city or
// province its place text names, from the offline boundary data.

export interface Place { name: string; short: string; lat: number; lon: number }

// Suffixes that people leave out: 武汉市 is written 武汉, 湖北省 湖北.
const SUFFIX = /(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|地区|省|市|区|县|盟)$/;

/** shortName returns a place name without its administrative suffix. */
export function shortName(name: string): string {
  const s = name.replace(SUFFIX, '');
  return s.length >= 2 ? s : name;
}

/** placesFrom reads the named centres ("cp") of a GeoJSON FeatureCollection. */
export function placesFrom(fc: { features: { properties: { name?: string; cp?: [number, number] } }[] }): Place[] {
  const out: Place[] = [];
  for (const f of fc.features) {
    const { name, cp } = f.properties ?? {};
    if (name && cp) out.push({ name, short: shortName(name), lon: cp[0], lat: cp[1] });
  }
  return out;
}

/** locate returns the most specific place whose name appears in text: cities
 * (listed first by the caller) win over provinces; longer names over shorter. */
export function locate(text: string, places: Place[]): Place | null {
  let best: Place | null = null;
  for (const p of places) {
    if (text.includes(p.name) || text.includes(p.short)) {
      if (!best || p.short.length > best.short.length) best = p;
    }
  }
  return best;
}
