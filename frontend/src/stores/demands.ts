// The demands store: the list the UI shows, its filters, and re-reading when the
// backend says demands changed. The list is virtualised over the whole result:
// `demands` has one slot per matching demand (its length is the total), filled
// block by block (BLOCK rows per backend call) as the rows come into view;
// slots not fetched yet are undefined.
import { writable, get, type Readable } from 'svelte/store';
import { api, EVENT_DEMANDS_CHANGED, EVENT_SYNC_PROGRESS, type DemandDetail, type DemandPage, type DemandQuery, type DemandSummary } from '../api';
import { resource, type Resource } from './resource';
import type { Subscribe } from './resource';

/** BLOCK is how many rows one backend call fetches. */
export const BLOCK = 100;
export const EMPTY_QUERY: DemandQuery = {
  status: '', category: '', district: '', owner: '', text: '', urgency: '', overdue: false, sort: '', offset: 0, limit: BLOCK,
  region: '', group: '',
};
export const query = writable<DemandQuery>({ ...EMPTY_QUERY });
/** demands holds one slot per demand matching the query, in list order; undefined until fetched. */
export const demands = writable<(DemandSummary | undefined)[]>([]);
/** total is how many demands match the query in all (the length of demands). */
export const total = writable(0);
/** contactsSearched says that the last search looked at the contacts' phones
 * and names too (a member who may read them: DemandPage.contactsSearched). */
export const contactsSearched = writable(false);
/** contactsBuilding is, while the desk builds its index of contacts (the first
 * search of contacts on this device: seconds at 100,000 demands), how many
 * demand records it has read; null otherwise. The page then holds no contact
 * hits yet: the store asks again every BUILDING_RETRY_MS until it is built. */
export const contactsBuilding = writable<number | null>(null);
export const BUILDING_RETRY_MS = 1000;
let retry: ReturnType<typeof setTimeout> | undefined;
export const loading = writable(false);
export const loadError = writable<unknown>(null);
/** shown is the query the rows in demands answer (JSON), for tests and measurements. */
export const shown = writable('');

let gen = 0; // bumped by every refresh: answers of older generations are dropped
let fetched = new Set<number>(); // blocks fetched or being fetched in this generation
let view = { from: 0, to: BLOCK - 1 }; // rows last reported in view by the list

const blocksOf = (from: number, to: number): number[] => {
  const out: number[] = [];
  for (let b = Math.floor(Math.max(0, from) / BLOCK); b <= Math.floor(Math.max(0, to) / BLOCK); b++) out.push(b);
  return out;
};

function fill(rows: (DemandSummary | undefined)[], block: number, items: DemandSummary[]) {
  items.forEach((d, i) => { if (block * BLOCK + i < rows.length) rows[block * BLOCK + i] = d; });
}

/** refresh re-reads the blocks in view for the current query and the total;
 * the other blocks are fetched again when they come into view. Late answers to
 * older queries are dropped. */
export async function refresh(): Promise<void> {
  const mine = ++gen;
  fetched = new Set();
  loading.set(true);
  try {
    const blocks = blocksOf(view.from, view.to);
    blocks.forEach((b) => fetched.add(b));
    const q = get(query);
    const pages = await Promise.all(blocks.map((b) => api.listDemands({ ...q, offset: b * BLOCK, limit: BLOCK })));
    if (mine !== gen) return;
    const n = pages[0].total;
    const rows = new Array<DemandSummary | undefined>(n);
    pages.forEach((p, i) => fill(rows, blocks[i], p.items));
    demands.set(rows);
    total.set(n);
    contactsSearched.set(!!pages[0].contactsSearched);
    contactsBuilding.set(pages[0].contactsBuilding ? (pages[0].contactsRead ?? 0) : null);
    clearTimeout(retry);
    if (pages[0].contactsBuilding) retry = setTimeout(() => { if (mine === gen) refresh(); }, BUILDING_RETRY_MS);
    shown.set(JSON.stringify(q));
    loadError.set(null);
  } catch (e) {
    if (mine === gen) loadError.set(e);
  } finally {
    if (mine === gen) loading.set(false);
  }
}

/** search starts the list again from its first row: for a new query. */
export function search(): Promise<void> {
  view = { from: 0, to: BLOCK - 1 };
  return refresh();
}

/** show tells the store which rows are in view (from and to included): the
 * blocks among them not fetched yet are fetched. */
