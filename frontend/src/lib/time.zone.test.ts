// The app's times are the incident's (UTC+8), not the computer's zone. This file runs
// with the computer's zone set to one that is not the incident's (America/Los_Angeles,
// UTC−8 in December), as on a laptop set up abroad or a UTC machine in a data centre.
import { describe, it, expect, vi, afterAll } from 'vitest';
vi.stubEnv('TZ', 'America/Los_Angeles'); // Node applies a change of TZ at once
afterAll(() => vi.unstubAllEnvs()); // the next file in this worker has the machine's zone again

import { formatTime, formatDateTime, incidentInputValue, parseIncidentInput } from './time';

// 2026-12-07 20:24 UTC is 2026-12-08 04:24 in China, 12:24 in Los Angeles
const at = Date.UTC(2026, 11, 7, 20, 24, 5);

describe('times in the incident zone on a computer in another', () => {
  it('the computer is not in the incident zone (else this file shows nothing)', () => {
    expect(new Date(at).getTimezoneOffset()).not.toBe(-480);
  });
  it('formatTime', () => {
    expect(formatTime(at, 'zh-CN')).toBe('12/8 04:24');
    expect(formatTime(at, 'en')).toBe('12/8, 04:24');
    expect(formatTime(0, 'en')).toBe('');
  });
  it('formatDateTime', () => {
    expect(formatDateTime(at, 'zh-CN')).toBe('2026/12/8 04:24:05');
    expect(formatDateTime(at, 'en')).toBe('12/8/2026, 04:24:05');
  });
  it('a typed time is read in the incident zone and shown back as typed', () => {
    expect(parseIncidentInput('2026-12-08T04:24')).toBe(Date.UTC(2026, 11, 7, 20, 24));
    expect(incidentInputValue(Date.UTC(2026, 11, 7, 20, 24))).toBe('2026-12-08T04:24');
    expect(parseIncidentInput('2026-12-08')).toBeNaN();
    expect(parseIncidentInput('2026-13-08T04:24')).toBeNaN();
  });
});
