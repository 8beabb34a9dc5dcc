import { describe, it, expect } from 'vitest';
import { ackMessage, agoOf, undoneMessage, revokedBanner } from './silent';

const num = (n: number) => n.toLocaleString('en');

describe('ackMessage', () => {
  it.each([
    [{ ackSeq: 0, ackAt: 0, ownSeq: 0 }, 'network.ackNothing', {}],
    [{ ackSeq: 0, ackAt: 0, ownSeq: 5 }, 'network.ackNever', {}],
    [{ ackSeq: 1204, ackAt: 1, ownSeq: 1204 }, 'network.ackAll', { seq: '1,204', ago: '3 min' }],
    [{ ackSeq: 1100, ackAt: 1, ownSeq: 1204 }, 'network.ackUpTo', { seq: '1,100', own: '1,204', ago: '3 min' }],
  ])('%o', (p, key, values) => {
    expect(ackMessage(p, '3 min', num)).toEqual({ key, values });
  });
  it('never says a percentage', () => {
    const m = ackMessage({ ackSeq: 50, ackAt: 1, ownSeq: 100 }, 'x', num);
    expect(Object.values(m.values).join(' ')).not.toContain('%');
    expect(m.values.seq).toBe('50');
  });
});

describe('agoOf', () => {
  it('is relative to now', () => {
    const now = Date.UTC(2020, 0, 26, 8);
    expect(agoOf(now - 3 * 60000, now)).toEqual({ unit: 'time.min', n: 3 });
    expect(agoOf(now - 5 * 3600000, now)).toEqual({ unit: 'time.h', n: 5 });
  });
});

describe('undoneMessage', () => {
  const y = { id: 'yyyyyyyyyyyy', name: '乙' };
  it('names who revoked and when', () => {
    expect(undoneMessage({ member: y, count: 3, revokedBy: { id: 'xxxxxxxxxx', name: '甲' }, revokedAt: 5 }, '1/26 08:00'))
      .toEqual({ key: 'undone.toast', values: { name: '乙', count: 3, by: '甲', at: '1/26 08:00' } });
  });
  it('says the member left the roster when nobody is known to have revoked them', () => {
    expect(undoneMessage({ member: { id: 'zzzzzzzzzzzz', name: '' }, count: 1, revokedBy: { id: '', name: '' }, revokedAt: 0 }, ''))
      .toEqual({ key: 'undone.toastUnknown', values: { name: 'zzzzzzzz', count: 1 } });
  });
  it('says a fork undid them, not that the member left (a tester was told a volunteer had left)', () => {
    expect(undoneMessage({ member: y, count: 1, revokedBy: { id: '', name: '' }, revokedAt: 0, fork: true, forkAt: 9 }, '12/6 23:00'))
      .toEqual({ key: 'undone.toastFork', values: { name: '乙', count: 1, at: '12/6 23:00' } });
  });
});

describe('revokedBanner', () => {
  it('is null for a member who is not revoked', () => {
    expect(revokedBanner({ revoked: false, revokedBy: { id: '', name: '' }, revokedAt: 0 }, '')).toBeNull();
  });
  it('says who and when', () => {
    expect(revokedBanner({ revoked: true, revokedBy: { id: 'x', name: '甲' }, revokedAt: 9 }, 'at')).toEqual({ key: 'revoked.banner', values: { by: '甲', at: 'at' } });
    expect(revokedBanner({ revoked: true, revokedBy: { id: '', name: '' }, revokedAt: 0 }, '')?.key).toBe('revoked.bannerUnknown');
  });
});
