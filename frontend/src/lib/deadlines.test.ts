import { describe, it, expect } from 'vitest';
import { hoursText, parseHours } from './deadlines';

describe('reply-by windows in hours', () => {
  it.each([
    ['2', 120], ['1.5', 90], ['0.75', 45], ['１.５', 90], ['0,5', 30], [' 6 ', 360], ['-1', -60], ['0', 0],
    ['', null], ['abc', null], ['1e3', null], ['2h', null], ['.5', 30],
  ])('parseHours(%j) = %j', (text, want) => {
    expect(parseHours(text)).toBe(want);
  });
  it.each([[120, '2'], [90, '1.5'], [45, '0.75'], [1, '0.02'], [43200, '720']])('hoursText(%d) = %j', (m, want) => {
    expect(hoursText(m)).toBe(want);
  });
});
