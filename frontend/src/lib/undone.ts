// What an undone change did, in the user's language: a coordinator reviews
// each op before adopting the change ("记录到货 D-3QZ8YD", "修改 D-3QZ8YD 的
// 标题、紧急程度"), never the raw "transition demand D-3QZ8YD".
import type { UndoneStepView } from '../api';

type T = (key: string, opts?: { values?: Record<string, string | number>; default?: string }) => string;

/** fieldKey maps a relief field name ("requester_org") to its label key (editConflict.field.*, every record field's name). */
export function fieldKey(name: string): string {
  return `editConflict.field.${name}`;
}

/** stepText words one op of an undone change; list joins names in the locale's way. */
export function stepText(s: UndoneStepView, t: T, list: (xs: string[]) => string): string {
  const code = s.code;
  switch (s.type) {
    case 'transition':
      return t('undone.step.transition', { values: { action: t(`action.${s.action}`, { default: s.action }), code } });
    case 'set': {
      if (!s.fields?.length) return t('undone.step.setNone', { values: { code } });
      const names = s.fields.map((f) => t(fieldKey(f), { default: f }));
      return t('undone.step.set', { values: { code, fields: list(names) } });
    }
    case 'add':
    case 'remove':
      return t(`undone.step.${s.type}`, { values: { code, set: t(fieldKey(s.set), { default: s.set }) } });
    default:
      return t('undone.step.other', { values: { what: t(`undone.type.${s.type}`, { default: t(`action.${s.type}`, { default: s.type }) }), code } });
  }
}
