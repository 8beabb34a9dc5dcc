// The points area: the leaderboard, re-read when demands or tasks change (points are earned on both).
import { api, EVENT_DEMANDS_CHANGED, EVENT_TASKS_CHANGED, type AwardView, type HistoryPage, type StandingView, type StandingsPage } from '../api';
import { resource } from './resource';
import { paged, type Paged } from './paged';

/** leaderboard: the whole list (the screen uses standings): every member's points and history, highest first. */
export const leaderboard = resource<StandingView[]>(
  () => api.leaderboard(), [EVENT_DEMANDS_CHANGED, EVENT_TASKS_CHANGED], { initial: [] },
);

/** standings: the leaderboard page by page, highest first, without histories. */
export const standings = paged<null, StandingsPage, StandingView>(
  (_q, offset, limit) => api.standings(offset, limit), (p) => p.standings, [EVENT_DEMANDS_CHANGED, EVENT_TASKS_CHANGED],
);

/** historyOf makes the store of memberId's awards page by page, newest first (head: points and rank). */
export function historyOf(memberId: string): Paged<AwardView, HistoryPage> {
  return paged<null, HistoryPage, AwardView>(
    (_q, offset, limit) => api.history(memberId, offset, limit), (p) => p.awards, [EVENT_DEMANDS_CHANGED, EVENT_TASKS_CHANGED],
  );
}
