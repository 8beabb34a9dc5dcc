import { describe, it, expect, vi, beforeAll } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';

// session 14's tester searched the 100,000 demands for a caller's number: "No demands match" and
// nothing more, though phone numbers are sealed and never searched
const s = vi.hoisted(() => ({}) as Record<string, unknown>);
vi.mock('../../stores/demands', async () => {
  const { writable: w } = await import('svelte/store');
  Object.assign(s, {
    demands: w<unknown[]>([]), total: w(0), shown: w(''), loadError: w(null), catchingUp: w(null),
    query: w({ status: '', category: '', district: '', owner: '', text: '', urgency: '', overdue: false, sort: '' }),
  });
  return {
    ...s, BLOCK: 100, EMPTY_QUERY: {}, search: vi.fn(async () => {}), show: vi.fn(async () => {}), isFiltered: () => true,
  };
});

import DemandList from './DemandList.svelte';

beforeAll(() => setupI18n('en'));

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
});
