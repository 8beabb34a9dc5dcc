// The inbox: what waits for this member's answer, re-read when demands or tasks change.
import { writable } from 'svelte/store';
import { api, EVENT_DEMANDS_CHANGED, EVENT_TASKS_CHANGED, type InboxPage, type InboxQuery, type PendingView } from '../api';
import { resource } from './resource';
import { paged } from './paged';

/** inbox: the whole list (every entry; the screen uses inboxPage): the demands and tasks awaiting this member (or its role), most urgent first. */
export const inbox = resource<PendingView[]>(() => api.inbox(), [EVENT_DEMANDS_CHANGED, EVENT_TASKS_CHANGED], { initial: [] });

/** InboxFilter is what the inbox's filter chips choose: one kind of wait ('' for all) and overdue only. */
export type InboxFilter = Pick<InboxQuery, 'what' | 'overdueOnly'>;
/** INBOX_WHATS are the kinds of wait, in the order of the chips (desk.InboxWhats). */
export const INBOX_WHATS = ['review', 'publish', 'claim', 'answer', 'complete', 'follow_up', 'transfer', 'recheck', 'conflict', 'delivery', 'withdrawn', 'duplicate', 'undone', 'checkout', 'covenant', 'covenant_missing', 'fork'] as const;
/** inboxFilter: the chips chosen; changing it reads the first page again. */
export const inboxFilter = writable<InboxFilter>({ what: '', overdueOnly: false });

/** inboxPage: the inbox read page by page under inboxFilter; head holds the counts of the chips. */
export const inboxPage = paged<InboxFilter, InboxPage, PendingView>(
  (f, offset, limit) => api.inboxPage({ ...f, offset, limit }), (p) => p.entries,
  [EVENT_DEMANDS_CHANGED, EVENT_TASKS_CHANGED], { query: inboxFilter },
);
