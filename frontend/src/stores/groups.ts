// Working groups: by function, with a lead, members and followers, and the
// demand categories and task skills routed to each.
import { api, EVENT_NETWORK_CHANGED, EVENT_VOLUNTEERS_CHANGED, type GroupView } from '../api';
import { resource } from './resource';

/** GROUPS_EVERY_MS: group changes from peers raise no event of their own yet, so the list is re-read this often. */
export const GROUPS_EVERY_MS = 10_000;

/** groups: the working groups (re-read when the network or the volunteers change, and every GROUPS_EVERY_MS). */
export const groups = resource<GroupView[]>(
  () => api.groups(), [EVENT_NETWORK_CHANGED, EVENT_VOLUNTEERS_CHANGED], { initial: [], every: GROUPS_EVERY_MS },
);
