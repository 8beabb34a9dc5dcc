// Each area's store reads the right binding and re-reads on exactly the events
// that concern it (the helper itself is tested in resource.test.ts).
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { get, type Readable } from 'svelte/store';
import * as events from '../api/events';

const m = vi.hoisted(() => {
  const handlers = new Map<string, Set<(data: unknown) => void>>();
  const answer = (v: unknown) => vi.fn(async (..._args: unknown[]) => v);
  return {
    handlers,
    on: (event: string, fn: (data: unknown) => void) => {
      if (!handlers.has(event)) handlers.set(event, new Set());
      handlers.get(event)!.add(fn);
      return () => handlers.get(event)!.delete(fn);
    },
    api: {
      volunteers: answer([{ id: 'v1' }]), members: answer([{ id: 'm1' }]), offers: answer([{ id: 'o1' }]),
      offerMatches: answer([{ score: 1 }]), tasksFor: answer([{ id: 't1' }]), inbox: answer([{ id: 'p1' }]),
      leaderboard: answer([{ rank: 1 }]), mapPoints: answer([{ id: 'pt1' }]), info: answer({ networkId: 'n1' }),
      node: answer({ running: true }), peers: answer([{ connected: true }]), deadlines: answer({ reviewMinutes: 60 }),
      clock: answer({ warn: false }), joinCode: answer({ code: 'JOIN' }), getDemand: answer({ id: 'd1' }),
      listDemands: vi.fn(async (q: { status: string; limit?: number }) => ({ items: [{ id: `${q.status}-1` }], total: 1 })),
    } as Record<string, ReturnType<typeof vi.fn>>,
    bulletinCount: answer({ demands: 2, unpublished: 1 }),
    exportLevels: answer(['public', 'team']),
  };
});
vi.mock('../api', async () => ({
  ...(await import('../api/errors')), ...(await import('../api/events')), api: { ...m.api, on: m.on },
}));
vi.mock('../api/imports', () => ({ importsApi: { bulletinCount: m.bulletinCount, exportLevels: m.exportLevels } }));

import { volunteers, members } from './volunteers';
import { offers, offerText, offerMatches } from './offers';
import { tasksOf } from './tasks';
import { inbox } from './inbox';
import { leaderboard } from './points';
import { mapPoints } from './map';
import { info, node, deadlines, clock, joinCode, bundleProgress, PEERS_EVERY_MS } from './network';
import { bulletinCount, exportLevels, importProgress } from './imports';
import { demandDetail, board, following, query, total, BOARD_COLUMNS, EMPTY_QUERY } from './demands';
import { COALESCE_MS, type ResourceState } from './resource';

const ALL = [
  events.EVENT_DEMANDS_CHANGED, events.EVENT_NETWORK_CHANGED, events.EVENT_VOLUNTEERS_CHANGED,
  events.EVENT_TASKS_CHANGED, events.EVENT_OFFERS_CHANGED, events.EVENT_SYNC_PROGRESS,
];
const emit = (event: string, data?: unknown) => [...(m.handlers.get(event) ?? [])].forEach((fn) => fn(data));
const listening = () => [...m.handlers.entries()].filter(([, fns]) => fns.size > 0).map(([e]) => e);

beforeEach(() => {
  vi.useFakeTimers();
  Object.values(m.api).forEach((f) => f.mockClear());
  m.bulletinCount.mockClear();
  m.exportLevels.mockClear();
  query.set({ ...EMPTY_QUERY });
});
afterEach(() => vi.useRealTimers());

