// The network area: this device's network and role, the node and its peers,
// the reply-by deadlines, the clock check and the progress of a bundle import.
import {
  api, EVENT_BUNDLE_PROGRESS, EVENT_DEMANDS_CHANGED, EVENT_NETWORK_CHANGED, EVENT_SYNC_PROGRESS,
  type ClockView, type DeadlinesView, type StorageView, type Info, type JoinCodeView, type NodeView, type PeerView,
} from '../api';
import { derived } from 'svelte/store';
import { latest, resource } from './resource';

/** PEERS_EVERY_MS: connections come and go without store events, so the node is re-read this often. */
export const PEERS_EVERY_MS = 5000;
/** CLOCK_EVERY_MS: how often the clock check is re-read besides its events. */
export const CLOCK_EVERY_MS = 60_000;

/** info: this device, its network, member name and role (null before the first answer). */
export const info = resource<Info | null>(() => api.info(), [EVENT_NETWORK_CHANGED], { initial: null });

/** NodeState is the node and its peers, read together. */
export interface NodeState { node: NodeView | null; peers: PeerView[] }
/** node: the libp2p node and every known peer with its catch-up state. */
export const node = resource<NodeState>(
  async () => {
    const [n, peers] = await Promise.all([api.node(), api.peers()]);
    return { node: n, peers };
  },
  [EVENT_NETWORK_CHANGED, EVENT_DEMANDS_CHANGED, EVENT_SYNC_PROGRESS],
  { initial: { node: null, peers: [] }, every: PEERS_EVERY_MS },
);

/** deadlines: the network's reply-by windows (changed by coordinators; sync as network changes). */
export const deadlines = resource<DeadlinesView | null>(() => api.deadlines(), [EVENT_NETWORK_CHANGED], { initial: null });

/** clock: whether this computer's clock is behind the network's. */
export const clock = resource<ClockView | null>(
  () => api.clock(), [EVENT_SYNC_PROGRESS, EVENT_DEMANDS_CHANGED, EVENT_NETWORK_CHANGED], { initial: null, every: CLOCK_EVERY_MS },
);

/** STORAGE_EVERY_MS: how often the disk and own-feed state is re-read besides its events (space is freed without events). */
export const STORAGE_EVERY_MS = 10_000;

/** storage: whether writes wait for this device's own feed after an unclean stop, or the disk is full. */
export const storage = resource<StorageView | null>(
  () => api.storage(), [EVENT_SYNC_PROGRESS, EVENT_NETWORK_CHANGED, EVENT_BUNDLE_PROGRESS], { initial: null, every: STORAGE_EVERY_MS },
);

/**
 * writesWait: why this device cannot write now, as a locale key ('' when it can):
 * it waits for its own newest changes after an unclean stop, or the disk is full.
 * Record buttons are disabled with it as their title; the banner at the top says what to do.
 */
export const writesWait = derived(storage, ($s) =>
  $s.data?.recovering ? 'storage.writesWaitRecovering' : $s.data?.diskFull ? 'storage.writesWaitDiskFull' : '',
);

/** bundleProgress: the last progress of a bundle import (null before any). */
export const bundleProgress = latest(EVENT_BUNDLE_PROGRESS, null);

/** joinCode: the code (and its QR) that lets another device join this network; none in practice. */
export const joinCode = resource<JoinCodeView | null>(() => api.joinCode(), [EVENT_NETWORK_CHANGED], { initial: null });
