// Errors from bound Go methods arrive as rejected promises whose reason is the
// JSON of app.Error: {code, field?, message, args?}. ApiError keeps them typed.
import { get } from 'svelte/store';
import { t, locale } from '../lib/i18n';
import { formatTime } from '../lib/time';

export class ApiError extends Error {
  constructor(
    public code: string,
    public field: string | undefined,
    message: string,
    /** args.reason picks a more precise message (error.<code>_<reason>); the others fill it in */
    public args: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** toApiError turns whatever a binding rejected with into an ApiError. */
export function toApiError(reason: unknown): ApiError {
  if (reason instanceof ApiError) return reason;
  const text = reason instanceof Error ? reason.message : String(reason);
  try {
    const e = JSON.parse(text);
    if (e && typeof e.code === 'string') return new ApiError(e.code, e.field || undefined, e.message ?? '', e.args ?? {});
  } catch {
    /* not JSON: fall through */
  }
  return new ApiError('unknown', undefined, text);
}

/** fieldLabel names a field path such as "items[1].quantity" in the UI language. */
export function fieldLabel(field: string | undefined): string {
  if (!field) return '';
  const m = /^items\[(\d+)\]\.(\w+)$/.exec(field);
  if (m) return t('field.itemN', { n: Number(m[1]) + 1, field: t(`field.${m[2]}`) });
  const list = /^(\w+)\[(\d+)\](?:\.\w+)?$/.exec(field); // received[0].quantity, availability[1]
  if (list) return `${t(`field.${list[1]}`)} #${Number(list[2]) + 1}`;
  return t(`field.${field}`);
}

/** describe returns a message for the user that says what was wrong and where. */
export function describe(err: ApiError): string {
  const values: Record<string, string> = { ...err.args, field: fieldLabel(err.field), detail: err.message };
  // the times an error names (RFC 3339 from the desk: a revocation's at, a transfer
  // request's until), in the reader's locale and the incident's zone (UTC+8)
  for (const key of ['at', 'until']) {
    const v = err.args?.[key];
    const ms = v && /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : NaN;
    if (!Number.isNaN(ms)) values[key] = formatTime(ms, get(locale) ?? 'zh-CN');
  }
  if (err.code === 'bundle_damaged' && err.args?.missing !== undefined) {
    values.missing = missingText(err.args.missing);
    const places = Number(err.args.places ?? '1');
    values.places = places > 1 ? t('error.bundle_places', { n: places }) : '';
  }
  if (err.args?.reason) {
    const precise = `error.${err.code}_${err.args.reason}`;
    const msg = t(precise, values);
    if (msg !== precise) return msg;
  }
  const key = `error.${err.code}`;
  const msg = t(key, values);
  return msg === key ? t('error.unknown', { detail: err.message }) : msg;
}

/** How many members' missing changes a damaged bundle's message names; the rest are counted. */
const missingNamed = 6;

/**
 * missingText says which changes a damaged bundle held that this device still
 * lacks, member by member (name and short id, seq range), from the JSON array
 * of desk.MissingView in args.missing; a sentence in the UI language.
 */
export function missingText(json: string): string {
  let runs: { name: string; id: string; from: string; to: string }[] = [];
  try {
    runs = JSON.parse(json) ?? [];
  } catch {
    runs = [];
  }
  if (!Array.isArray(runs) || runs.length === 0) return t('error.bundle_lacking_none');
  const zh = (get(locale) ?? 'zh-CN').startsWith('zh');
  const parts = runs.slice(0, missingNamed).map((r) => {
    const who = r.name ? (zh ? `${r.name}（${r.id}）` : `${r.name} (${r.id})`) : r.id;
    return r.from === r.to ? t('error.bundle_lacking_one', { who, from: r.from }) : t('error.bundle_lacking_run', { who, from: r.from, to: r.to });
  });
  if (runs.length > missingNamed) parts.push(t('error.bundle_lacking_more', { n: runs.length - missingNamed }));
  return t('error.bundle_lacking', { list: parts.join(zh ? '；' : ', ') });
}
