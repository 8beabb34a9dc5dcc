// The reasons a match gives (relief.Why* codes: "code" or "code=value"), as
// text for people: item keys become supply names, fractions percentages,
// metres kilometres.

import type { ItemName } from '../api';

type Translate = (key: string, opts?: { values?: Record<string, string | number> }) => string;

const itemCodes = new Set(['item', 'missing', 'qty_unknown']);

/** formatWhy renders one reason code in locale, with t the message lookup
 * (svelte-i18n's $_) and names the item names of the match. An unknown item
 * key is shown as it is. */
export function formatWhy(code: string, t: Translate, locale: string, names: Record<string, ItemName> = {}): string {
  const eq = code.indexOf('=');
  const k = eq < 0 ? code : code.slice(0, eq);
  let v = eq < 0 ? '' : code.slice(eq + 1);
  const name = (key: string) => {
    const n = names[key];
    return n ? (locale.startsWith('zh') ? n.zh : n.en) : key;
  };
  if (itemCodes.has(k)) {
    v = name(v);
  } else if (k === 'covers') {
    const i = v.lastIndexOf(':');
    const frac = Number(v.slice(i + 1));
    const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(Number.isFinite(frac) ? frac : 0);
    v = `${name(i < 0 ? v : v.slice(0, i))} ${pct}`;
  } else if (k === 'qualified' || k === 'not_qualified') {
    // "心理援助:2/3": the skill, and courses completed of those that qualify for it
    const i = v.lastIndexOf(':');
    return t(`why.${k}`, { values: { v, skill: i < 0 ? v : v.slice(0, i), done: i < 0 ? '' : v.slice(i + 1) } });
  } else if (k === 'distance_m') {
    const m = Number(v);
    v = m >= 1000
      ? `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(m / 1000)} km`
      : `${Math.round(m)} m`;
  }
  return t(`why.${k}`, { values: { v } });
}
