import { describe, it, expect } from 'vitest';
import { relative, hhmm, parseHHMM } from './time';

describe('relative', () => {
  const now = Date.UTC(2020, 0, 26, 8);
  it.each([
    [now + 40 * 60000, { amount: 40, unit: 'min', past: false }],
    [now - 3 * 3600000, { amount: 3, unit: 'h', past: true }],
    [now + 3 * 86400000, { amount: 3, unit: 'd', past: false }],
    [now + 10000, { amount: 1, unit: 'min', past: false }],
  ])('%d', (ms, want) => expect(relative(ms, now)).toEqual(want));
});

describe('hhmm and parseHHMM', () => {
  it('round-trip', () => {
    for (const m of [0, 59, 480, 1020, 1440]) expect(parseHHMM(hhmm(m))).toBe(m);
  });
  it.each(['25:00', '8:60', 'noon', '24:30', ''])('rejects %s', (s) => expect(parseHHMM(s)).toBeNaN());
});
