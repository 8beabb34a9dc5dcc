// The volunteers area: every volunteer's profile and the network's roster.
import { writable } from 'svelte/store';
import {
  api, EVENT_NETWORK_CHANGED, EVENT_TASKS_CHANGED, EVENT_VOLUNTEERS_CHANGED, type MemberView, type VolunteerPage, type VolunteerQuery, type VolunteerView,
} from '../api';
import { resource } from './resource';
import { paged } from './paged';

/** volunteers: the whole list (the screen uses volunteerPage): every profile, with its load of tasks (re-read when profiles, members or tasks change). */
export const volunteers = resource<VolunteerView[]>(
  () => api.volunteers(), [EVENT_VOLUNTEERS_CHANGED, EVENT_NETWORK_CHANGED, EVENT_TASKS_CHANGED], { initial: [] },
);

/** members: the roster (re-read when the network changes); endorse, revoke and promote answer it too. */
export const members = resource<MemberView[]>(() => api.members(), [EVENT_NETWORK_CHANGED], { initial: [] });

/** VolunteerFilter is what the volunteers screen filters by: text, skill, region ('' for any) and available now. */
export type VolunteerFilter = Omit<VolunteerQuery, 'offset' | 'limit'>;
export const EMPTY_VOLUNTEER_FILTER: VolunteerFilter = { text: '', skill: '', region: '', availableNow: false };
/** volunteerFilter: the filters chosen; changing it reads the first page again. */
export const volunteerFilter = writable<VolunteerFilter>({ ...EMPTY_VOLUNTEER_FILTER });

/** volunteerPage: the volunteers under volunteerFilter, page by page (head: every skill and region). */
export const volunteerPage = paged<VolunteerFilter, VolunteerPage, VolunteerView>(
  (f, offset, limit) => api.volunteerPage({ ...f, offset, limit }), (p) => p.volunteers,
  [EVENT_VOLUNTEERS_CHANGED, EVENT_NETWORK_CHANGED, EVENT_TASKS_CHANGED], { query: volunteerFilter },
);
