// The demands store: the list the UI shows, its filters, and re-reading when the
// backend says demands changed.
import { writable, get } from 'svelte/store';
import { api, type DemandQuery, type DemandSummary } from '../api';

export const PAGE = 100;
export const EMPTY_QUERY: DemandQuery = {
  status: '', category: '', district: '', owner: '', text: '', urgency: '', overdue: false, sort: '',
};
export const query = writable<DemandQuery>({ ...EMPTY_QUERY });
export const demands = writable<DemandSummary[]>([]);
/** total is how many demands match the query in all (the list shows a page at a time). */
export const total = writable(0);
export const loading = writable(false);
export const loadError = writable<unknown>(null);

let seq = 0;

/** refresh re-reads the list for the current query, keeping as many rows as
 * are shown (at least a page); late answers to older queries are dropped. */
export async function refresh(): Promise<void> {
  const mine = ++seq;
  loading.set(true);
  try {
    const limit = Math.max(PAGE, get(demands).length);
    const page = await api.listDemands({ ...get(query), offset: 0, limit });
    if (mine === seq) {
      demands.set(page.items);
      total.set(page.total);
      loadError.set(null);
    }
  } catch (e) {
    if (mine === seq) loadError.set(e);
  } finally {
    if (mine === seq) loading.set(false);
  }
}

/** isFiltered reports whether any filter is set. */
export function isFiltered(q: DemandQuery): boolean {
  return q.status !== '' || q.category !== '' || q.district.trim() !== '' || q.owner !== '' || q.text.trim() !== ''
    || q.urgency !== '' || q.overdue;
}

/** more appends the next page of the current query. */
export async function more(): Promise<void> {
  const mine = ++seq;
  const shown = get(demands);
  try {
    const page = await api.listDemands({ ...get(query), offset: shown.length, limit: PAGE });
    if (mine === seq) {
      demands.set([...shown, ...page.items]);
      total.set(page.total);
    }
  } catch (e) {
    if (mine === seq) loadError.set(e);
  }
}
