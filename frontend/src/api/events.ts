// Event names from the Go side and the data each carries; mirrors app/events.go.
// The only place in the frontend that spells an event name.
export const EVENT_DEMANDS_CHANGED = 'demands:changed';
export const EVENT_NETWORK_CHANGED = 'network:changed';
export const EVENT_VOLUNTEERS_CHANGED = 'volunteers:changed';
export const EVENT_TASKS_CHANGED = 'tasks:changed';
export const EVENT_OFFERS_CHANGED = 'offers:changed';
export const EVENT_SYNC_PROGRESS = 'sync:progress';
export const EVENT_BUNDLE_PROGRESS = 'bundle:progress';
export const EVENT_IMPORT_PROGRESS = 'import:progress';
export const EVENT_STORE_SWITCHED = 'store:switched'; // another network's store is open; every screen reloads
export const EVENT_CHANGES_UNDONE = 'changes:undone'; // a revocation undid changes shown here (by sync or bundle)
export const EVENT_MAP_PROGRESS = 'map:progress'; // a street map download from a hub advanced

/** SyncProgress is the data of EVENT_SYNC_PROGRESS: one catch-up round with a member. */
export interface SyncProgress { member: string; applied: number; expected: number; done: boolean }
/** BundleProgress is the data of EVENT_BUNDLE_PROGRESS: changes of a bundle import. */
export interface BundleProgress { total: number; received: number; applied: number }
/** ImportProgress is the data of EVENT_IMPORT_PROGRESS: records of a file import written. */
export interface ImportProgress { done: number; total: number }
/** StoreSwitched is the data of EVENT_STORE_SWITCHED: the practice network is open, or incident (app.Info.incident) is. */
export interface StoreSwitched { practice: boolean; incident?: string }
/** ChangesUndone is the data of EVENT_CHANGES_UNDONE (app.UndoneView): count changes by member were undone; revokedAt in Unix ms, 0 when unknown. */
export interface ChangesUndone {
  member: { id: string; name: string };
  count: number;
  after: number;
  revokedBy: { id: string; name: string };
  revokedAt: number;
  fork?: boolean; // a fork of the member's feed undid them (app.UndoneView.Fork)
  forkAt?: number; // Unix ms: when the fork's later change was made
}

/** MapProgress is the data of EVENT_MAP_PROGRESS: bytes of a street map download from member (received of size); error set when done and it failed. */
export interface MapProgress { member: string; received: number; size: number; done: boolean; error: string }

/** EventData maps each event name to the data it carries (undefined: none). */
export interface EventData {
  [EVENT_DEMANDS_CHANGED]: undefined;
  [EVENT_NETWORK_CHANGED]: undefined;
  [EVENT_VOLUNTEERS_CHANGED]: undefined;
  [EVENT_TASKS_CHANGED]: undefined;
  [EVENT_OFFERS_CHANGED]: undefined;
  [EVENT_SYNC_PROGRESS]: SyncProgress;
  [EVENT_BUNDLE_PROGRESS]: BundleProgress;
  [EVENT_IMPORT_PROGRESS]: ImportProgress;
  [EVENT_STORE_SWITCHED]: StoreSwitched;
  [EVENT_CHANGES_UNDONE]: ChangesUndone;
  [EVENT_MAP_PROGRESS]: MapProgress;
}
/** EventName is any event the backend emits. */
export type EventName = keyof EventData;
