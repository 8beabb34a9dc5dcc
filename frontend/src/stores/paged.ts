// paged: a resource over a list the backend answers page by page (the inbox,
// the leaderboard, a member's points history, volunteers, offers). It holds
// the rows read so far, from the first, and the head of the last answer (its
// total and filter counts). more() asks for PAGE_SIZE rows more; every load
// (an event, a query change, more) reads the rows wanted again from the first,
// so a list never shows a gap or a row twice while the backend changes. A new
// query starts again from PAGE_SIZE rows.
import { get, type Readable } from 'svelte/store';
import type { EventName } from '../api';
import { currentEpoch, resource, type Resource, type ResourceState, type Subscribe } from './resource';

/** PAGE_SIZE is how many rows a list shows first, and how many more() adds. */
export const PAGE_SIZE = 100;
/** MAX_LIMIT is the most rows one backend call returns (desk.MaxPageLimit). */
export const MAX_LIMIT = 500;

/** The window every page answer carries (app's offset, limit, total). */
export interface PageHead {
  offset: number;
  limit: number;
  total: number;
}

/** PagedData is what a paged store holds: the rows read, from the first; the
 * last page answered (for its total and counts; null before any); whether
 * rows lacks some of the total; and query, the key (queryKey) of the filter
 * these rows answer (null before any answer). A screen compares query with
 * queryKey of its filter: while they differ, what it shows is an older
 * filter's answer. */
export interface PagedData<R, P> {
  rows: R[];
  head: P | null;
  total: number;
  hasMore: boolean;
  query: string | null;
}

/** queryKey is the key of filter q that PagedData.query holds: its JSON,
 * a flat object's fields in name order (so two filters equal field by field
 * have one key). */
export function queryKey(q: unknown): string {
  if (q && typeof q === 'object' && !Array.isArray(q)) return JSON.stringify(q, Object.keys(q).sort());
  return JSON.stringify(q ?? null);
}

/** A Paged store is a Resource of PagedData that can ask for more rows. */
export interface Paged<R, P> extends Resource<PagedData<R, P>> {
  /** more asks for PAGE_SIZE rows more; resolves once they are in the store. */
  more(): Promise<void>;
  /** failedQuery is the key (queryKey) of the filter the last failed load
   * asked for (null before any failure): whether the store's error is the
   * current filter's or an older one's. */
  failedQuery(): string | null;
}

export interface PagedOptions<Q> {
  /** query: the filters; when it changes the list loads again from PAGE_SIZE rows. */
  query?: Readable<Q>;
  /** on replaces api.on (tests). */
  on?: Subscribe;
}

/** emptyPaged is the data of a paged store before its first answer. */
export function emptyPaged<R, P>(): PagedData<R, P> {
  return { rows: [], head: null, total: 0, hasMore: false, query: null };
}

/** Shown says what a filtered list's rows are under the filter chosen:
 * 'answered' (they answer it and the last load did not fail), 'failed' (the
 * store holds an error and the rows answer this filter, or this filter's
 * load failed: the error is shown, and no count), or 'searching' (they
 * answer an older filter and its answer is coming). */
export type Shown = 'answered' | 'failed' | 'searching';

/** shownFor says what the state s of paged store p shows under filter q
 * (the one the screen has chosen; typing not yet applied is the screen's to
 * tell). A reload for the same filter (an event, more) keeps 'answered'. */
export function shownFor<R, P, Q>(p: Paged<R, P>, s: ResourceState<PagedData<R, P>>, q: Q): Shown {
  const key = queryKey(q);
  if (s.data.query === key) return s.error ? 'failed' : 'answered';
  return s.error && p.failedQuery() === key ? 'failed' : 'searching';
}

/** paged makes a store of the list fetch answers page by page: fetch(q, offset,
 * limit) is one backend call; rowsOf takes the rows out of its answer. It
 * re-reads on events (and when query changes) like every resource. */
export function paged<Q, P extends PageHead, R>(
  fetch: (q: Q, offset: number, limit: number) => Promise<P>,
  rowsOf: (page: P) => R[],
  events: readonly EventName[],
  opts: PagedOptions<Q> = {},
): Paged<R, P> {
  let want = PAGE_SIZE;
  let lastQuery: string | null = null;
  let wantEpoch = currentEpoch(); // the incident want was grown in
  let failed: string | null = null; // the key of the last failed load's filter

  async function load(): Promise<PagedData<R, P>> {
    const q = (opts.query ? get(opts.query) : undefined) as Q;
    const key = queryKey(q);
    if (key !== lastQuery || wantEpoch !== currentEpoch()) {
      // another filter, or another incident: its first page, not as many
      // rows as the last one showed
      lastQuery = key;
      wantEpoch = currentEpoch();
      want = PAGE_SIZE;
    }
    const rows: R[] = [];
    let head: P | null = null;
    let restarts = 0;
    while (rows.length < want) {
      let page: P;
      try {
        page = await fetch(q, rows.length, Math.min(MAX_LIMIT, want - rows.length));
      } catch (e) {
        failed = key;
        throw e;
      }
      const got = rowsOf(page);
      if (head && page.total !== head.total && restarts++ < 3) {
        // the list changed between two calls: read it again from the first row
        rows.length = 0;
        head = null;
        continue;
      }
      head = page;
      rows.push(...got);
      if (got.length === 0 || rows.length >= page.total) break;
    }
    const total = head?.total ?? 0;
    return { rows, head, total, hasMore: rows.length < total, query: key };
  }

  const res = resource<PagedData<R, P>>(load, events, { initial: emptyPaged<R, P>(), deps: opts.query, on: opts.on });
  return {
    ...res,
    more: () => {
      want = Math.max(want, get(res).data.rows.length) + PAGE_SIZE;
      return res.reload();
    },
    failedQuery: () => failed,
  };
}
