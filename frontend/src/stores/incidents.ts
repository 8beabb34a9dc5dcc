// The incidents on this laptop (one network each): which is open, which keep
// syncing in the background and with how many peers.
import { api, EVENT_NETWORK_CHANGED, EVENT_SYNC_PROGRESS, type IncidentsView } from '../api';
import { resource } from './resource';

/** MAIN_INCIDENT is the id of the incident whose store is the data directory's own (app.MainIncident): never removed. */
export const MAIN_INCIDENT = 'main';

/** INCIDENTS_EVERY_MS: background nodes connect and disconnect without events on screen, so the list is re-read this often. */
export const INCIDENTS_EVERY_MS = 5000;

/** incidents: the list of incidents (null before the first answer); reloaded on every switch. */
export const incidents = resource<IncidentsView | null>(
  () => api.incidents(), [EVENT_NETWORK_CHANGED, EVENT_SYNC_PROGRESS], { initial: null, every: INCIDENTS_EVERY_MS },
);
