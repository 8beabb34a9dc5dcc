import { describe, it, expect, vi, beforeAll, beforeEach } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';

const { incidents, switchIncident, setBackgroundSync, removeIncident, addIncident, startPractice, on } = vi.hoisted(() => ({
  incidents: vi.fn(), switchIncident: vi.fn(), setBackgroundSync: vi.fn(), removeIncident: vi.fn(), addIncident: vi.fn(),
  startPractice: vi.fn(), on: vi.fn(() => () => {}),
}));
vi.mock('../../api', async () => {
  const events = await import('../../api/events');
  const errors = await import('../../api/errors');
  return { ...events, ...errors, api: { incidents, switchIncident, setBackgroundSync, removeIncident, addIncident, startPractice, on } };
});

import IncidentSwitcher from './IncidentSwitcher.svelte';

const info = {
  deviceId: 'dev-a', dataDir: '/data/rm', startupError: '', startupCode: '', startupArgs: {}, networkId: 'net-a', networkName: 'Flood A',
  memberName: 'Li', role: 'coordinator', practice: false, practiceExists: false, revoked: false, revokedBy: { id: '', name: '' }, revokedAt: 0,
  incident: 'main',
};
const inc = (over: object) => ({ id: '', name: '', dir: '', active: false, background: false, syncing: false, peers: 0, problem: null, ...over });
const list = {
  practice: false, backgroundMiB: 25, backgroundMaxMiB: 100,
  incidents: [
    inc({ id: 'main', name: 'Flood A', dir: '/data/rm', active: true, background: true }),
    inc({ id: 'b1', name: 'Quake B', dir: '/data/rm/incidents/b1', background: true, syncing: true, peers: 2 }),
    inc({ id: 'c2', name: 'Storm C', dir: '/data/rm/incidents/c2', background: true,
      problem: { code: 'locked', message: 'store locked', args: { reason: 'no_key', dir: '/data/rm/incidents/c2' } } }),
    inc({ id: 'd3', dir: '/data/rm/incidents/d3' }),
  ],
};

beforeAll(() => setupI18n('en'));
beforeEach(() => {
  vi.clearAllMocks();
  incidents.mockResolvedValue(list);
});

describe('IncidentSwitcher', () => {
  it('names the open incident and lists every incident with its background state, in words', async () => {
    render(IncidentSwitcher, { info, onswitched: () => {} });
    expect(screen.getByTestId('incident-current').textContent).toBe('Flood A');
    expect(screen.queryByTestId('incident-menu')).toBeNull();
    await fireEvent.click(screen.getByTestId('incident-switch'));
    await vi.waitFor(() => expect(screen.getAllByTestId('incident-item')).toHaveLength(4));
    const items = screen.getAllByTestId('incident-item');
    expect(items[0].textContent).toContain('open');
    expect(items[1].textContent).toContain('Syncing in the background · 2 peers connected');
    expect(items[2].textContent).toContain('Not syncing in the background: This computer\'s data is encrypted. Type its passphrase');
    expect(items[3].textContent).toContain('New incident (no network yet)');
    expect(screen.getByTestId('incident-menu').textContent).toContain('about 25 MB of memory (100 MB for a large incident)');
    // an empty incident may be removed; one with a network never
    expect(items[3].querySelector('[data-testid=incident-remove]')).not.toBeNull();
    expect(items[0].querySelector('[data-testid=incident-remove]')).toBeNull();
    expect(items[1].querySelector('[data-testid=incident-remove]')).toBeNull();
  });

  it('opens another incident in one click and hands its info on', async () => {
    const next = { ...info, networkId: 'net-b', networkName: 'Quake B', incident: 'b1' };
    switchIncident.mockResolvedValueOnce(next);
    const onswitched = vi.fn();
    render(IncidentSwitcher, { info, onswitched });
    await fireEvent.click(screen.getByTestId('incident-switch'));
    await vi.waitFor(() => expect(screen.getAllByTestId('incident-option')).toHaveLength(4));
    await fireEvent.click(screen.getAllByTestId('incident-option')[1]);
    await vi.waitFor(() => expect(onswitched).toHaveBeenCalledWith(next));
    expect(switchIncident).toHaveBeenCalledWith('b1');
    expect(screen.queryByTestId('incident-menu')).toBeNull();
  });

  it('sets the background setting of an incident', async () => {
    setBackgroundSync.mockResolvedValueOnce({ ...list, incidents: list.incidents.map((i) => (i.id === 'main' ? { ...i, background: false } : i)) });
    render(IncidentSwitcher, { info, onswitched: () => {} });
    await fireEvent.click(screen.getByTestId('incident-switch'));
    await vi.waitFor(() => expect(screen.getAllByTestId('incident-background')).toHaveLength(3));
    const box = screen.getAllByTestId('incident-background')[0] as HTMLInputElement;
    expect(box.checked).toBe(true);
    await fireEvent.click(box);
    await vi.waitFor(() => expect(setBackgroundSync).toHaveBeenCalledWith('main', false));
    await vi.waitFor(() => expect((screen.getAllByTestId('incident-background')[0] as HTMLInputElement).checked).toBe(false));
  });

  it('says why a switch failed', async () => {
    const { ApiError } = await import('../../api/errors');
    switchIncident.mockRejectedValueOnce(new ApiError('not_found', 'incident', 'no incident'));
    render(IncidentSwitcher, { info, onswitched: () => {} });
    await fireEvent.click(screen.getByTestId('incident-switch'));
    await vi.waitFor(() => expect(screen.getAllByTestId('incident-option')).toHaveLength(4));
    await fireEvent.click(screen.getAllByTestId('incident-option')[2]);
    await vi.waitFor(() => expect(screen.getByTestId('incident-menu').textContent).toContain('This record was not found.'));
  });
});
