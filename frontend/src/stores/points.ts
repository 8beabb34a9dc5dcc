// The points area: the leaderboard, re-read when demands or tasks change (points are earned on both).
import { api, EVENT_DEMANDS_CHANGED, EVENT_TASKS_CHANGED, type StandingView } from '../api';
import { resource } from './resource';

/** leaderboard: every member's points and history, highest first. */
export const leaderboard = resource<StandingView[]>(
  () => api.leaderboard(), [EVENT_DEMANDS_CHANGED, EVENT_TASKS_CHANGED], { initial: [] },
);
