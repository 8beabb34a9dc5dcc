import { describe, it, expect, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { locale } from 'svelte-i18n';
import { setupI18n } from '../../lib/i18n';

// the node store's writable, made by the mock below; each test sets the node and the peers it shows
const { nodeView } = vi.hoisted(() => ({ nodeView: { set: (_: unknown, __: unknown[] = []) => {} } }));
vi.mock('../../stores/network', async () => {
  const { writable } = await import('svelte/store');
  const node = writable({ data: { node: null as unknown, peers: [] as unknown[] }, error: null, loading: false });
  nodeView.set = (n: unknown, peers: unknown[] = []) => node.set({ data: { node: n, peers }, error: null, loading: false });
  return {
    node,
    joinCode: writable({ data: null, error: null, loading: false }),
    bundleProgress: writable(null),
  };
});
vi.mock('../../api', async () => {
  const events = await import('../../api/events');
  const errors = await import('../../api/errors');
  return { ...events, ...errors, api: { on: vi.fn(() => () => {}), practiceInfo: vi.fn(() => new Promise(() => {})) } };
});

import NetworkView from './NetworkView.svelte';

// a real network's info without a network id: the node block shows, the deadlines panel does not
const info = { deviceId: 'd', dataDir: '/d', startupError: '', startupCode: '', startupArgs: {}, networkId: '', networkName: '',
  memberName: '', role: '', practice: false, practiceExists: true, revoked: false, revokedBy: { id: '', name: '' }, revokedAt: 0 };
const running = { running: true, error: '', peerId: '12D3Koo', addrs: ['/ip4/192.168.1.5/tcp/40123', '/ip4/192.168.1.5/udp/40123/quic-v1'] };

describe('NetworkView: the port a second node takes', () => {
  it('says in Chinese that 4717 was taken and which port this node listens on', async () => {
    nodeView.set({ ...running, takenPorts: ['tcp/4717', 'udp/4717'] });
    setupI18n('zh-CN');
    await locale.set('zh-CN');
    render(NetworkView, { info, onswitched: () => {} });
    const note = screen.getByTestId('port-taken').textContent ?? '';
    expect(note).toContain('常用端口 4717 已被这台电脑上的另一个程序');
    expect(note).toContain('本节点改用端口 40123');
  });
  it('says nothing when the node has its usual port', async () => {
    nodeView.set({ ...running, addrs: ['/ip4/192.168.1.5/tcp/4717'], takenPorts: [] });
    setupI18n('en');
    await locale.set('en');
    render(NetworkView, { info, onswitched: () => {} });
    expect(screen.queryByTestId('port-taken')).toBeNull();
  });
});

const peer = (lastExchange: number, inStepAt: number) => ({
  member: { id: 'abcdefgh1234', name: '江岸站' }, connected: true, kind: 'lan', known: true, weLack: 0, theyLack: 0,
  lastExchange, inStepAt, synced: true, syncing: false, applied: 0, expected: 0, lastError: '', ackSeq: 0, ackAt: 0, ownSeq: 0 });

// Peers in step exchange one round in ten (5 minutes in the app): "last
// exchange" alone made a live link look stale.
describe('NetworkView: a peer in step', () => {
  const t0 = Date.UTC(2026, 11, 7, 6, 0);
  it('says in Chinese when the peer was last found in step, after its last exchange', async () => {
    nodeView.set({ ...running, takenPorts: [] }, [peer(t0, t0 + 4 * 60_000)]);
    setupI18n('zh-CN');
    await locale.set('zh-CN');
    render(NetworkView, { info, onswitched: () => {} });
    expect(screen.getByTestId('peer-in-step').textContent).toContain('核对时仍一致');
  });
  it('says nothing more when the last exchange is the latest news', async () => {
    nodeView.set({ ...running, takenPorts: [] }, [peer(t0, 0)]);
    setupI18n('en');
    await locale.set('en');
    render(NetworkView, { info, onswitched: () => {} });
    expect(screen.getByText('江岸站')).toBeTruthy();
    expect(screen.queryByTestId('peer-in-step')).toBeNull();
  });
});
