// Times as coordinators read them: absolute in the UI language, and "in 40 min" /
// "2 h overdue" relative to now.

export function formatTime(ms: number, locale: string): string {
  if (!ms) return '';
  return new Date(ms).toLocaleString(locale, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** relative returns [amount, unit] for the distance from now to ms: unit is "min", "h" or "d". */
export function relative(ms: number, now: number): { amount: number; unit: 'min' | 'h' | 'd'; past: boolean } {
  const diff = ms - now;
  const abs = Math.abs(diff) / 60000;
  const past = diff < 0;
  if (abs < 60) return { amount: Math.max(1, Math.round(abs)), unit: 'min', past };
  if (abs < 48 * 60) return { amount: Math.round(abs / 60), unit: 'h', past };
  return { amount: Math.round(abs / 1440), unit: 'd', past };
}

/** minutes renders minutes after midnight as HH:MM. */
export function hhmm(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** parseHHMM reads "HH:MM" as minutes after midnight; NaN when it is not a time. */
export function parseHHMM(s: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
  if (!m) return NaN;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min > 0)) return NaN;
  return h * 60 + min;
}