export async function show(from: number, to: number): Promise<void> {
  view = { from, to };
  const mine = gen;
  const want = blocksOf(from, Math.min(to, get(total) - 1)).filter((b) => !fetched.has(b));
  if (want.length === 0) return;
  want.forEach((b) => fetched.add(b));
  const q = get(query);
  try {
    const pages = await Promise.all(want.map((b) => api.listDemands({ ...q, offset: b * BLOCK, limit: BLOCK })));
    if (mine !== gen) return;
    if (pages.some((p) => p.total !== get(total))) {
      await refresh(); // the demands changed meanwhile: read again what is in view
      return;
    }
    const rows = get(demands).slice();
    pages.forEach((p, i) => fill(rows, want[i], p.items));
    demands.set(rows);
  } catch (e) {
    if (mine === gen) {
      want.forEach((b) => fetched.delete(b));
      loadError.set(e);
    }
  }
}

/** isFiltered reports whether any filter is set. */
export function isFiltered(q: DemandQuery): boolean {
  return q.status !== '' || q.category !== '' || q.district.trim() !== '' || q.owner !== '' || q.text.trim() !== ''
    || q.urgency !== '' || q.overdue || (q.region ?? '').trim() !== '' || (q.group ?? '') !== '';
}

/** following keeps the list above current while it has a subscriber (the
 * demands screen): it refreshes at once and again when demands change. Its own
 * value is nothing; the list is in demands and total. */
export const following = resource<null>(async () => { await refresh(); return null; }, [EVENT_DEMANDS_CHANGED], { initial: null });

/** demandDetail makes the store of demand id as this member may see it (re-read when demands change). */
export function demandDetail(id: string): Resource<DemandDetail | null> {
  return resource<DemandDetail | null>(() => api.getDemand(id), [EVENT_DEMANDS_CHANGED], { initial: null });
}

/** BOARD_COLUMNS are the statuses the board shows, in pipeline order: the open ones, then fulfilled (what is done). */
export const BOARD_COLUMNS = ['collected', 'approved', 'published', 'in_progress', 'fulfilled'] as const;
/** PER_COLUMN is how many demands a board column shows. */
export const PER_COLUMN = 30;

/** board: the first PER_COLUMN demands of each BOARD_COLUMNS status under the list's
 * filters (status aside), most urgent first unless another sort is chosen. */
export const board = resource<Record<string, DemandPage>>(
  async () => {
    const q = get(query);
    const pages = await Promise.all(
      BOARD_COLUMNS.map((status) => api.listDemands({ ...q, status, sort: q.sort || 'urgency', offset: 0, limit: PER_COLUMN })),
    );
    return Object.fromEntries(BOARD_COLUMNS.map((c, i) => [c, pages[i]]));
  },
  [EVENT_DEMANDS_CHANGED],
  { initial: {}, deps: query },
);

/** CatchUp is what the demand list says of the catch-up rounds under way
 * (EVENT_SYNC_PROGRESS): changes applied and expected, summed over the
 * members sending them, and how many members. */
export interface CatchUp { applied: number; expected: number; members: number }

/** CATCHUP_STALE_MS: a round that has said nothing for this long (its last
 * report lost, the peer gone) no longer counts as under way. */
export const CATCHUP_STALE_MS = 30_000;

/** catchUpOf is a store of the catch-up rounds under way, from the progress
 * events on the bus: null when none is (every round reported done, stale,
 * or expected nothing). It listens only while subscribed. */
export function catchUpOf(on: Subscribe = api.on, now: () => number = Date.now): Readable<CatchUp | null> {
  return { subscribe: writable<CatchUp | null>(null, (set) => {
    const rounds = new Map<string, { applied: number; expected: number; at: number }>();
    let timer: ReturnType<typeof setInterval> | undefined;
    const publish = () => {
      const t = now();
      for (const [m, r] of rounds) if (t - r.at >= CATCHUP_STALE_MS) rounds.delete(m);
      let applied = 0, expected = 0;
      for (const r of rounds.values()) { applied += Math.min(r.applied, r.expected); expected += r.expected; }
      set(rounds.size > 0 && expected > 0 ? { applied, expected, members: rounds.size } : null);
      if (rounds.size === 0 && timer !== undefined) { clearInterval(timer); timer = undefined; }
      else if (rounds.size > 0 && timer === undefined) timer = setInterval(publish, CATCHUP_STALE_MS / 3);
    };
    const off = on(EVENT_SYNC_PROGRESS, (p) => {
      if (!p) return;
      if (p.done || p.expected <= 0) rounds.delete(p.member);
      else rounds.set(p.member, { applied: p.applied, expected: p.expected, at: now() });
      publish();
    });
    return () => { off(); if (timer !== undefined) clearInterval(timer); rounds.clear(); set(null); };
  }).subscribe };
}

/** catchingUp: the catch-up rounds under way, for the demand list's line. */
export const catchingUp = catchUpOf();
