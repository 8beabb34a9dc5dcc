// Times as coordinators read them: absolute in the UI language, and "in 40 min" /
// "2 h overdue" relative to now.
//
// Every absolute time the app shows is in the incident's zone, China time (UTC+8, no
// summer time since 1991), whatever the zone of the computer: the hub prints the same
// (relief.IncidentZone, desk.IncidentTime), so a coordinator comparing a volunteer's
// screen with a hub's printout over the phone reads one time. The header names the zone
// once (zoneLabel, time.zone in the locales).

/** INCIDENT_OFFSET_MS is the incident zone's offset from UTC: UTC+8 (relief.IncidentZone). */
export const INCIDENT_OFFSET_MS = 8 * 3600_000;

// Intl reads the shifted instant in UTC: the incident's wall clock, with no time zone
// database needed and no dependence on the computer's zone.
function inIncident(ms: number, locale: string, opts: Intl.DateTimeFormatOptions): string {
  return new Date(ms + INCIDENT_OFFSET_MS).toLocaleString(locale, { ...opts, timeZone: 'UTC', hourCycle: 'h23' });
}

/** formatTime renders ms (Unix milliseconds) as month, day, hour and minute in the incident's zone (UTC+8): "12/8 04:24". 0 gives "". */
export function formatTime(ms: number, locale: string): string {
  if (!ms) return '';
  return inIncident(ms, locale, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** formatDateTime renders ms with its year and seconds, in the incident's zone (UTC+8): "2026/12/8 04:24:05". 0 gives "". */
export function formatDateTime(ms: number, locale: string): string {
  if (!ms) return '';
  return inIncident(ms, locale, { year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** incidentInputValue renders ms as a datetime-local input's value ("2026-12-08T04:24") in the incident's zone; 0 gives "". */
export function incidentInputValue(ms: number): string {
  if (!ms) return '';
  return new Date(ms + INCIDENT_OFFSET_MS).toISOString().slice(0, 16);
}

/** parseIncidentInput reads a datetime-local input's value ("2026-12-08T04:24") as a time in the incident's zone, in Unix milliseconds; NaN when it is not one. */
export function parseIncidentInput(v: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v.trim());
  if (!m) return NaN;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return NaN;
  return Date.UTC(y, mo - 1, d, h, mi, s) - INCIDENT_OFFSET_MS;
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
