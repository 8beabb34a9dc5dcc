import { describe, it, expect } from 'vitest';
import { inboxAnswers, noteRequired, waitsOnOwner, type Entry } from './ownership';

const e = (what: string, to = '', by = '', overdue = false): Entry => ({ kind: 'demand', what, to, by, overdue });
const acts = (p: Entry, me: string) => inboxAnswers(p, me).map((a) => (a.outcome ? `${a.action}:${a.outcome}` : a.action) + (a.oneClick ? '!' : ''));

describe('inboxAnswers', () => {
  it.each([
    ['owner of a transfer request', e('transfer', 'OWN', 'REQ'), 'OWN', ['accept_transfer!', 'decline_transfer']],
    ['requester, not yet due', e('transfer', 'OWN', 'REQ', false), 'REQ', []],
    ['requester, past the reply-by', e('transfer', 'OWN', 'REQ', true), 'REQ', ['take_over!']],
    ['a bystander', e('transfer', 'OWN', 'REQ', true), 'X', []],
    ['the owner, to follow up', e('follow_up', 'OWN', '', true), 'OWN', ['follow_up']],
    ['a coordinator seeing an overdue follow-up', e('follow_up', 'OWN', '', true), 'COORD', []],
    ['a reviewer, to re-check', e('recheck'), 'REV', ['recheck:still_needed!', 'recheck:partly_needed', 'recheck:no_longer_needed', 'recheck:unreachable!']],
    ['a claim', e('claim'), 'X', []],
    ['no member id yet', e('transfer', 'OWN', 'REQ', true), '', []],
  ])('%s', (_name, p, me, want) => {
    expect(acts(p, me)).toEqual(want);
  });
  it('offers nothing on a task', () => {
    expect(inboxAnswers({ ...e('transfer', 'OWN'), kind: 'task' }, 'OWN')).toEqual([]);
  });
});

describe('waitsOnOwner', () => {
  it('is the requester before the reply-by only', () => {
    expect(waitsOnOwner(e('transfer', 'OWN', 'REQ', false), 'REQ')).toBe(true);
    expect(waitsOnOwner(e('transfer', 'OWN', 'REQ', true), 'REQ')).toBe(false);
    expect(waitsOnOwner(e('transfer', 'OWN', 'REQ', false), 'OWN')).toBe(false);
  });
});

describe('noteRequired', () => {
  it.each([
    ['follow_up', '', true], ['request_transfer', '', true], ['decline_transfer', '', true], ['reopen', '', true],
    ['recheck', 'partly_needed', true], ['recheck', 'no_longer_needed', false], ['recheck', 'still_needed', false],
    ['reject', '', false],
  ])('%s %s → %s', (action, outcome, want) => {
    expect(noteRequired(action, outcome)).toBe(want);
  });
});
