// Reply-by windows are whole minutes in the backend and hours in the form.

/** hoursText shows minutes as hours: 120 → "2", 90 → "1.5", 45 → "0.75", 1 → "0.02". */
export function hoursText(minutes: number): string {
  return String(Math.round((minutes / 60) * 100) / 100);
}

/** parseHours reads hours typed in the form ("2", "1.5", "１.５", "0,5") as whole
 * minutes, rounded; null when the text is not a finite number. Range checks are
 * the caller's (and the backend's). */
export function parseHours(text: string): number | null {
  const t = text
    .trim()
    .replace(/[０-９．，]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(t)) return null;
  const h = Number(t);
  return Number.isFinite(h) ? Math.round(h * 60) : null;
}
