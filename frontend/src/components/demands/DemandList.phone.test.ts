import { describe, it, expect, vi, beforeAll } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { locale } from 'svelte-i18n';
import { setupI18n } from '../../lib/i18n';

// session 14's tester searched the 100,000 demands for a caller's number: "No demands match" and
// nothing more, though phone numbers are sealed and never searched
const s = vi.hoisted(() => ({}) as Record<string, unknown>);
vi.mock('../../stores/demands', async () => {
  const { writable: w } = await import('svelte/store');
  Object.assign(s, {
    demands: w<unknown[]>([]), total: w(0), shown: w(''), loadError: w(null), catchingUp: w(null), contactsSearched: w(false), contactsBuilding: w<number | null>(null),
    query: w({ status: '', category: '', district: '', owner: '', text: '', urgency: '', overdue: false, sort: '' }),
  });
  return {
    ...s, BLOCK: 100, EMPTY_QUERY: {}, search: vi.fn(async () => {}), show: vi.fn(async () => {}), isFiltered: () => true,
  };
});

import DemandList from './DemandList.svelte';

// virtua measures its rows: a resize observer that reports at once (DemandList.test.ts has the full one)
class FakeResizeObserver {
  constructor(private cb: ResizeObserverCallback) {}
  observe(el: Element) {
    requestAnimationFrame(() => el.isConnected && this.cb([{ target: el, contentRect: { width: 400, height: el.tagName === 'LI' ? 78 : 600 } } as unknown as ResizeObserverEntry], this as never));
  }
  unobserve() {}
  disconnect() {}
}

beforeAll(() => {
  setupI18n('en');
  globalThis.ResizeObserver ??= FakeResizeObserver as unknown as typeof ResizeObserver;
});

describe('DemandList searched for a phone number', () => {
  it('says phone numbers are not searched when nothing matches a number', async () => {
    const q = s.query as { set: (v: unknown) => void };
    for (const text of ['138 0000 1234', '+86 13800001234', '027-8788-6666']) {
      q.set({ status: '', category: '', district: '', owner: '', text, urgency: '', overdue: false, sort: '' });
      const { unmount } = render(DemandList, { categories: [], canRecord: true, onrecord: () => {}, onopen: () => {} });
      await vi.waitFor(() => expect(screen.getByTestId('phone-not-searched').textContent).toContain('not searched'));
      unmount();
    }
  });
  it('says nothing of phones for a search that is no number', async () => {
    const q = s.query as { set: (v: unknown) => void };
    for (const text of ['协和', 'D-123456', '2020']) {
      q.set({ status: '', category: '', district: '', owner: '', text, urgency: '', overdue: false, sort: '' });
      const { unmount } = render(DemandList, { categories: [], canRecord: true, onrecord: () => {}, onopen: () => {} });
      await vi.waitFor(() => expect(screen.getByText('No demand matches these filters.', { exact: false })).toBeTruthy());
      expect(screen.queryByTestId('phone-not-searched')).toBeNull();
      unmount();
    }
  });
  it('for a member who may read contacts, says they were searched, and marks the rows found by a contact', async () => {
    const q = s.query as { set: (v: unknown) => void };
    const cs = s.contactsSearched as { set: (v: unknown) => void };
    const rows = s.demands as { set: (v: unknown) => void };
    const total = s.total as { set: (v: unknown) => void };
    cs.set(true);
    q.set({ status: '', category: '', district: '', owner: '', text: '189 0000 0000', urgency: '', overdue: false, sort: '' });
    let r = render(DemandList, { categories: [], canRecord: true, onrecord: () => {}, onopen: () => {} });
    await vi.waitFor(() => expect(screen.getByTestId('contacts-searched-none').textContent).toContain('searched too'));
    expect(screen.queryByTestId('phone-not-searched')).toBeNull();
    r.unmount();
    const row = (id: string, byContact: boolean) => ({ id, code: 'D-' + id, title: 'T' + id, category: 'food', district: '', status: 'collected',
      urgency: 'normal', items: [], createdAt: 0, byContact });
    rows.set([row('1', false), row('2', true)]);
    total.set(2);
    r = render(DemandList, { categories: [], canRecord: true, onrecord: () => {}, onopen: () => {} });
    await vi.waitFor(() => expect(screen.getAllByTestId('by-contact')).toHaveLength(1));
    expect(screen.getByTestId('by-contact').textContent).toBe('by contact');
    expect(screen.getByTestId('contacts-searched').textContent).toContain("contacts' phones and names");
    r.unmount();
    cs.set(false);
    rows.set([]);
    total.set(0);
  });
  it('says the contact index is building during the first search of contacts, with what it has read, in either language', async () => {
    const q = s.query as { set: (v: unknown) => void };
    const cs = s.contactsSearched as { set: (v: unknown) => void };
    const cb = s.contactsBuilding as { set: (v: unknown) => void };
    cs.set(true);
    cb.set(0);
    q.set({ status: '', category: '', district: '', owner: '', text: '189 0000 0000', urgency: '', overdue: false, sort: '' });
    const r = render(DemandList, { categories: [], canRecord: true, onrecord: () => {}, onopen: () => {} });
    await vi.waitFor(() => expect(screen.getByTestId('contacts-building').textContent).toContain('Building the contact index'));
    expect(screen.getByTestId('contacts-building').textContent).not.toContain('demands read');
    expect(screen.queryByTestId('contacts-searched-none')).toBeNull(); // not all searched yet: not "none holds it"
    cb.set(41_000);
    await vi.waitFor(() => expect(screen.getByTestId('contacts-building').textContent).toContain('(41,000 demands read)'));
    await locale.set('zh-CN');
    await vi.waitFor(() => expect(screen.getByTestId('contacts-building').textContent).toContain('正在建立联系人索引'));
    expect(screen.getByTestId('contacts-building').textContent).toContain('已读 41,000 条需求');
    await locale.set('en');
    cb.set(null); // built: the line goes, the search says contacts were searched
    await vi.waitFor(() => expect(screen.queryByTestId('contacts-building')).toBeNull());
    expect(screen.getByTestId('contacts-searched-none').textContent).toContain('searched too');
    r.unmount();
    cs.set(false);
  });
});
