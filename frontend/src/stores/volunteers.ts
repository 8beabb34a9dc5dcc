// The volunteers area: every volunteer's profile and the network's roster.
import { api, EVENT_NETWORK_CHANGED, EVENT_TASKS_CHANGED, EVENT_VOLUNTEERS_CHANGED, type MemberView, type VolunteerView } from '../api';
import { resource } from './resource';

/** volunteers: every profile, with its load of tasks (re-read when profiles, members or tasks change). */
export const volunteers = resource<VolunteerView[]>(
  () => api.volunteers(), [EVENT_VOLUNTEERS_CHANGED, EVENT_NETWORK_CHANGED, EVENT_TASKS_CHANGED], { initial: [] },
);

/** members: the roster (re-read when the network changes); endorse, revoke and promote answer it too. */
export const members = resource<MemberView[]>(() => api.members(), [EVENT_NETWORK_CHANGED], { initial: [] });
