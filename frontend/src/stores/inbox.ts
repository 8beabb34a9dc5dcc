// The inbox: what waits for this member's answer, re-read when demands or tasks change.
import { api, EVENT_DEMANDS_CHANGED, EVENT_TASKS_CHANGED, type PendingView } from '../api';
import { resource } from './resource';

/** inbox: the demands and tasks awaiting this member (or its role), most urgent first. */
export const inbox = resource<PendingView[]>(() => api.inbox(), [EVENT_DEMANDS_CHANGED, EVENT_TASKS_CHANGED], { initial: [] });
