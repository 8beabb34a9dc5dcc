// resource: the one helper every store is built on. A resource is a Svelte
// store of what one backend read answers ({data, loading, error}); it loads
// when its first subscriber arrives, loads again when one of its events
// arrives (a burst of events costs one load, never two at once), and stops
// listening when its last subscriber leaves.
import { writable, type Readable } from 'svelte/store';
import { api, toApiError, type ApiError, EVENT_STORE_SWITCHED, type EventData, type EventName } from '../api';

/** COALESCE_MS is how long a resource gathers events before it loads again. */
export const COALESCE_MS = 50;

/** ResourceState is what a resource holds: the last answer, whether a load is
 * running, the error of the last load (null after a good one), and whether any
 * load has answered yet. data keeps the last good answer across errors. */
export interface ResourceState<T> {
  data: T;
  loading: boolean;
  error: ApiError | null;
  loaded: boolean;
}

/** A Resource is a readable store of ResourceState with a way to load now. */
export interface Resource<T> extends Readable<ResourceState<T>> {
  /** reload loads now (after the load running, if any); resolves once the answer is in the store. */
  reload(): Promise<void>;
  /** set puts an answer the caller already holds (an action's result) in the store. */
  set(data: T): void;
}

/** Subscribe is how a resource listens to backend events: api.on, or a fake in tests. */
export type Subscribe = <E extends EventName>(event: E, fn: (data: EventData[E]) => void) => () => void;

export interface ResourceOptions<T> {
  /** initial is data before the first answer, and again after the store switches networks. */
  initial: T;
  /** coalesceMs: events closer than this cause one load (default COALESCE_MS). */
  coalesceMs?: number;
  /** every: also load every this many ms while subscribed (state that changes without events). */
  every?: number;
  /** deps: load again whenever this store changes (a filter, for instance). */
  deps?: Readable<unknown>;
  /** on replaces api.on (tests). */
  on?: Subscribe;
}

// epoch counts the networks opened in this window (practice, back, create,
// join): data read under an older epoch is never shown again.
let epoch = 0;

/** forgetAll tells every resource that another network's store is open: each
 * drops its data when it is next subscribed (the active ones also hear
 * EVENT_STORE_SWITCHED). App calls it when the network changes. */
export function forgetAll(): void {
  epoch++;
}

/** currentEpoch counts forgetAll's calls: a store that keeps more than its
 * data (how many rows it showed) compares it to forget that too. */
export function currentEpoch(): number {
  return epoch;
}

/** resource makes a store of what load answers, re-loaded on events (and
 * always on EVENT_STORE_SWITCHED, which also drops the old network's data). */
export function resource<T>(load: () => Promise<T>, events: readonly EventName[], opts: ResourceOptions<T>): Resource<T> {
  const wait = opts.coalesceMs ?? COALESCE_MS;
  const on: Subscribe = opts.on ?? api.on;
  let state: ResourceState<T> = { data: opts.initial, loading: false, error: null, loaded: false };
  let active = false;
  let gen = 0; // bumped by every load and by stop: answers of older loads are dropped
  let current: Promise<void> | null = null; // the load running
  let next: Promise<void> | null = null; // the one load queued behind it
  let timer: ReturnType<typeof setTimeout> | null = null;
  let dataEpoch = epoch; // the epoch state.data was read in

  const update = (part: Partial<ResourceState<T>>) => {
    state = { ...state, ...part };
    store.set(state);
  };

  async function once(): Promise<void> {
    const mine = ++gen;
    const at = epoch;
    update({ loading: true });
    try {
      const data = await load();
      if (mine === gen) {
        dataEpoch = at;
        update({ data, error: null, loaded: true, loading: false });
      }
    } catch (e) {
      if (mine === gen) update({ error: toApiError(e), loading: false });
    }
  }

  // run loads now, or once more after the load running: never two at once,
  // and any number of calls during a load cost one more load.
  function run(): Promise<void> {
    if (!current) {
      current = once().finally(() => { current = null; });
      return current;
    }
    next ??= current.then(() => { next = null; return run(); });
    return next;
  }

  function schedule() {
    if (!active || timer) return;
    timer = setTimeout(() => { timer = null; if (active) run(); }, wait);
  }

  const store = writable(state, () => {
    active = true;
    if (dataEpoch !== epoch) {
      dataEpoch = epoch;
      update({ data: opts.initial, error: null, loaded: false }); // another network's data
    }
    const offs = [...new Set<EventName>([...events, EVENT_STORE_SWITCHED])].map((ev) =>
      on(ev, () => {
        if (ev === EVENT_STORE_SWITCHED) update({ data: opts.initial, error: null, loaded: false });
        schedule();
      }),
    );
    let first = true;
    const offDeps = opts.deps?.subscribe(() => {
      if (!first) schedule();
      first = false;
    });
    const tick = opts.every ? setInterval(schedule, opts.every) : null;
    run();
    return () => {
      active = false;
      gen++;
      offs.forEach((off) => off());
      offDeps?.();
      if (tick) clearInterval(tick);
      if (timer) clearTimeout(timer);
      timer = null;
      if (state.loading) update({ loading: false });
    };
  });

  return {
    subscribe: store.subscribe,
    reload: run,
    set: (data: T) => { gen++; dataEpoch = epoch; update({ data, error: null, loaded: true, loading: false }); },
  };
}

/** latest is a store of the data of the last event named event (initial
 * before any, and again once its last subscriber leaves); it listens only
 * while subscribed. */
export function latest<E extends EventName>(event: E, initial: EventData[E] | null, on: Subscribe = api.on): Readable<EventData[E] | null> {
  const store = writable<EventData[E] | null>(initial, (set) => {
    const off = on(event, (data) => set(data));
    return () => { off(); set(initial); }; // the next subscriber does not see an old run's progress
  });
  return { subscribe: store.subscribe };
}
