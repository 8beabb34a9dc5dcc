import { describe, it, expect, vi } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import { locale } from 'svelte-i18n';
import { setupI18n } from '../../lib/i18n';

vi.mock('../../stores/network', async () => {
  const { writable } = await import('svelte/store');
  return {
    node: writable({ data: { node: null, peers: [] }, error: null, loading: false }),
    joinCode: writable({ data: null, error: null, loading: false }),
    bundleProgress: writable(null),
  };
});
const result = { path: '/media/usb/甲.rmbundle', changes: 23, applied: 0, held: 0, refused: {}, undone: [], canceled: false };
const { calls } = vi.hoisted(() => ({ calls: { exportBundle: vi.fn(), importBundle: vi.fn() } }));
vi.mock('../../api', async () => {
  const events = await import('../../api/events');
  const errors = await import('../../api/errors');
  return { ...events, ...errors, api: { on: vi.fn(() => () => {}), practiceInfo: vi.fn(() => new Promise(() => {})), ...calls } };
});

import NetworkView from './NetworkView.svelte';

const info = { deviceId: 'd', dataDir: '/d', startupError: '', startupCode: '', startupArgs: {}, networkId: '', networkName: '',
  memberName: '', role: '', practice: false, practiceExists: true, revoked: false, revokedBy: { id: '', name: '' }, revokedAt: 0 };

// a tester read "共 23 条，新增 0 条" after an export: an export applies nothing
describe('NetworkView: a bundle result', () => {
  it('says an export wrote its changes, without "new"', async () => {
    calls.exportBundle.mockResolvedValue(result);
    setupI18n('zh-CN');
    await locale.set('zh-CN');
    render(NetworkView, { info, onswitched: () => {} });
    await fireEvent.click(screen.getByTestId('bundle-export'));
    const text = (await screen.findByTestId('bundle-result')).textContent ?? '';
    expect(text).toContain('已导出到 /media/usb/甲.rmbundle：共 23 条更改');
    expect(text).not.toContain('新增');
  });
  it('says how many of an import were new', async () => {
    calls.importBundle.mockResolvedValue({ ...result, applied: 5 });
    setupI18n('en');
    await locale.set('en');
    render(NetworkView, { info, onswitched: () => {} });
    await fireEvent.click(screen.getByTestId('bundle-import'));
    expect((await screen.findByTestId('bundle-result')).textContent).toContain('23 changes, 5 new');
  });
});
