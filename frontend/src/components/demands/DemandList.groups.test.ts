import { describe, it, expect, vi, beforeAll } from 'vitest';
import { render, fireEvent, screen } from '@testing-library/svelte';
import { get } from 'svelte/store';
import { setupI18n } from '../../lib/i18n';

const s = vi.hoisted(() => ({}) as Record<string, unknown>);
vi.mock('../../stores/demands', async () => {
  const { writable: w } = await import('svelte/store');
  Object.assign(s, {
    demands: w<unknown[]>([]), total: w(0), shown: w(''), loadError: w(null), catchingUp: w(null), contactsBuilding: w(null),
    query: w({ status: '', category: '', district: '', owner: '', text: '', urgency: '', overdue: false, sort: '', group: '' }),
  });
  return { ...s, BLOCK: 100, EMPTY_QUERY: {}, search: vi.fn(async () => {}), show: vi.fn(async () => {}), isFiltered: () => false };
});
const groups = vi.hoisted(() => vi.fn());
vi.mock('../../api', async (orig) => {
  const real = await orig<typeof import('../../api')>();
  return { ...real, api: { ...real.api, groups } };
});

import DemandList from './DemandList.svelte';

beforeAll(() => setupI18n('en'));

describe('DemandList working groups', () => {
  it('offers each working group as a board filter, and none when there is no group', async () => {
    groups.mockResolvedValueOnce([{ id: 'g1', name: 'Protective supplies', function: 'logistics', categories: ['protective_equipment'] }]);
    const { unmount } = render(DemandList, { categories: [], canRecord: false, onrecord: vi.fn(), onopen: vi.fn() });
    const select = await screen.findByTestId('filter-group') as HTMLSelectElement;
    expect(select.textContent).toContain('All working groups');
    expect(select.textContent).toContain('Protective supplies');
    await fireEvent.change(select, { target: { value: 'g1' } });
    expect((get(s.query as never) as { group: string }).group).toBe('g1');
    unmount();

    groups.mockResolvedValueOnce([]);
    render(DemandList, { categories: [], canRecord: false, onrecord: vi.fn(), onopen: vi.fn() });
    await vi.waitFor(() => expect(groups).toHaveBeenCalledTimes(2));
    expect(screen.queryByTestId('filter-group')).toBeNull();
  });
});
