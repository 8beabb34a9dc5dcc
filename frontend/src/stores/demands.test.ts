import { describe, it, expect, vi, beforeEach } from 'vitest';
import { get } from 'svelte/store';
import type { DemandQuery, DemandSummary } from '../api';

const m = vi.hoisted(() => ({ listDemands: vi.fn() }));
vi.mock('../api', async () => ({
  ...(await import('../api/errors')), ...(await import('../api/events')), api: { listDemands: m.listDemands, on: vi.fn(() => () => {}) },
}));

import { demands, total, query, search, show, refresh, BLOCK, EMPTY_QUERY, catchUpOf, CATCHUP_STALE_MS, contactsBuilding, BUILDING_RETRY_MS, type CatchUp } from './demands';
import { EVENT_SYNC_PROGRESS, type SyncProgress } from '../api/events';

const row = (i: number, tag = ''): DemandSummary => ({
  id: `id${i}${tag}`, code: `D-${i}`, title: `t${i}`, category: 'other', district: '', status: 'collected', urgency: 'normal',
  items: [], createdAt: i,
});
// a backend of n demands answering pages as DemandService.List does
function backend(n: number, tag = '') {
  m.listDemands.mockImplementation(async (q: DemandQuery) => {
    const from = q.offset ?? 0;
    const items = [];
    for (let i = from; i < Math.min(n, from + (q.limit ?? BLOCK)); i++) items.push(row(i, tag));
    return { items, total: n };
  });
}
const offsets = () => m.listDemands.mock.calls.map((c) => c[0].offset);

beforeEach(() => {
  m.listDemands.mockReset();
  query.set({ ...EMPTY_QUERY });
});

describe('the virtualised demand store', () => {
  it('holds one slot per match and fetches only the blocks in view', async () => {
    backend(100_000);
    await search();
    expect(get(total)).toBe(100_000);
    expect(get(demands).length).toBe(100_000);
    expect(get(demands)[0]?.id).toBe('id0');
    expect(get(demands)[BLOCK]).toBeUndefined();
    expect(offsets()).toEqual([0]);

    await show(50_010, 50_030); // scrolled far down: one block
    expect(offsets()).toEqual([0, 50_000]);
    expect(get(demands)[50_020]?.id).toBe('id50020');
    expect(get(demands)[0]?.id).toBe('id0'); // kept
    await show(50_010, 50_030); // already there: no call
    await show(50_090, 50_110); // across two blocks: only the new one
    expect(offsets()).toEqual([0, 50_000, 50_100]);
    expect(m.listDemands.mock.calls[1][0].limit).toBe(BLOCK);
  });

  it('refresh re-reads what is in view and forgets the rest', async () => {
    backend(1000);
    await search();
    await show(500, 520);
    backend(1001, 'new'); // a demand arrived
    await refresh();
    expect(get(total)).toBe(1001);
    expect(get(demands)[510]?.id).toBe('id510new');
    expect(get(demands)[0]).toBeUndefined(); // out of view: fetched again when it comes back
  });

  it('a new search starts at the top and drops late answers of the old one', async () => {
    backend(1000);
    let release: () => void = () => {};
    m.listDemands.mockImplementationOnce(
      (q: DemandQuery) => new Promise((res) => { release = () => res({ items: [row(q.offset ?? 0, 'old')], total: 1000 }); }),
    );
    const old = search();
    query.update((q) => ({ ...q, text: '口罩' }));
    backend(3, 'q');
    await search();
    release();
    await old;
    expect(get(total)).toBe(3);
    expect(get(demands).map((d) => d?.id)).toEqual(['id0q', 'id1q', 'id2q']);
    expect(m.listDemands.mock.calls.at(-1)?.[0].text).toBe('口罩');
  });

  it('reads again when the total moved while scrolling', async () => {
    backend(1000);
    await search();
    backend(999, 'gone');
    await show(700, 720);
    expect(get(total)).toBe(999);
    expect(get(demands)[710]?.id).toBe('id710gone');
  });
});

describe('the contact index building', () => {
  it('asks again while the desk builds its contact index, then shows the contact hits', async () => {
    vi.useFakeTimers();
    try {
      let built = false;
      m.listDemands.mockImplementation(async () => built
        ? { items: [row(1), { ...row(2), byContact: true }], total: 2, contactsSearched: true }
        : { items: [row(1)], total: 1, contactsSearched: true, contactsBuilding: true, contactsRead: 500 });
      query.set({ ...EMPTY_QUERY, text: '18900000000' });
      await search();
      expect(get(total)).toBe(1);
      expect(get(contactsBuilding)).toBe(500);
      await vi.advanceTimersByTimeAsync(BUILDING_RETRY_MS); // still building: asked again
      expect(m.listDemands).toHaveBeenCalledTimes(2);
      built = true;
      await vi.advanceTimersByTimeAsync(BUILDING_RETRY_MS);
      expect(m.listDemands).toHaveBeenCalledTimes(3);
      expect(get(total)).toBe(2);
      expect(get(demands)[1]?.byContact).toBe(true);
      expect(get(contactsBuilding)).toBeNull();
      await vi.advanceTimersByTimeAsync(5 * BUILDING_RETRY_MS); // built: asked no more
      expect(m.listDemands).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the catch-up line of the demand list', () => {
  // a bus of sync:progress events, and a clock the test moves
  function bus() {
    const fns = new Set<(p: SyncProgress) => void>();
    let t = 1_000;
    const on = ((event: string, fn: (p: SyncProgress) => void) => {
      expect(event).toBe(EVENT_SYNC_PROGRESS);
      fns.add(fn);
      return () => fns.delete(fn);
    }) as never;
    return { on, now: () => t, tick: (ms: number) => { t += ms; }, emit: (p: SyncProgress) => fns.forEach((fn) => fn(p)), listeners: () => fns.size };
  }

  it('sums the rounds under way, drops those done, and says nothing once all are', () => {
    const b = bus();
    const seen: (CatchUp | null)[] = [];
    const off = catchUpOf(b.on, b.now).subscribe((v) => seen.push(v));
    expect(seen.at(-1)).toBeNull();
    b.emit({ member: 'a', applied: 200, expected: 1000, done: false });
    expect(seen.at(-1)).toEqual({ applied: 200, expected: 1000, members: 1 });
    b.emit({ member: 'b', applied: 50, expected: 100, done: false });
    expect(seen.at(-1)).toEqual({ applied: 250, expected: 1100, members: 2 });
    b.emit({ member: 'a', applied: 1000, expected: 1000, done: true });
    expect(seen.at(-1)).toEqual({ applied: 50, expected: 100, members: 1 });
    b.emit({ member: 'b', applied: 100, expected: 100, done: true });
    expect(seen.at(-1)).toBeNull();
    // a round that expects nothing is no catch-up
    b.emit({ member: 'c', applied: 0, expected: 0, done: false });
    expect(seen.at(-1)).toBeNull();
    off();
    expect(b.listeners()).toBe(0);
  });

  it('forgets a round whose last report never came', () => {
    vi.useFakeTimers();
    try {
      const b = bus();
      let last: CatchUp | null = null;
      const off = catchUpOf(b.on, b.now).subscribe((v) => { last = v; });
      b.emit({ member: 'a', applied: 10, expected: 500, done: false });
      expect(last).toEqual({ applied: 10, expected: 500, members: 1 });
      b.tick(CATCHUP_STALE_MS);
      vi.advanceTimersByTime(CATCHUP_STALE_MS);
      expect(last).toBeNull();
      off();
    } finally {
      vi.useRealTimers();
    }
  });
});
