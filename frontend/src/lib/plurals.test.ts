import { describe, it, expect } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import en from '../locales/en.json';
import importsEn from '../locales/imports.en.json';

// every English message, by key
function flat(o: Record<string, unknown>, prefix = ''): [string, string][] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? flat(v as Record<string, unknown>, `${prefix}${k}.`) : [[`${prefix}${k}`, String(v)] as [string, string]],
  );
}

// the names of a message's arguments, and of its tags
function argNames(els: MessageFormatElement[], names = new Set<string>(), tags = new Set<string>()) {
  for (const e of els) {
    if (e.type === TYPE.literal || e.type === TYPE.pound) continue;
    if (e.type === TYPE.tag) {
      tags.add(e.value);
      argNames(e.children, names, tags);
      continue;
    }
    names.add(e.value);
    if (e.type === TYPE.plural || e.type === TYPE.select) {
      for (const o of Object.values(e.options)) argNames(o.value, names, tags);
    }
  }
  return { names, tags };
}

// a count of one followed by a plural noun or a verb of several: "1 rows", "1 records withdrawn", "1 were"
const onePlural = /(?<![\d.,/])1 (?:[a-z]+ ){0,2}?(?:[a-z]+[^su']s|were|are|have)\b/g;
// words ending in s that are no plural
const notPlural = ['was', 'is', 'has', 'its', 'this', 'status', 'address', 'waits', 'needs', 'means', 'holds', 'says', 'names', 'keeps', 'goes', 'does',
  // verbs after a name filled in with 1 ("{name} asks to take over"), after a row's number ("Row {row} repeats row …")
  'comes', 'belongs', 'asks', 'stands', 'repeats', 'offers',
  // an adjective: "1 totals row (合计, 小计, 总计)"
  'totals'];

// sentences whose count is a limit, never 1, that the hub copies word for word (TestHubLabelsMatchUI)
const exempt = ['error.too_long_max'];

describe('English counts of one', () => {
  // finding 4 of session 12: "1 rows imported before from a file of this layout are no longer in the file"
  it('no English message says "1 <nouns>" when every argument is 1', () => {
    const bad: string[] = [];
    for (const [key, msg] of [...flat(en), ...flat(importsEn)]) {
      if (exempt.includes(key)) continue;
      let ast: MessageFormatElement[];
      try {
        ast = parse(msg);
      } catch {
        continue; // not ICU (checked elsewhere)
      }
      const { names, tags } = argNames(ast);
      const values: Record<string, unknown> = {};
      for (const n of names) values[n] = 1;
      for (const t of tags) values[t] = (chunks: string[]) => chunks.join('');
      let out: string;
      try {
        const r = new IntlMessageFormat(msg, 'en').format(values);
        out = Array.isArray(r) ? r.join('') : String(r);
      } catch {
        continue;
      }
      for (const m of out.matchAll(onePlural)) {
        const word = m[0].slice(m[0].lastIndexOf(' ') + 1);
        if (!notPlural.includes(word)) bad.push(`${key}: "${m[0]}" in "${out}"`);
      }
    }
    expect(bad).toEqual([]);
  });
});
