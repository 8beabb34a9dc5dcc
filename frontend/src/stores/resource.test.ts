import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { get, writable } from 'svelte/store';
import { resource, latest, forgetAll, COALESCE_MS, type Subscribe, type ResourceState } from './resource';
import { EVENT_DEMANDS_CHANGED, EVENT_OFFERS_CHANGED, EVENT_STORE_SWITCHED, EVENT_TASKS_CHANGED, EVENT_IMPORT_PROGRESS } from '../api/events';
import { ApiError } from '../api/errors';

// bus is a fake of the Wails event bus: emit calls the handlers listening now.
function bus() {
  const handlers = new Map<string, Set<(data: unknown) => void>>();
  const on = ((event: string, fn: (data: unknown) => void) => {
    if (!handlers.has(event)) handlers.set(event, new Set());
    handlers.get(event)!.add(fn);
    return () => handlers.get(event)!.delete(fn);
  }) as Subscribe;
  return {
    on,
    emit: (event: string, data?: unknown) => [...(handlers.get(event) ?? [])].forEach((fn) => fn(data)),
    listeners: (event: string) => handlers.get(event)?.size ?? 0,
  };
}

// deferred answers: each call of load returns a promise the test resolves
function manual<T>() {
  const calls: { resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  const load = vi.fn(() => new Promise<T>((resolve, reject) => calls.push({ resolve, reject })));
  return { load, calls };
}

// settle lets resolved promises run their continuations
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('resource', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('loads when the first subscriber arrives, not before', async () => {
    const b = bus();
    let n = 0;
    const load = vi.fn(async () => ++n);
    const r = resource(load, [EVENT_DEMANDS_CHANGED], { initial: 0, on: b.on });
    await settle();
    expect(load).not.toHaveBeenCalled();
    const seen: ResourceState<number>[] = [];
    const off = r.subscribe((s) => seen.push(s));
    await settle();
    expect(load).toHaveBeenCalledTimes(1);
    expect(seen.at(-1)).toEqual({ data: 1, loading: false, error: null, loaded: true });
    expect(seen.some((s) => s.loading)).toBe(true);
    off();
  });

  it('loads again when one of its events arrives, and only then', async () => {
    const b = bus();
    let n = 0;
    const load = vi.fn(async () => ++n);
    const r = resource(load, [EVENT_DEMANDS_CHANGED, EVENT_TASKS_CHANGED], { initial: 0, on: b.on });
    const off = r.subscribe(() => {});
    await settle();
    b.emit(EVENT_OFFERS_CHANGED); // not its event
    await vi.advanceTimersByTimeAsync(COALESCE_MS * 2);
    expect(load).toHaveBeenCalledTimes(1);
    b.emit(EVENT_TASKS_CHANGED);
    await vi.advanceTimersByTimeAsync(COALESCE_MS);
    expect(load).toHaveBeenCalledTimes(2);
    expect(get(r).data).toBe(2);
    off();
  });

  it('coalesces a burst of events into one load', async () => {
    const b = bus();
    let n = 0;
    const load = vi.fn(async () => ++n);
    const r = resource(load, [EVENT_DEMANDS_CHANGED], { initial: 0, on: b.on });
    const off = r.subscribe(() => {});
    await settle();
    for (let i = 0; i < 20; i++) b.emit(EVENT_DEMANDS_CHANGED);
    await vi.advanceTimersByTimeAsync(COALESCE_MS);
    expect(load).toHaveBeenCalledTimes(2);
    off();
  });

  it('never runs two loads at once: events during a load cost one more load after it', async () => {
    const b = bus();
    const m = manual<string>();
    const r = resource(m.load, [EVENT_DEMANDS_CHANGED], { initial: '', on: b.on });
    const off = r.subscribe(() => {});
    expect(m.load).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 5; i++) {
      b.emit(EVENT_DEMANDS_CHANGED);
      await vi.advanceTimersByTimeAsync(COALESCE_MS);
    }
    expect(m.load).toHaveBeenCalledTimes(1); // the first is still running
    m.calls[0].resolve('old');
    await settle();
    expect(m.load).toHaveBeenCalledTimes(2);
    expect(get(r)).toMatchObject({ data: 'old', loading: true });
    m.calls[1].resolve('new');
    await settle();
    expect(m.load).toHaveBeenCalledTimes(2);
    expect(get(r)).toMatchObject({ data: 'new', loading: false });
    off();
  });

  it('keeps the last data and says what went wrong when a load fails', async () => {
    const b = bus();
    const m = manual<number[]>();
    const r = resource(m.load, [EVENT_DEMANDS_CHANGED], { initial: [], on: b.on });
    const off = r.subscribe(() => {});
    m.calls[0].resolve([1, 2]);
    await settle();
    b.emit(EVENT_DEMANDS_CHANGED);
    await vi.advanceTimersByTimeAsync(COALESCE_MS);
    m.calls[1].reject(new Error(JSON.stringify({ code: 'storage', message: 'disk full' })));
    await settle();
    const s = get(r);
    expect(s.data).toEqual([1, 2]);
    expect(s.loading).toBe(false);
    expect(s.error).toBeInstanceOf(ApiError);
    expect(s.error?.code).toBe('storage');
    b.emit(EVENT_DEMANDS_CHANGED); // the next good answer clears the error
    await vi.advanceTimersByTimeAsync(COALESCE_MS);
    m.calls[2].resolve([3]);
    await settle();
    expect(get(r)).toMatchObject({ data: [3], error: null });
    off();
  });

  it('stops listening when the last subscriber leaves, and drops a late answer', async () => {
    const b = bus();
    const m = manual<number>();
    const r = resource(m.load, [EVENT_DEMANDS_CHANGED], { initial: 0, on: b.on, every: 1000 });
    const off1 = r.subscribe(() => {});
    const off2 = r.subscribe(() => {});
    expect(b.listeners(EVENT_DEMANDS_CHANGED)).toBe(1);
    off1();
    expect(b.listeners(EVENT_DEMANDS_CHANGED)).toBe(1); // one subscriber left
    off2();
    expect(b.listeners(EVENT_DEMANDS_CHANGED)).toBe(0);
    expect(b.listeners(EVENT_STORE_SWITCHED)).toBe(0);
    m.calls[0].resolve(7); // answered after everyone left
    await settle();
    expect(get(r).data).toBe(0);
    b.emit(EVENT_DEMANDS_CHANGED);
    await vi.advanceTimersByTimeAsync(5000); // neither events nor the interval load now
    // get() subscribes once: that is the only load after the first
    expect(m.load).toHaveBeenCalledTimes(2);
  });

  it('loads every `every` ms while subscribed', async () => {
    const b = bus();
    const load = vi.fn(async () => 1);
    const r = resource(load, [], { initial: 0, on: b.on, every: 1000 });
    const off = r.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(3500);
    expect(load).toHaveBeenCalledTimes(4);
    off();
    await vi.advanceTimersByTimeAsync(3000);
    expect(load).toHaveBeenCalledTimes(4);
  });

  it('loads again when its deps change, and the last answer wins', async () => {
    const b = bus();
    const text = writable('');
    const load = vi.fn(async () => `rows for "${get(text)}"`);
    const r = resource(load, [], { initial: '', on: b.on, deps: text });
    const off = r.subscribe(() => {});
    await settle();
    expect(load).toHaveBeenCalledTimes(1);
    text.set('口');
    text.set('口罩');
    await vi.advanceTimersByTimeAsync(COALESCE_MS);
    expect(load).toHaveBeenCalledTimes(2);
    expect(get(r).data).toBe('rows for "口罩"');
    off();
  });

  it('drops the old network\'s data when the store switches, then loads', async () => {
    const b = bus();
    const m = manual<string>();
    const r = resource(m.load, [], { initial: 'none', on: b.on });
    const seen: string[] = [];
    const off = r.subscribe((s) => seen.push(s.data));
    m.calls[0].resolve('real network');
    await settle();
    b.emit(EVENT_STORE_SWITCHED, { practice: true });
    expect(get(r)).toMatchObject({ data: 'none', loaded: false });
    await vi.advanceTimersByTimeAsync(COALESCE_MS);
    m.calls[1].resolve('practice');
    await settle();
    expect(seen.filter((d, i) => d !== seen[i - 1])).toEqual(['none', 'real network', 'none', 'practice']);
    off();
  });

  it('does not show data of the network open before forgetAll, even when it was not listening', async () => {
    const b = bus();
    let answer = 'real network';
    const r = resource(async () => answer, [], { initial: 'none', on: b.on });
    let off = r.subscribe(() => {});
    await settle();
    off();
    forgetAll(); // the practice network opened while no screen showed r
    answer = 'practice';
    const seen: string[] = [];
    off = r.subscribe((s) => seen.push(s.data));
    await settle();
    expect(seen[0]).toBe('none');
    expect(seen.at(-1)).toBe('practice');
    expect(seen).not.toContain('real network');
    off();
    off = r.subscribe(() => {}); // same network: the last answer shows at once
    expect(get(r).data).toBe('practice');
    off();
  });

  it('reload resolves once the answer is in; set puts an answer in and beats a late load', async () => {
    const b = bus();
    const m = manual<number>();
    const r = resource(m.load, [], { initial: 0, on: b.on });
    const off = r.subscribe(() => {});
    const done = r.reload(); // queued behind the first load
    m.calls[0].resolve(1);
    await settle();
    m.calls[1].resolve(2);
    await done;
    expect(get(r).data).toBe(2);
    r.reload();
    r.set(42); // e.g. the roster an Endorse answered
    m.calls[2].resolve(3);
    await settle();
    expect(get(r)).toMatchObject({ data: 42, loading: false });
    off();
  });
});

describe('latest', () => {
  it('holds the data of the last event while subscribed', () => {
    const b = bus();
    const p = latest(EVENT_IMPORT_PROGRESS, null, b.on);
    expect(b.listeners(EVENT_IMPORT_PROGRESS)).toBe(0);
    const seen: unknown[] = [];
    const off = p.subscribe((v) => seen.push(v));
    b.emit(EVENT_IMPORT_PROGRESS, { done: 1, total: 3 });
    b.emit(EVENT_IMPORT_PROGRESS, { done: 3, total: 3 });
    expect(seen).toEqual([null, { done: 1, total: 3 }, { done: 3, total: 3 }]);
    off();
    expect(b.listeners(EVENT_IMPORT_PROGRESS)).toBe(0);
  });
});
