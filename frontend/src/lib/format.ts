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
