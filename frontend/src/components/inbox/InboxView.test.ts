import { describe, it, expect, vi, beforeAll, beforeEach } from 'vitest';
import { render, fireEvent, screen } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';
import type { InboxPage, InboxQuery, PendingView } from '../../api';

const WHATS = ['review', 'publish', 'claim', 'answer', 'complete', 'follow_up', 'transfer', 'recheck', 'conflict', 'delivery', 'duplicate', 'undone'];
const entry = (i: number, what: string, overdue: boolean): PendingView => ({
  kind: 'demand', id: `d${i}`, demandId: `d${i}`, code: `D-${i}`, title: `需求 ${i}`, what, status: 'collected',
  since: 0, due: 0, overdue, soon: false, to: '', by: '', byName: '', reason: '', contacts: [], ref: '', original: '', count: 0, seq: 0,
});
// fakePage answers as InboxService.Page does: the filter, counts over the whole inbox, offset and limit.
function fakePage(all: PendingView[]) {
  return async (q: InboxQuery): Promise<InboxPage> => {
    const kept = all.filter((p) => (!q.what || p.what === q.what) && (!q.overdueOnly || p.overdue));
    const limit = q.limit > 0 ? Math.min(q.limit, 500) : 100;
    const offset = Math.min(q.offset, kept.length);
    return {
      entries: kept.slice(offset, offset + limit), offset, limit, total: kept.length, all: all.length,
      counts: Object.fromEntries(WHATS.map((w) => [w, all.filter((p) => p.what === w).length])),
      overdue: all.filter((p) => p.overdue).length,
    };
  };
}

const m = vi.hoisted(() => ({ inboxPage: vi.fn(), act: vi.fn(), ackRecordConflict: vi.fn(), info: vi.fn(), mergeDuplicate: vi.fn(), keepSeparate: vi.fn(), undoneChanges: vi.fn(), adoptUndone: vi.fn(), setAsideUndone: vi.fn() }));
vi.mock('../../api', async () => {
  const errors = await import('../../api/errors');
  const events = await import('../../api/events');
  return { ...errors, ...events, api: { inboxPage: m.inboxPage, act: m.act, ackRecordConflict: m.ackRecordConflict, info: m.info, mergeDuplicate: m.mergeDuplicate, keepSeparate: m.keepSeparate,
    undoneChanges: m.undoneChanges, adoptUndone: m.adoptUndone, setAsideUndone: m.setAsideUndone, on: vi.fn(() => () => {}) } };
});

import InboxView from './InboxView.svelte';
import { inboxFilter } from '../../stores/inbox';

beforeAll(() => setupI18n('en'));
// the machine is shared: wait longer than vitest's 1 s default for the screen to settle
const until = <T>(fn: () => T) => vi.waitFor(fn, { timeout: 10_000 });
const SLOW = 60_000; // a test's own limit
beforeEach(() => {
  m.inboxPage.mockReset();
  m.act.mockReset();
  m.info.mockReset();
  m.info.mockResolvedValue({ deviceId: 'ME' });
  inboxFilter.set({ what: '', overdueOnly: false });
});

