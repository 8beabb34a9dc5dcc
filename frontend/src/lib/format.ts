// Locale-aware formatting of quantities for lists and details.
const formatters = new Map<string, Intl.NumberFormat>();

/** formatQuantity renders 5000 "只" as "5,000只" in Chinese and 5000 "pcs" as "5,000 pcs" in English. */
export function formatQuantity(n: number, unit: string, locale: string): string {
  let f = formatters.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    formatters.set(locale, f);
  }
  const sep = locale.startsWith('zh') || !unit ? '' : ' ';
  return `${f.format(n)}${sep}${unit}`;
}

/** listSep is what joins the entries of a short list: "、" in Chinese, ", " otherwise. */
export function listSep(locale: string): string {
  return locale.startsWith('zh') ? '、' : ', ';
}

/** joinList joins a short list of names for locale: "防护服、口罩" or "gowns, masks". */
export function joinList(xs: string[], locale: string): string {
  return xs.join(listSep(locale));
}

/**
 * shortItems lists the items whose received quantity is below the needed one, as
 * "name received / needed" ("防护服 0 / 1,800套", "gowns 0 / 1,800 sets"); items
 * with no needed quantity are never short.
 */
export function shortItems(
  items: { name: string; unit: string; needed?: number | null; received: number }[],
  locale: string,
): string[] {
  const f = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  return items
    .filter((it) => it.needed !== null && it.needed !== undefined && (it.received ?? 0) < it.needed)
    .map((it) => `${it.name} ${f.format(it.received ?? 0)} / ${formatQuantity(it.needed as number, it.unit, locale)}`);
}

/**
 * formatPhone groups a phone number stored as E.164 the way people read it
 * aloud: a Chinese mobile "+8618078927264" as "180 7892 7264", a landline
 * "+862787886666" as "027-8788 6666" (3-digit area codes 010, 02x) or
 * "+8675512345678" as "0755-1234 5678" (4-digit ones), a service number
 * "+864001234567" as "400 123 4567". Anything else — another country, a
 * number kept as written — is returned as it is. An extension stored after
 * ";ext=" (RFC 3966) follows the number after ext, the word for it
 * ("027-8788 6666 转 8001").
 */
export function formatPhone(phone: string, ext = 'ext.'): string {
  const x = /^(.*);ext=(\d+)$/.exec(phone);
  if (x) return `${formatPhone(x[1])} ${ext} ${x[2]}`;
  const m = /^\+86(\d+)$/.exec(phone);
  if (!m) return phone;
  const n = m[1];
  if (/^1[3-9]\d{9}$/.test(n)) return `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`;
  if (/^[48]00\d{7}$/.test(n)) return `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
  const area = /^(?:10|2\d)/.test(n) ? 2 : /^[3-9]\d\d/.test(n) ? 3 : 0;
  const local = n.slice(area);
  if (!area || local.length < 7 || local.length > 8) return phone;
  const cut = local.length - 4;
  return `0${n.slice(0, area)}-${local.slice(0, cut)} ${local.slice(cut)}`;
}

/**
 * placeText is where a demand is, as the list shows it: its place's names
 * ("湖北省 荆门市 钟祥市"), then its district as written when the place does
 * not end with it; either may be empty or missing.
 */
export function placeText(region: string | undefined, district: string | undefined): string {
  const r = (region ?? '').trim();
  const d = (district ?? '').trim();
  if (!r) return d;
  return d && !r.endsWith(d) ? `${r} ${d}` : r;
}
