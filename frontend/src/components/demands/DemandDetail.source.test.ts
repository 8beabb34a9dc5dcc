import { describe, it, expect, vi, beforeAll } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';
import type { DemandDetail } from '../../api';

// The demand the detail shows, through a stub of its store; the panels
// beside it (tasks, matching offers) are stubbed out.
const m = vi.hoisted(() => ({ detail: null as unknown }));
vi.mock('../../stores/demands', async () => {
  const { readable } = await import('svelte/store');
  return {
    demandDetail: () => readable({ data: m.detail, error: null, loading: false }),
    refresh: vi.fn(async () => {}),
  };
});
vi.mock('../../stores/volunteers', async () => {
  const { readable } = await import('svelte/store');
  return { members: readable({ data: [], error: null, loading: false }) };
});
vi.mock('./TasksPanel.svelte', () => ({ default: () => {} }));
vi.mock('./OfferMatches.svelte', () => ({ default: () => {} }));

import DemandDetailView from './DemandDetail.svelte';

function demand(over: Partial<DemandDetail> = {}): DemandDetail {
  return {
    id: 'd1', code: 'D-AAAAAA', title: '钟祥市人民医院', category: 'medical_supplies', district: '钟祥市', status: 'collected',
    urgency: 'normal', items: [{ name: '防护服', spec: '', unit: '', needed: 10000, received: 0 }], createdAt: 0,
    description: '', requesterOrg: '钟祥市人民医院', address: '', source: 'import:abc:def', imported: true, reviewNotes: '',
    flaggedOriginal: '', duplicateOf: '', tags: ['check_quantities'], contacts: [], owner: null,
    createdBy: { id: 'k', name: '' }, updatedAt: 0, hidden: [], history: [], conflicts: [], allowed: [],
    deliveries: [], transfer: null, followUpSince: 0, confirmed: 0,
    sourceFields: [{ column: '目前处理进度', value: '缺少：防护服1万' }, { column: 'I', value: '已配送' }],
    ...over,
  } as DemandDetail;
}

beforeAll(() => setupI18n('en'));

describe('DemandDetail', () => {
  it('shows the other columns of the source and asks to check quantities read from text', async () => {
    m.detail = demand();
    render(DemandDetailView, { id: 'd1', onclose: () => {} });
    const section = await screen.findByTestId('detail-source-fields');
    expect(section.textContent).toContain('Other columns of the source');
    expect(section.textContent).toContain('目前处理进度');
    expect(section.textContent).toContain('缺少：防护服1万');
    expect(section.textContent).toContain('已配送');
    expect(screen.getByTestId('detail-check-quantities').textContent).toContain('read at import from a text column');
  });

  it('says the source fields are hidden below team level, and shows no section without them', async () => {
    m.detail = demand({ sourceFields: [], tags: [], hidden: [{ field: 'source_fields', level: 'team', reason: 'team', sealed: false }] });
    const { unmount } = render(DemandDetailView, { id: 'd1', onclose: () => {} });
    expect((await screen.findByTestId('detail-source-fields')).textContent).toContain('team');
    expect(screen.queryByTestId('detail-check-quantities')).toBeNull();
    unmount();
    m.detail = demand({ sourceFields: [], tags: [] });
    render(DemandDetailView, { id: 'd1', onclose: () => {} });
    await screen.findByTestId('demand-detail');
    expect(screen.queryByTestId('detail-source-fields')).toBeNull();
  });
});