describe('InboxView', () => {
  it('shows the first page of a large inbox, the chips with their counts, and filters through the backend', async () => {
    // 150 to review (every third overdue), 30 to publish
    const all = [...Array.from({ length: 150 }, (_, i) => entry(i, 'review', i % 3 === 0)), ...Array.from({ length: 30 }, (_, i) => entry(200 + i, 'publish', false))];
    m.inboxPage.mockImplementation(fakePage(all));
    const { unmount } = render(InboxView);
    await until(() => expect(screen.getByTestId('inbox-count').textContent).toBe('Showing 100 of 180'));
    expect(screen.getAllByTestId('inbox-row')).toHaveLength(100);
    expect(screen.getByTestId('inbox-what-all').textContent).toContain('180');
    expect(screen.getByTestId('inbox-what-review').textContent).toContain('150');
    expect(screen.getByTestId('inbox-what-publish').textContent).toContain('30');
    expect((screen.getByTestId('inbox-what-claim') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('inbox-overdue').textContent).toContain('50');

    await fireEvent.click(screen.getByTestId('inbox-what-publish'));
    await until(() => expect(screen.getByTestId('inbox-count').textContent).toBe('Showing 30 of 30'));
    expect(m.inboxPage.mock.lastCall?.[0]).toEqual({ what: 'publish', overdueOnly: false, offset: 0, limit: 100 });
    expect(screen.queryByTestId('inbox-more')).toBeNull();

    await fireEvent.click(screen.getByTestId('inbox-what-review'));
    await fireEvent.click(screen.getByTestId('inbox-overdue'));
    await until(() => expect(screen.getByTestId('inbox-count').textContent).toBe('Showing 50 of 50'));
    expect(screen.getByTestId('inbox-overdue').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getAllByTestId('inbox-row').every((r) => r.classList.contains('overdue'))).toBe(true);

    await fireEvent.click(screen.getByTestId('inbox-what-all'));
    await fireEvent.click(screen.getByTestId('inbox-overdue'));
    await until(() => expect(screen.getByTestId('inbox-count').textContent).toBe('Showing 100 of 180'));
    await fireEvent.click(screen.getByTestId('inbox-more'));
    await until(() => expect(screen.getByTestId('inbox-count').textContent).toBe('Showing 180 of 180'));
    expect(screen.getAllByTestId('inbox-row').map((r) => r.querySelector('.code')?.textContent)).toEqual(all.map((p) => p.code));
    unmount();
  }, SLOW);

  it('lets the owner answer a transfer request, the requester take over once due, and a reviewer record a call', async () => {
    const asked = { ...entry(1, 'transfer', false), to: 'ME', by: 'OTHER', byName: '志愿者乙', reason: '我们就在医院旁边' }; // I own it
    const mine = { ...entry(2, 'transfer', false), to: 'OTHER', by: 'ME' }; // I asked, not yet due
    const due = { ...entry(3, 'transfer', true), to: 'OTHER', by: 'ME' }; // I asked, past the reply-by
    const call = { ...entry(4, 'recheck', true), contacts: [{ name: '乙老师', phone: '+8618900000000', role: '' }] };
    m.inboxPage.mockImplementation(fakePage([asked, mine, due, call]));
    m.act.mockResolvedValue({});
    const { unmount } = render(InboxView);
    await until(() => expect(screen.getAllByTestId('inbox-row')).toHaveLength(4));
    await until(() => expect(screen.getByTestId('inbox-accept_transfer')).toBeTruthy());
    const rows = screen.getAllByTestId('inbox-row');
    expect(rows[0].textContent).toContain('Hand it over');
    // who asks and why, beside the one-click answer (not only in the drawer)
    expect(screen.getByTestId('inbox-transfer-asked').textContent).toContain('志愿者乙 asks to take over');
    expect(rows[0].textContent).toContain('我们就在医院旁边');
    expect(rows[0].textContent).toContain('Keep it');
    expect(rows[1].textContent).toContain("waiting for the owner's answer");
    expect(rows[1].textContent).not.toContain('Take over now');
    expect(rows[2].textContent).toContain('Take over now');
    expect(rows[3].textContent).toContain('Still needed');
    expect(rows[3].textContent).toContain('乙老师');

    await fireEvent.click(screen.getByTestId('inbox-take_over'));
    await until(() => expect(m.act).toHaveBeenCalledTimes(1));
    expect(m.act.mock.lastCall?.[0]).toMatchObject({ id: 'd3', action: 'take_over' });
    await fireEvent.click(screen.getByTestId('inbox-recheck-still_needed'));
    await until(() => expect(m.act).toHaveBeenCalledTimes(2));
    expect(m.act.mock.lastCall?.[0]).toMatchObject({ id: 'd4', action: 'recheck', outcome: 'still_needed' });
    await fireEvent.click(screen.getByTestId('inbox-accept_transfer'));
    await until(() => expect(m.act).toHaveBeenCalledTimes(3));
    expect(m.act.mock.lastCall?.[0]).toMatchObject({ id: 'd1', action: 'accept_transfer' });
    unmount();
  }, SLOW);

  it('shows an empty inbox without filter chips', async () => {
    m.inboxPage.mockImplementation(fakePage([]));
    const { unmount } = render(InboxView);
    await until(() => expect(screen.getByTestId('inbox-empty')).toBeTruthy());
    expect(screen.queryByTestId('inbox-chips')).toBeNull();
    unmount();
  }, SLOW);

  it('lists two conflicts of one demand, says both sides, and acknowledges one with its ref', async () => {
    const member = (name: string) => ({ id: name.toUpperCase() + 'XXXXXXXX', name });
    const conflict = (ref: string, action: string) => ({
      ...entry(1, 'conflict', false), ref,
      notice: {
        conflict: { action, by: member('Bao'), at: 1_000, reason: 'not_owner', field: '', winner: member('Chen'), winnerAt: 500, winnerAction: 'handover', ref, ackedAt: 0 },
        coordinators: true, resolve: ['ack', 'handover', 'reapply'], fields: [],
      },
    });
    m.inboxPage.mockImplementation(fakePage([conflict('aa/0', 'deliver'), conflict('bb/0', 'fulfil')]));
    m.act.mockResolvedValue({});
    const { unmount } = render(InboxView);
    await until(() => expect(screen.getAllByTestId('inbox-row')).toHaveLength(2));
    const lines = screen.getAllByTestId('inbox-notice').map((n) => n.textContent ?? '');
    expect(lines[0]).toContain('Bao');
    expect(lines[0]).toContain('Chen');
    expect(lines[1]).not.toBe(lines[0]);
    await fireEvent.click(screen.getAllByTestId('inbox-resolve-ack')[1]);
    await until(() => expect(m.act).toHaveBeenCalledTimes(1));
    expect(m.act.mock.lastCall?.[0]).toMatchObject({ id: 'd1', action: 'ack_conflict', ref: 'bb/0' });
    unmount();
  }, SLOW);

  it('lists a refused edit of a volunteer\'s profile by the record it touched, and acknowledges it there, not on a demand', async () => {
    const member = (name: string) => ({ id: name.toUpperCase() + 'XXXXXXXX', name });
    const refused: PendingView = {
      ...entry(1, 'conflict', false), kind: 'volunteer', id: 'v-1', demandId: '', code: 'V-QJWYJW', title: '乙', ref: 'cc/0',
      notice: {
        conflict: { action: 'edit', by: member('Bing'), at: 1_000, reason: 'role', field: 'organisation', winner: undefined, winnerAt: 0, winnerAction: '', ref: 'cc/0/organisation', ackedAt: 0 },
        coordinators: true, resolve: ['ack'], fields: ['organisation'],
      },
    } as PendingView;
    m.inboxPage.mockImplementation(fakePage([refused]));
    m.ackRecordConflict.mockReset();
    m.ackRecordConflict.mockResolvedValue(undefined);
    const { unmount } = render(InboxView);
    await until(() => expect(screen.getByTestId('inbox-record').textContent).toBe('Volunteer profile: 乙'));
    const line = screen.getByTestId('inbox-notice').textContent ?? '';
    expect(line).toContain('Bing');
    expect(line).toContain('organisation');
    await fireEvent.click(screen.getByTestId('inbox-resolve-ack'));
    await until(() => expect(m.ackRecordConflict).toHaveBeenCalledTimes(1));
    expect(m.ackRecordConflict.mock.lastCall).toEqual(['volunteer', 'v-1', 'cc/0']);
    expect(m.act).not.toHaveBeenCalled();
    unmount();
  }, SLOW);

  it('shows a duplicate flag with its original and answers it; lists a revoked member\'s undone changes and adopts one', async () => {
    const dup: PendingView = { ...entry(1, 'duplicate', false), original: 'D-ORIG' };
    const und: PendingView = { kind: 'member', id: 'yyyy', demandId: '', code: '乙', title: '', what: 'undone', status: '',
      since: 0, due: 0, overdue: false, soon: false, to: '', by: '', byName: '', reason: '', contacts: [], ref: '', original: '', count: 3, seq: 0 };
    m.inboxPage.mockImplementation(fakePage([dup, und]));
    m.mergeDuplicate.mockResolvedValue({});
    m.undoneChanges.mockResolvedValue([{ member: 'yyyy', seq: '7', at: 0, ops: ['set demand D-X'], steps: [{ type: 'set', kind: 'demand', code: 'D-X', action: '', fields: ['title'], set: '' }], handled: false }]);
    m.adoptUndone.mockResolvedValue(undefined);
    const { unmount } = render(InboxView);
    await until(() => expect(screen.getByTestId('inbox-duplicate-of').textContent).toBe('probably the same demand as D-ORIG'));
    expect(screen.getByTestId('inbox-undone').textContent).toBe('3 changes by 乙 were undone or refused on this device');
    await fireEvent.click(screen.getByTestId('inbox-merge'));
    await until(() => expect(m.mergeDuplicate).toHaveBeenCalledWith('d1'));
    await fireEvent.click(screen.getByTestId('inbox-undone-review'));
    await until(() => expect(screen.getByTestId('undone-list').textContent).toContain('D-X'));
    // worded, not the raw op (a tester saw "transition demand D-3QZ8YD" in the zh-CN inbox)
    expect(screen.getByTestId('undone-steps').textContent).not.toContain('set demand');
    expect(screen.getByTestId('undone-steps').textContent).toMatch(/标题|title/i);
    m.undoneChanges.mockResolvedValue([{ member: 'yyyy', seq: '7', at: 0, ops: ['set demand D-X'], steps: [{ type: 'set', kind: 'demand', code: 'D-X', action: '', fields: ['title'], set: '' }], handled: true }]);
    await fireEvent.click(screen.getByTestId('undone-adopt'));
    await until(() => expect(m.adoptUndone).toHaveBeenCalledWith('yyyy', '7'));
    await until(() => expect(screen.getByTestId('undone-list').textContent).toContain('No change waits.'));
    unmount();
  }, SLOW);

  it('tells a coordinator which member\'s device forked, at which change, and what to do', async () => {
    const fork: PendingView = { kind: 'member', id: 'zzzz', demandId: '', code: '甲', title: '', what: 'fork', status: '',
      since: Date.UTC(2026, 11, 6, 9, 30), due: 0, overdue: false, soon: false, to: '', by: '', byName: '', reason: '', contacts: [], ref: '', original: '', count: 0, seq: 17 };
    m.inboxPage.mockImplementation(fakePage([fork]));
    const { unmount } = render(InboxView);
    await until(() => expect(screen.getByTestId('inbox-fork').textContent).toContain("甲's device wrote two different changes numbered 17"));
    expect(screen.getByTestId('inbox-fork').textContent).toContain('endorse their new device');
    unmount();
  }, SLOW);
});
