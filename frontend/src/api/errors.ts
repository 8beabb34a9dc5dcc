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
  if (err.code === 'revoked' && err.args?.at) {
    // when, in the reader's locale rather than RFC 3339
    const ms = Date.parse(err.args.at);
    if (!Number.isNaN(ms)) values.at = formatTime(ms, get(locale) ?? 'zh-CN');
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
