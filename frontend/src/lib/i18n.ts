// i18n: every visible string goes through svelte-i18n. zh-CN is the default.
import { addMessages, init, locale, _ } from 'svelte-i18n';
import { get } from 'svelte/store';
import zh from '../locales/zh-CN.json';
import en from '../locales/en.json';
import importsZh from '../locales/imports.zh-CN.json';
import importsEn from '../locales/imports.en.json';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

addMessages('zh-CN', zh);
addMessages('en', en);
addMessages('zh-CN', importsZh);
addMessages('en', importsEn);

export function setupI18n(initial: string = DEFAULT_LOCALE): void {
  const l = (LOCALES as readonly string[]).includes(initial) ? initial : DEFAULT_LOCALE;
  init({ fallbackLocale: DEFAULT_LOCALE, initialLocale: l });
  document.documentElement.lang = l;
}

export function setLocale(l: Locale): void {
  locale.set(l);
  document.documentElement.lang = l;
}

export { locale, _ };

/** The translation function at this moment, for code outside components. */
export function t(key: string, values?: Record<string, string | number>): string {
  return get(_)(key, { values });
}
