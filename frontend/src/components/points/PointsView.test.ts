import { describe, it, expect, vi, beforeAll } from 'vitest';
import { render, fireEvent, screen } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';
import type { AwardView, HistoryPage, StandingsPage } from '../../api';

const award = (i: number): AwardView => ({ rule: 'review', kind: 'demand', entity: `d${i}`, code: `D-${i}`, at: 1_700_000_000_000 - i * 60_000, points: 2 });
const awardsOf: Record<string, AwardView[]> = { me: [award(1)], ann: Array.from({ length: 130 }, (_, i) => award(i)) };
const m = vi.hoisted(() => ({
  standings: vi.fn(async (offset: number, limit: number): Promise<StandingsPage> => ({
    standings: [
      { member: { id: 'ann', name: 'Ann' }, points: 260, rank: 1, history: [] },
      { member: { id: 'me', name: 'Me' }, points: 2, rank: 2, history: [] },
    ].slice(offset, offset + limit), offset, limit, total: 2,
  })),
  history: vi.fn(),
}));
vi.mock('../../api', async () => {
  const errors = await import('../../api/errors');
  const events = await import('../../api/events');
  return { ...errors, ...events, api: { standings: m.standings, history: m.history, on: vi.fn(() => () => {}) } };
});
m.history.mockImplementation(async (id: string, offset: number, limit: number): Promise<HistoryPage> => {
  const all = awardsOf[id] ?? [];
  return { member: { id, name: id }, awards: all.slice(offset, offset + limit), offset, limit, total: all.length,
    points: all.length * 2, rank: id === 'ann' ? 1 : 2 };
});

import PointsView from './PointsView.svelte';

beforeAll(() => setupI18n('en'));
// the machine is shared: wait longer than vitest's 1 s default for the screen to settle
const until = <T>(fn: () => T) => vi.waitFor(fn, { timeout: 10_000 });
const SLOW = 60_000; // a test's own limit

describe('PointsView', () => {
  it('shows the standings and loads a member\'s history when the member is chosen', async () => {
    const { unmount } = render(PointsView, { info: { deviceId: 'me' } as never });
    await until(() => expect(screen.getByTestId('leaderboard-count').textContent).toBe('Showing 2 of 2'));
    await until(() => expect(screen.getByTestId('history-count').textContent).toBe('Showing 1 of 1'));
    expect(m.history).toHaveBeenCalledWith('me', 0, 100);
    expect(m.history).not.toHaveBeenCalledWith('ann', expect.anything(), expect.anything());

    await fireEvent.click(screen.getByRole('button', { name: 'Ann' }));
    await until(() => expect(screen.getByTestId('history-count').textContent).toBe('Showing 100 of 130'));
    expect(screen.getByTestId('points-summary').textContent).toBe('260 points, rank 1');
    await fireEvent.click(screen.getByTestId('history-more'));
    await until(() => expect(screen.getByTestId('history-count').textContent).toBe('Showing 130 of 130'));
    expect(screen.getByTestId('points-history').querySelectorAll('li')).toHaveLength(130);
    unmount();
  }, SLOW);
});
