// The demands store: the list the UI shows, its filters, and re-reading when the
// backend says demands changed.
import { writable, get } from 'svelte/store';
import { api, type DemandQuery, type DemandSummary } from '../api';

export const query = writable<DemandQuery>({ status: '', category: '', district: '', text: '' });
export const demands = writable<DemandSummary[]>([]);
export const loading = writable(false);
export const loadError = writable<unknown>(null);

let seq = 0;

/** refresh re-reads the list for the current query; late answers to older queries are dropped. */
export async function refresh(): Promise<void> {
  const mine = ++seq;
  loading.set(true);
  try {
    const list = await api.listDemands(get(query));
    if (mine === seq) {
      demands.set(list);
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
  return q.status !== '' || q.category !== '' || q.district !== '' || q.text.trim() !== '';
}
