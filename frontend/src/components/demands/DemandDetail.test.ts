import { describe, it, expect, vi, beforeAll, beforeEach } from 'vitest';
import { render, fireEvent, screen } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';
import type { DemandDetail as Detail } from '../../api';

const m = vi.hoisted(() => ({
  getDemand: vi.fn(), act: vi.fn(), listDemands: vi.fn(), offerMatches: vi.fn(async () => []), tasksFor: vi.fn(async () => []),
  members: vi.fn(async () => []), matches: vi.fn(async () => []), on: vi.fn(() => () => {}),
  categories: vi.fn(async () => ['protective_equipment']), editDemand: vi.fn(), similar: vi.fn(async () => null),
  info: vi.fn(async () => ({ deviceId: 'LIKEYKEYKEY', role: 'coordinator' })),
  eraseDemand: vi.fn(),
}));
vi.mock('../../api', async () => {
  const errors = await import('../../api/errors');
  const events = await import('../../api/events');
  return { ...errors, ...events, api: m };
});

import DemandDetail from './DemandDetail.svelte';

const who = (name: string) => ({ id: `${name.toUpperCase()}KEYKEYKEY`, name });
const delivery = (ref: string, by: string, quantity: number, state: string) => ({
  ref, action: 'deliver', by: who(by), at: 1_000, items: [{ item: 'N95', quantity }], note: '', state,
  reason: state === 'pending' ? 'not_owner' : '', decidedAt: 0,
});
const detail = {
  id: 'd1', code: 'D-AAAAAA', title: '协和医院 N95', category: 'protective_equipment', district: '江汉区', status: 'in_progress',
  urgency: 'high', items: [{ name: 'N95', unit: '只', needed: 500, received: 300 }], createdAt: 1, description: '', requesterOrg: '',
  address: '', source: '', imported: false, reviewNotes: '', flaggedOriginal: '', duplicateOf: '', tags: [], contacts: [],
  owner: who('Chen'), createdBy: who('Li'), updatedAt: 2, hidden: [], history: [],
  conflicts: [{ action: 'fulfil', by: who('Bao'), at: 900, reason: 'not_owner', field: '', winner: who('Li'), winnerAt: 800,
    winnerAction: 'handover', ref: 'ff/0', ackedAt: 0 }],
  allowed: ['handover', 'release', 'progress', 'fulfil', 'withdraw', 'deliver', 'adjust', 'accept_delivery', 'decline_delivery'],
  deliveries: [delivery('aa/0', 'Chen', 300, 'counted'), delivery('bb/0', 'Bao', 20, 'pending')],
} as unknown as Detail;

beforeAll(() => setupI18n('en'));
beforeEach(() => {
  vi.clearAllMocks();
  m.getDemand.mockResolvedValue(detail);
  m.act.mockResolvedValue(detail);
});
const until = <T>(fn: () => T) => vi.waitFor(fn, { timeout: 10_000 });

