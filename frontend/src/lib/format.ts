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
