import { describe, it, expect, vi, beforeAll, beforeEach } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';
import type { DemandDetail as Detail } from '../../api';

const m = vi.hoisted(() => ({
  getDemand: vi.fn(), act: vi.fn(), keepValue: vi.fn(), listDemands: vi.fn(), offerMatches: vi.fn(async () => []), tasksFor: vi.fn(async () => []),
  members: vi.fn(async () => []), matches: vi.fn(async () => []), on: vi.fn(() => () => {}),
  categories: vi.fn(async () => ['daily_necessities']), editDemand: vi.fn(), similar: vi.fn(async () => null),
}));
vi.mock('../../api', async () => {
  const errors = await import('../../api/errors');
  const events = await import('../../api/events');
  return { ...errors, ...events, api: m };
});

import DemandDetail from './DemandDetail.svelte';

const who = (name: string) => ({ id: `${name.toUpperCase()}KEYKEYKEY`, name });
// session 14's tester: the coordinator withdrew the demand while its owner, apart, edited the title;
// the fold keeps the edit (the title shows it), so the box must not say it did not apply
const closedEdit = { action: 'edit', by: who('Bing'), at: 2_000, reason: 'closed', field: 'title', winner: who('Jia'), winnerAt: 1_000,
  winnerAction: 'withdraw', ref: 'aa/0/title', ackedAt: 0 };
const detail = {
  id: 'd1', code: 'D-AAAAAA', title: '四中安置点需要药品（改为 200 盒）', category: 'daily_necessities', district: '江汉区', status: 'withdrawn',
  urgency: 'normal', items: [], createdAt: 1, description: '', requesterOrg: '', address: '', source: '', imported: false,
  reviewNotes: '', flaggedOriginal: '', duplicateOf: '', tags: [], contacts: [], createdBy: who('Jia'), updatedAt: 2, hidden: [],
  history: [], allowed: [], deliveries: [], concurrent: [], conflicts: [closedEdit],
} as unknown as Detail;

beforeAll(() => setupI18n('en'));
beforeEach(() => {
  vi.clearAllMocks();
  m.getDemand.mockResolvedValue(detail);
});
const until = <T>(fn: () => T) => vi.waitFor(fn, { timeout: 10_000 });

describe('DemandDetail edits made after the demand closed', () => {
  it('says they are kept and shown, not that they did not apply', async () => {
    const { unmount } = render(DemandDetail, { id: 'd1', onclose: () => {} });
    await until(() => expect(screen.getByTestId('conflicts')).toBeTruthy());
    const box = screen.getByTestId('conflicts').textContent ?? '';
    expect(box).not.toContain('did not apply');
    expect(box).toContain('1 edit was made after the demand closed');
    expect(box).toContain('the edit is kept and shown on the demand');
    unmount();
  }, 60_000);
  it('counts in the heading only the actions that did not apply, when there are some', async () => {
    const refused = { ...closedEdit, action: 'claim', reason: 'owned', field: '', winnerAction: 'claim', ref: 'bb/0' };
    m.getDemand.mockResolvedValue({ ...detail, conflicts: [closedEdit, refused] });
    const { unmount } = render(DemandDetail, { id: 'd1', onclose: () => {} });
    await until(() => expect(screen.getByTestId('conflicts')).toBeTruthy());
    const box = screen.getByTestId('conflicts').textContent ?? '';
    expect(box).toContain('1 action did not apply');
    expect(box).toContain('1 edit was made after the demand closed');
    unmount();
  }, 60_000);
});
