import { describe, it, expect, vi, beforeAll } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';

const { storage, categories, on } = vi.hoisted(() => ({
  storage: vi.fn(), categories: vi.fn(async () => []), on: vi.fn(() => () => {}),
}));
vi.mock('../../api', async () => {
  const events = await import('../../api/events');
  return { ...events, api: { storage, categories, on } };
});
vi.mock('../../stores/demands', async () => {
  const { writable } = await import('svelte/store');
  return { refresh: vi.fn(), following: writable(0) };
});
// the list and its drawer are not what this test looks at
vi.mock('./DemandList.svelte', () => ({ default: () => {} }));

import DemandsView from './DemandsView.svelte';
import { storage as storageStore } from '../../stores/network';
import type { StorageView } from '../../api';

const view = (v: Partial<StorageView>) =>
  ({ recovering: '', diskFull: false, free: '', need: '', dir: '', forkSeq: 0, forkSince: 0, repairedRecords: 0, repairedExamples: [], repairedMissing: 0, ...v }) as StorageView;

beforeAll(() => setupI18n('en'));

describe('DemandsView record button', () => {
  it('is disabled, and says why, while writes wait for this device\'s own changes', async () => {
    storage.mockResolvedValue({ recovering: 'unclean stop', diskFull: false, free: '', need: '', dir: '' });
    render(DemandsView, { canRecord: true });
    storageStore.set(view({ recovering: 'unclean stop' }));
    const b = screen.getByTestId('record-demand') as HTMLButtonElement;
    await vi.waitFor(() => expect(b.disabled).toBe(true));
    expect(b.title).toContain('own newest changes');
  });
  it('is disabled, and says why, while the disk is full', async () => {
    storage.mockResolvedValue({ recovering: '', diskFull: true, free: '1 MiB', need: '192 MiB', dir: '/d' });
    render(DemandsView, { canRecord: true });
    storageStore.set(view({ diskFull: true, free: '1 MiB', need: '192 MiB', dir: '/d' }));
    const b = screen.getAllByTestId('record-demand').at(-1) as HTMLButtonElement;
    await vi.waitFor(() => expect(b.title).toContain('disk'));
    expect(b.disabled).toBe(true);
  });
  it('is enabled when writes go on', async () => {
    storage.mockResolvedValue({ recovering: '', diskFull: false, free: '', need: '', dir: '' });
    render(DemandsView, { canRecord: true });
    storageStore.set(view({}));
    const b = screen.getAllByTestId('record-demand').at(-1) as HTMLButtonElement;
    await vi.waitFor(() => expect(b.disabled).toBe(false));
    expect(b.title).toBe('');
  });
});