describe('DemandDetail deliveries', () => {
  it('lists deliveries, records one without the running total, and decides a pending one by its ref', async () => {
    const { unmount } = render(DemandDetail, { id: 'd1', onclose: () => {} });
    await until(() => expect(screen.getByTestId('deliveries')).toBeTruthy());
    expect(screen.getByTestId('delivery-counted').textContent).toContain('N95 300');
    expect(screen.getByTestId('delivery-pending').textContent).toContain('Bao');
    // the running-total progress and the per-delivery decisions are not in the action bar
    expect(screen.queryByTestId('action-progress')).toBeNull();
    expect(screen.queryByTestId('action-accept_delivery')).toBeNull();

    await fireEvent.click(screen.getByTestId('action-deliver'));
    const qty = screen.getByTestId('action-form').querySelector('input[name="received[0].quantity"]') as HTMLInputElement;
    expect(qty.value).toBe(''); // this delivery, not the 300 received so far
    await fireEvent.input(qty, { target: { value: '20' } });
    await fireEvent.click(screen.getByTestId('action-confirm'));
    await until(() => expect(m.act).toHaveBeenCalledTimes(1));
    expect(m.act.mock.lastCall?.[0]).toMatchObject({ id: 'd1', action: 'deliver', received: [{ item: 'N95', quantity: '20' }] });

    await fireEvent.click(screen.getByTestId('delivery-accept'));
    await until(() => expect(m.act).toHaveBeenCalledTimes(2));
    expect(m.act.mock.lastCall?.[0]).toMatchObject({ action: 'accept_delivery', ref: 'bb/0' });

    await fireEvent.click(screen.getByTestId('conflict-ack'));
    await until(() => expect(m.act).toHaveBeenCalledTimes(3));
    expect(m.act.mock.lastCall?.[0]).toMatchObject({ action: 'ack_conflict', ref: 'ff/0' });
    unmount();
  }, 60_000);

  it('asks a reason for a correction before it can be sent', async () => {
    const { unmount } = render(DemandDetail, { id: 'd1', onclose: () => {} });
    await until(() => expect(screen.getByTestId('action-adjust')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('action-adjust'));
    expect((screen.getByTestId('action-confirm') as HTMLButtonElement).disabled).toBe(true);
    const note = screen.getByTestId('action-form').querySelector('input[name="note"]') as HTMLInputElement;
    await fireEvent.input(note, { target: { value: '20 damaged' } });
    expect((screen.getByTestId('action-confirm') as HTMLButtonElement).disabled).toBe(false);
    unmount();
  }, 60_000);
});

describe('DemandDetail edit', () => {
  it('shows the edit button only when the member may edit, opens the form filled, and shows the saved demand', async () => {
    m.getDemand.mockResolvedValue({ ...detail, editable: false });
    const first = render(DemandDetail, { id: 'd1', onclose: () => {} });
    await until(() => expect(screen.getByTestId('detail-status')).toBeTruthy());
    expect(screen.queryByTestId('edit-demand')).toBeNull();
    first.unmount();

    m.getDemand.mockResolvedValue({ ...detail, editable: true });
    m.editDemand.mockResolvedValue({ ...detail, editable: true, title: '协和医院 N95 口罩' });
    const { unmount } = render(DemandDetail, { id: 'd1', onclose: () => {} });
    await until(() => expect(screen.getByTestId('edit-demand')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('edit-demand'));
    await until(() => expect(screen.getByTestId('demand-form')).toBeTruthy());
    const title = screen.getByTestId('demand-form').querySelector('[name="title"]') as HTMLInputElement;
    expect(title.value).toBe('协和医院 N95');
    await fireEvent.input(title, { target: { value: '协和医院 N95 口罩' } });
    await fireEvent.click(screen.getByTestId('save-demand'));
    await until(() => expect(screen.getByTestId('demand-edited').textContent).toBe('Demand D-AAAAAA updated'));
    expect(m.editDemand.mock.lastCall?.[0]).toBe('d1');
    expect(m.editDemand.mock.lastCall?.[1]).toMatchObject({ title: '协和医院 N95 口罩' });
    expect(screen.queryByTestId('demand-form')).toBeNull();
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('协和医院 N95 口罩');
    expect(screen.queryByTestId('detail-position')).toBeNull();
    m.editDemand.mockResolvedValue({ ...detail, editable: true, position: { lat: 31.17, lon: 112.59 } });
    await fireEvent.click(screen.getByTestId('edit-demand'));
    await until(() => expect(screen.getByTestId('demand-form')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('save-demand'));
    await until(() => expect(screen.getByTestId('detail-position').textContent).toBe('latitude 31.17, longitude 112.59'));
    unmount();
  }, 60_000);
});

describe('DemandDetail sealed values', () => {
  it('says a sealed value is sealed, for whom, and a merely hidden one is hidden', async () => {
    m.getDemand.mockResolvedValue({ ...detail, hidden: [
      { field: 'contacts', level: 'restricted', reason: 'sealed: for reviewers, coordinators and the owner', sealed: true },
      { field: 'address', level: 'team', reason: 'visible to team members only', sealed: false },
    ] });
    const { unmount } = render(DemandDetail, { id: 'd1', onclose: () => {} });
    await until(() => expect(screen.getByTestId('detail-contacts')).toBeTruthy());
    expect(screen.getByTestId('detail-contacts').textContent).toContain('Sealed: for reviewers, coordinators and the owner');
    expect(screen.getAllByTestId('detail-sealed')).toHaveLength(1);
    expect(document.body.textContent).toContain('Hidden: visible to');
    unmount();
  }, 60_000);
});

describe('DemandDetail sealed position', () => {
  it('says the exact position is sealed and where the map places it, and shows an opened one', async () => {
    m.getDemand.mockResolvedValue({ ...detail, position: undefined, hidden: [
      { field: 'position', level: 'restricted', reason: 'sealed: for reviewers, coordinators and the owner', sealed: true },
    ] });
    let r = render(DemandDetail, { id: 'd1', onclose: () => {} });
    await until(() => expect(screen.getByTestId('detail-position-sealed')).toBeTruthy());
    expect(screen.getByTestId('detail-position-sealed').textContent).toBe("Exact position sealed: for reviewers, coordinators and the owner; the map places it at its county's centre");
    expect(screen.queryByTestId('detail-position')).toBeNull();
    r.unmount();
    m.getDemand.mockResolvedValue({ ...detail, position: { lat: 30.58, lon: 114.27 }, hidden: [] });
    r = render(DemandDetail, { id: 'd1', onclose: () => {} });
    await until(() => expect(screen.getByTestId('detail-position')).toBeTruthy());
    expect(screen.queryByTestId('detail-position-sealed')).toBeNull();
    r.unmount();
  }, 60_000);
});

describe('DemandDetail erasure', () => {
  it('says who erased the personal data, when and why', async () => {
    m.getDemand.mockResolvedValue({ ...detail, erased: { by: who('Li'), at: 1_600_000_000_000, reason: 'requester asked' } });
    const { unmount } = render(DemandDetail, { id: 'd1', onclose: () => {} });
    await until(() => expect(screen.getByTestId('detail-erased')).toBeTruthy());
    const text = screen.getByTestId('detail-erased').textContent ?? '';
    expect(text).toContain('Personal data erased on');
    expect(text).toContain('by Li: requester asked');
    expect(screen.queryByTestId('erase-demand')).toBeNull(); // not erasable: no button
    unmount();
  }, 60_000);

  it('lets a coordinator erase after confirming with a reason', async () => {
    const contacts = [{ name: 'Zhang', phone: '+8613912345678', role: '', kind: '' }];
    m.getDemand.mockResolvedValue({ ...detail, contacts, erasable: true });
    m.eraseDemand.mockResolvedValue({ ...detail, contacts: [], erasable: false, erased: { by: who('Li'), at: 1_600_000_000_000, reason: 'requester asked' } });
    const { unmount } = render(DemandDetail, { id: 'd1', onclose: () => {} });
    await until(() => expect(screen.getByTestId('erase-demand')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('erase-demand'));
    expect(screen.getByTestId('erase-hint').textContent).toContain('cannot be undone');
    const confirm = screen.getByTestId('action-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true); // no reason yet
    const reason = screen.getByTestId('action-form').querySelector('input[name="note"]') as HTMLInputElement;
    await fireEvent.input(reason, { target: { value: 'requester asked' } });
    expect(confirm.disabled).toBe(false);
    await fireEvent.click(confirm);
    await until(() => expect(m.eraseDemand).toHaveBeenCalledWith('d1', 'requester asked'));
    expect(m.act).not.toHaveBeenCalled();
    await until(() => expect(screen.getByTestId('detail-erased')).toBeTruthy());
    expect(screen.queryByTestId('erase-demand')).toBeNull();
    unmount();
  }, 60_000);
});

describe('DemandDetail conflict acknowledgement', () => {
  // Found end to end (frontend/e2e/conflicts.test.mjs): a volunteer who owns
  // the demand was offered "Got it" on a former owner's refused delivery; the
  // desk refuses it (only the conflict's author or a coordinator may), so the
  // button could only end in "not allowed".
  it('offers the acknowledgement only to the conflict\'s author and to coordinators', async () => {
    for (const [viewer, offered] of [
      [{ deviceId: 'CHENKEYKEYKEY', role: 'volunteer' }, false], // the owner, not the author
      [{ deviceId: 'BAOKEYKEYKEY', role: 'volunteer' }, true], // the author
      [{ deviceId: 'LIKEYKEYKEY', role: 'coordinator' }, true],
    ] as const) {
      m.info.mockResolvedValue({ ...viewer });
      const { unmount } = render(DemandDetail, { id: 'd1', onclose: () => {} });
      await until(() => expect(screen.getByTestId('conflict-line').textContent).toContain('Bao'));
      await until(() => expect(screen.queryByTestId('conflict-ack') !== null).toBe(offered));
      await new Promise((r) => setTimeout(r, 100)); // the viewer is read once: no late change
      expect(screen.queryByTestId('conflict-ack') !== null, `ack offered to ${viewer.deviceId} (${viewer.role})`).toBe(offered);
      unmount();
    }
  }, 60_000);

  // a tester found no field edit in the signed history: the owner could not see who changed the quantity needed
  it('shows field edits in the signed history, by their field names', async () => {
    m.getDemand.mockResolvedValue({ ...detail, history: [
      { action: 'edit', by: who('Wang'), at: 5, seq: 7, change: 'c7', note: '', to: null, duplicateOf: '', received: [], outcome: '', until: 0, evidence: null, partner: '', fields: ['items', 'urgency'] },
    ] });
    const { unmount } = render(DemandDetail, { id: 'd1', onclose: () => {} });
    await until(() => expect(screen.getByTestId('history-edit-fields').textContent).toMatch(/items.*urgency/i));
    expect(screen.getByTestId('history').textContent).toContain('Wang');
    expect(screen.getByTestId('history').textContent).not.toContain('editConflict');
    unmount();
  }, 60_000);

  // a tester's revoked member stayed owner with no mark
  it('says when the owner has been revoked', async () => {
    m.getDemand.mockResolvedValue({ ...detail, ownerRevoked: true });
    const { unmount } = render(DemandDetail, { id: 'd1', onclose: () => {} });
    await until(() => expect(screen.getByTestId('detail-owner-revoked').textContent).toContain('hand this demand over'));
    unmount();
    m.getDemand.mockResolvedValue({ ...detail, ownerRevoked: false });
    const again = render(DemandDetail, { id: 'd1', onclose: () => {} });
    await until(() => screen.getByTestId('detail-owner'));
    expect(screen.queryByTestId('detail-owner-revoked')).toBeNull();
    again.unmount();
  }, 60_000);
});
