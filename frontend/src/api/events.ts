// Event names from the Go side; mirrors app/events.go.
export const EVENT_DEMANDS_CHANGED = 'demands:changed';
export const EVENT_NETWORK_CHANGED = 'network:changed';
export const EVENT_VOLUNTEERS_CHANGED = 'volunteers:changed';
export const EVENT_TASKS_CHANGED = 'tasks:changed';
export const EVENT_OFFERS_CHANGED = 'offers:changed';
export const EVENT_SYNC_PROGRESS = 'sync:progress';
export const EVENT_BUNDLE_PROGRESS = 'bundle:progress';
export const EVENT_IMPORT_PROGRESS = 'import:progress';
export const EVENT_STORE_SWITCHED = 'store:switched'; // data {practice}: another network's store is open; every screen reloads
