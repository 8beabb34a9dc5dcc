import { describe, it, expect, vi, beforeAll, beforeEach } from 'vitest';
import { render, fireEvent, screen } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';
import type { DemandDetail as Detail } from '../../api';

const m = vi.hoisted(() => ({
  getDemand: vi.fn(), act: vi.fn(), keepValue: vi.fn(), listDemands: vi.fn(), offerMatches: vi.fn(async () => []), tasksFor: vi.fn(async () => []),
  members: vi.fn(async () => []), matches: vi.fn(async () => []), on: vi.fn(() => () => {}),
  categories: vi.fn(async () => ['protective_equipment']), editDemand: vi.fn(), similar: vi.fn(async () => null),
}));
vi.mock('../../api', async () => {
  const errors = await import('../../api/errors');
  const events = await import('../../api/events');
  return { ...errors, ...events, api: m };
});

import DemandDetail from './DemandDetail.svelte';

const who = (name: string) => ({ id: `${name.toUpperCase()}KEYKEYKEY`, name });
const value = (ref: string, by: string, text: string, more = {}) => ({
  ref, by: who(by), at: 1_000, text, code: '', hidden: false, stands: false, keep: true, ...more,
});
const detail = {
  id: 'd1', code: 'D-AAAAAA', title: '同济医院 隔离衣', category: 'protective_equipment', district: '江汉区', status: 'collected',
  urgency: 'high', items: [], createdAt: 1, description: '', requesterOrg: '', address: '', source: '', imported: false,
  reviewNotes: '', flaggedOriginal: '', duplicateOf: '', tags: [], contacts: [], createdBy: who('Li'), updatedAt: 2, hidden: [],
  history: [], allowed: [], deliveries: [],
  conflicts: [{ action: 'edit', by: who('Bao'), at: 1_000, reason: 'concurrent', field: 'title', winner: who('Chen'), winnerAt: 1_000,
    winnerAction: 'edit', ref: 'cc/0/title', ackedAt: 0 }],
  concurrent: [
    { ref: 'cc/0/title', field: 'title', values: [value('cc/0', 'Bao', '同济医院 防护服 300 套'), value('dd/0', 'Chen', '同济医院 隔离衣', { stands: true })] },
    { ref: 'ee/0/sealed_contacts', field: 'contacts', values: [value('ee/0', 'Bao', '', { hidden: true, keep: false }), value('ff/0', 'Chen', '', { hidden: true, keep: false, stands: true })] },
  ],
} as unknown as Detail;

beforeAll(() => setupI18n('en'));
beforeEach(() => {
  vi.clearAllMocks();
  m.getDemand.mockResolvedValue(detail);
  m.keepValue.mockResolvedValue({ ...detail, concurrent: [] });
});
const until = <T>(fn: () => T) => vi.waitFor(fn, { timeout: 10_000 });

describe('DemandDetail concurrent edits', () => {
  it('shows both values of a field edited at once, keeps the one chosen, and hides what the member may not read', async () => {
    const { unmount } = render(DemandDetail, { id: 'd1', onclose: () => {} });
    await until(() => expect(screen.getByTestId('concurrent')).toBeTruthy());
    const rows = screen.getAllByTestId('concurrent-value').map((r) => r.textContent ?? '');
    expect(rows[0]).toContain('同济医院 防护服 300 套');
    expect(rows[0]).toContain('Bao');
    expect(rows[1]).toContain('Chen');
    expect(rows[1]).toContain('shown now');
    // the sealed contacts: no value, no keep button
    expect(rows[2]).toContain('restricted');
    expect(screen.getAllByTestId('concurrent-keep')).toHaveLength(2);
    // not in the box of steps that did not apply: both edits applied
    expect(screen.queryByTestId('conflicts')).toBeNull();

    await fireEvent.click(screen.getAllByTestId('concurrent-keep')[0]);
    await until(() => expect(m.keepValue).toHaveBeenCalledTimes(1));
    expect(m.keepValue.mock.lastCall).toEqual(['d1', 'cc/0/title', 'cc/0']);
    await until(() => expect(screen.queryByTestId('concurrent')).toBeNull());
    unmount();
  }, 60_000);
});
