// Import problems: the importer gives each a stable code and the values its
// English message names; the UI shows them in the user's language.
import { reasonText } from './duplicates';

/** The part of an import problem that says what went wrong. */
export interface CodedProblem { code?: string; args?: Record<string, string>; message: string }

type T = (key: string, o?: { values: Record<string, string> }) => string;

/**
 * problemText translates p by its code (imports.problemCode.<code>, with its
 * arguments); the English message when the code is empty or not in the
 * catalogue. Arguments that are themselves codes (a duplicate's reason, the
 * part of a message not found, the field a cut names) are translated too.
 */
export function problemText(p: CodedProblem, t: T): string {
  if (!p.code) return p.message;
  const key = `imports.problemCode.${p.code}`;
  const values: Record<string, string> = { ...(p.args ?? {}) };
  // a report written before the lists of rows had their Chinese (rows_zh)
  for (const k of ['rows', 'demands']) {
    if (values[k] !== undefined && values[`${k}_zh`] === undefined) values[`${k}_zh`] = values[k].replaceAll(', ', '、');
  }
  if (values.reason) values.reason = reasonText(values.reason, t);
  if (values.field) values.field = fieldText(values.field, t);
  if (values.what) {
    const w = t(`imports.problemWhat.${values.what}`);
    if (w !== `imports.problemWhat.${values.what}`) values.what = w;
  }
  const s = t(key, { values });
  return s === key ? p.message : s;
}

/**
 * fieldText names the field a problem is about (imports.problemField.<field>:
 * org, item, quantity, contacts, supplies …) in the user's language; a column
 * header or a field this catalogue does not know is shown as it is.
 */
export function fieldText(field: string, t: T): string {
  if (!field) return '';
  const key = `imports.problemField.${field}`;
  const s = t(key);
  return s === key ? field : s;
}