// Each case: the store, the binding it calls, the events it re-reads on, and the data it must hold.
const cases: { name: string; store: () => Readable<ResourceState<unknown>>; calls: () => ReturnType<typeof vi.fn>; on: string[]; data: unknown }[] = [
  { name: 'volunteers', store: () => volunteers, calls: () => m.api.volunteers,
    on: [events.EVENT_VOLUNTEERS_CHANGED, events.EVENT_NETWORK_CHANGED, events.EVENT_TASKS_CHANGED], data: [{ id: 'v1' }] },
  { name: 'members', store: () => members, calls: () => m.api.members, on: [events.EVENT_NETWORK_CHANGED], data: [{ id: 'm1' }] },
  { name: 'offers', store: () => offers, calls: () => m.api.offers, on: [events.EVENT_OFFERS_CHANGED], data: [{ id: 'o1' }] },
  { name: 'offerMatches', store: () => offerMatches('d1'), calls: () => m.api.offerMatches, on: [events.EVENT_OFFERS_CHANGED], data: [{ score: 1 }] },
  { name: 'tasksOf', store: () => tasksOf('d1'), calls: () => m.api.tasksFor, on: [events.EVENT_TASKS_CHANGED], data: [{ id: 't1' }] },
  { name: 'inbox', store: () => inbox, calls: () => m.api.inbox, on: [events.EVENT_DEMANDS_CHANGED, events.EVENT_TASKS_CHANGED], data: [{ id: 'p1' }] },
  { name: 'leaderboard', store: () => leaderboard, calls: () => m.api.leaderboard,
    on: [events.EVENT_DEMANDS_CHANGED, events.EVENT_TASKS_CHANGED], data: [{ rank: 1 }] },
  { name: 'mapPoints', store: () => mapPoints, calls: () => m.api.mapPoints,
    on: [events.EVENT_DEMANDS_CHANGED, events.EVENT_OFFERS_CHANGED], data: [{ id: 'pt1' }] },
  { name: 'info', store: () => info, calls: () => m.api.info, on: [events.EVENT_NETWORK_CHANGED], data: { networkId: 'n1' } },
  { name: 'node', store: () => node, calls: () => m.api.peers,
    on: [events.EVENT_NETWORK_CHANGED, events.EVENT_DEMANDS_CHANGED, events.EVENT_SYNC_PROGRESS],
    data: { node: { running: true }, peers: [{ connected: true }] } },
  { name: 'deadlines', store: () => deadlines, calls: () => m.api.deadlines, on: [events.EVENT_NETWORK_CHANGED], data: { reviewMinutes: 60 } },
  { name: 'clock', store: () => clock, calls: () => m.api.clock,
    on: [events.EVENT_SYNC_PROGRESS, events.EVENT_DEMANDS_CHANGED, events.EVENT_NETWORK_CHANGED], data: { warn: false } },
  { name: 'joinCode', store: () => joinCode, calls: () => m.api.joinCode, on: [events.EVENT_NETWORK_CHANGED], data: { code: 'JOIN' } },
  { name: 'bulletinCount', store: () => bulletinCount, calls: () => m.bulletinCount, on: [events.EVENT_DEMANDS_CHANGED],
    data: { demands: 2, unpublished: 1 } },
  { name: 'exportLevels', store: () => exportLevels, calls: () => m.exportLevels, on: [events.EVENT_NETWORK_CHANGED], data: ['public', 'team'] },
  { name: 'demandDetail', store: () => demandDetail('d1'), calls: () => m.api.getDemand, on: [events.EVENT_DEMANDS_CHANGED], data: { id: 'd1' } },
];

