// Event names from the Go side; mirrors app/events.go.
export const EVENT_DEMANDS_CHANGED = 'demands:changed';
export const EVENT_NETWORK_CHANGED = 'network:changed';