describe('the stores of each area', () => {
  for (const c of cases) {
    it(`${c.name} loads, re-reads on ${c.on.join(', ')} only, and stops`, async () => {
      const s = c.store();
      const off = s.subscribe(() => {});
      await vi.advanceTimersByTimeAsync(0);
      expect(c.calls()).toHaveBeenCalledTimes(1);
      expect(get(s)).toMatchObject({ data: c.data, loaded: true, error: null });
      let n = 1;
      for (const ev of ALL) {
        emit(ev);
        await vi.advanceTimersByTimeAsync(COALESCE_MS);
        if (c.on.includes(ev)) n++;
        expect(c.calls(), `after ${ev}`).toHaveBeenCalledTimes(n);
      }
      emit(events.EVENT_STORE_SWITCHED, { practice: true }); // every store reads the other network
      await vi.advanceTimersByTimeAsync(COALESCE_MS);
      expect(c.calls()).toHaveBeenCalledTimes(n + 1);
      off();
      expect(listening()).toEqual([]);
    });
  }

  it('tasksOf, offerMatches and demandDetail ask for their demand', async () => {
    const offs = [tasksOf('d7'), offerMatches('d7'), demandDetail('d7')].map((s) => s.subscribe(() => {}));
    await vi.advanceTimersByTimeAsync(0);
    expect(m.api.tasksFor).toHaveBeenCalledWith('d7');
    expect(m.api.offerMatches).toHaveBeenCalledWith('d7');
    expect(m.api.getDemand).toHaveBeenCalledWith('d7');
    offs.forEach((off) => off());
  });

  it('offers re-reads with the new text when it changes', async () => {
    const off = offers.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(0);
    offerText.set('口罩');
    await vi.advanceTimersByTimeAsync(COALESCE_MS);
    expect(m.api.offers.mock.calls.map((a) => a[0])).toEqual(['', '口罩']);
    offerText.set('');
    off();
  });

  it('node re-reads every PEERS_EVERY_MS while shown (connections change without events)', async () => {
    const off = node.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(PEERS_EVERY_MS * 2 + COALESCE_MS);
    expect(m.api.node).toHaveBeenCalledTimes(3);
    off();
    await vi.advanceTimersByTimeAsync(PEERS_EVERY_MS * 2);
    expect(m.api.node).toHaveBeenCalledTimes(3);
  });

  it('board reads each of its statuses (the open ones and fulfilled) under the filters, and again when they change', async () => {
    const off = board.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(m.api.listDemands.mock.calls.map((a) => a[0].status)).toEqual([...BOARD_COLUMNS]);
    expect(BOARD_COLUMNS).toContain('fulfilled'); // the board has a column of what is done
    expect(m.api.listDemands.mock.calls.every((a) => a[0].sort === 'urgency' && a[0].limit === 30)).toBe(true);
    expect(Object.keys(get(board).data)).toEqual([...BOARD_COLUMNS]);
    query.update((q) => ({ ...q, district: '江汉区' }));
    await vi.advanceTimersByTimeAsync(COALESCE_MS);
    expect(m.api.listDemands).toHaveBeenCalledTimes(2 * BOARD_COLUMNS.length);
    expect(m.api.listDemands.mock.calls.at(-1)?.[0].district).toBe('江汉区');
    off();
  });

  it('following keeps the demand list current while subscribed', async () => {
    const off = following.subscribe(() => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(m.api.listDemands).toHaveBeenCalledTimes(1);
    expect(get(total)).toBe(1);
    emit(events.EVENT_DEMANDS_CHANGED);
    emit(events.EVENT_DEMANDS_CHANGED);
    await vi.advanceTimersByTimeAsync(COALESCE_MS);
    expect(m.api.listDemands).toHaveBeenCalledTimes(2);
    off();
    emit(events.EVENT_DEMANDS_CHANGED);
    await vi.advanceTimersByTimeAsync(COALESCE_MS);
    expect(m.api.listDemands).toHaveBeenCalledTimes(2);
  });

  it('importProgress and bundleProgress hold the last progress event while shown', () => {
    const seen: unknown[] = [];
    const offs = [importProgress.subscribe((p) => seen.push(p)), bundleProgress.subscribe((p) => seen.push(p))];
    emit(events.EVENT_IMPORT_PROGRESS, { done: 5, total: 10 });
    emit(events.EVENT_BUNDLE_PROGRESS, { total: 3, received: 2, applied: 1 });
    expect(seen).toEqual([null, null, { done: 5, total: 10 }, { total: 3, received: 2, applied: 1 }]);
    offs.forEach((off) => off());
    expect(get(importProgress)).toBeNull(); // the next import starts from nothing
  });
});
