import { describe, it, expect, vi, beforeAll } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';

const { storage, resumeWriting, recoverDamaged, unlock, setPassphrase, on } = vi.hoisted(() => ({
  storage: vi.fn(), resumeWriting: vi.fn(), recoverDamaged: vi.fn(), unlock: vi.fn(), setPassphrase: vi.fn(), on: vi.fn(() => () => {}),
}));
vi.mock('../../api', async () => {
  const events = await import('../../api/events');
  return { ...events, api: { storage, resumeWriting, recoverDamaged, unlock, setPassphrase, on } };
});

import StorageBanner from './StorageBanner.svelte';
import StartupError from './StartupError.svelte';

beforeAll(() => setupI18n('en'));

describe('StorageBanner', () => {
  it('says how much is free, how much is needed and where when the disk is full', async () => {
    storage.mockResolvedValueOnce({ recovering: '', diskFull: true, free: '12.0 MiB', need: '192.0 MiB', dir: '/data/rm' });
    render(StorageBanner);
    await vi.waitFor(() => expect(screen.getByTestId('disk-full').textContent).toContain('12.0 MiB free in /data/rm, 192.0 MiB needed'));
    expect(screen.queryByTestId('recovering')).toBeNull();
  });
  it('says the device waits for its own changes, and ends the wait when the person confirms', async () => {
    storage.mockResolvedValueOnce({ recovering: 'unclean stop', diskFull: false, free: '', need: '', dir: '' });
    resumeWriting.mockResolvedValueOnce({ recovering: '', diskFull: false, free: '', need: '', dir: '' });
    vi.stubGlobal('confirm', () => true);
    render(StorageBanner);
    await vi.waitFor(() => expect(screen.getByTestId('recovering').textContent).toContain('did not close cleanly'));
    await fireEvent.click(screen.getByRole('button'));
    await vi.waitFor(() => expect(screen.queryByTestId('recovering')).toBeNull());
    expect(resumeWriting).toHaveBeenCalledOnce();
    vi.unstubAllGlobals();
  });
  it('tells a device whose store was moved aside that only a peer (not a bundle) ends the wait', async () => {
    storage.mockResolvedValueOnce({ recovering: 'damaged store moved aside', diskFull: false, free: '', need: '', dir: '' });
    render(StorageBanner);
    await vi.waitFor(() => expect(screen.getByTestId('recovering').textContent).toContain('connect to another member'));
    expect(screen.getByTestId('recovering').textContent).not.toContain('did not close cleanly');
  });
  it('tells a device whose feed forked what it means and what to do', async () => {
    storage.mockResolvedValueOnce({ recovering: '', diskFull: false, free: '', need: '', dir: '', forkSeq: 17, forkSince: Date.UTC(2026, 11, 6, 9, 30) });
    render(StorageBanner);
    await vi.waitFor(() => expect(screen.getByTestId('own-fork').textContent).toContain('two different changes numbered 17'));
    expect(screen.getByTestId('own-fork').textContent).toContain('ask a coordinator to endorse a new device');
    expect(screen.getByTestId('own-fork').textContent).not.toContain('{since}');
  });
  it('says what the check at open repaired and what it fetches again', async () => {
    storage.mockResolvedValueOnce({ recovering: '', diskFull: false, free: '', need: '', dir: '', repairedRecords: 2, repairedExamples: ['demand/a', 'demand/b'], repairedMissing: 1 });
    render(StorageBanner);
    await vi.waitFor(() => expect(screen.getByTestId('repaired').textContent).toContain('2 records on this device did not match'));
    expect(screen.getByTestId('repaired').textContent).toContain('demand/a, demand/b');
    expect(screen.getByTestId('repaired').textContent).toContain('1 change was missing or damaged');
  });
  it('says nothing when the disk has room and nothing waits', async () => {
    storage.mockResolvedValueOnce({ recovering: '', diskFull: false, free: '', need: '', dir: '' });
    render(StorageBanner);
    await vi.waitFor(() => expect(storage).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId('disk-full')).toBeNull();
    expect(screen.queryByTestId('recovering')).toBeNull();
    expect(screen.queryByTestId('own-fork')).toBeNull();
  });
});

describe('StartupError', () => {
  const base = { deviceId: '', dataDir: '/data/rm', startupError: 'store damaged: /data/rm/db (manifest): …', networkId: '', networkName: '',
    memberName: '', role: '', practice: false, practiceExists: false, revoked: false, revokedBy: { id: '', name: '' }, revokedAt: 0 };
  it('says the store is damaged and moves it aside on request', async () => {
    const next = { ...base, startupError: '', startupCode: '', startupArgs: {}, deviceId: 'abc' };
    recoverDamaged.mockResolvedValueOnce(next);
    const onrecovered = vi.fn();
    render(StartupError, { info: { ...base, startupCode: 'damaged', startupArgs: { dir: '/data/rm/db', what: 'manifest' } }, onrecovered });
    expect(screen.getByTestId('startup-damaged').textContent).toContain('The data in /data/rm/db is damaged or missing');
    await fireEvent.click(screen.getByTestId('recover-damaged'));
    await vi.waitFor(() => expect(onrecovered).toHaveBeenCalledWith(next));
  });
  it('shows any other start-up error as it was', () => {
    render(StartupError, { info: { ...base, startupError: 'not a directory', startupCode: 'storage', startupArgs: {} } });
    expect(screen.queryByTestId('recover-damaged')).toBeNull();
    expect(screen.getByTestId('startup-error').textContent).toContain('not a directory');
  });
  it('asks for the passphrase of a locked store, says a wrong one and opens with the right one', async () => {
    const next = { ...base, startupError: '', startupCode: '', startupArgs: {}, deviceId: 'abc', networkId: 'n1' };
    unlock.mockRejectedValueOnce(JSON.stringify({ code: 'locked', field: 'passphrase', message: 'store locked: wrong', args: { reason: 'wrong_key', source: 'passphrase' } }));
    unlock.mockResolvedValueOnce(next);
    const onrecovered = vi.fn();
    render(StartupError, { info: { ...base, startupError: 'store locked: /data/rm is encrypted at rest', startupCode: 'locked', startupArgs: { reason: 'no_key', source: 'passphrase', dir: '/data/rm' } }, onrecovered });
    expect(screen.getByTestId('startup-locked').textContent).toContain('Type its passphrase');
    expect(screen.queryByTestId('passphrase-confirm')).toBeNull();
    await fireEvent.input(screen.getByTestId('passphrase'), { target: { value: 'not it' } });
    await fireEvent.click(screen.getByTestId('unlock'));
    await vi.waitFor(() => expect(screen.getByTestId('unlock-error').textContent).toContain('Wrong passphrase'));
    expect(onrecovered).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByTestId('passphrase'), { target: { value: 'the right one' } });
    await fireEvent.click(screen.getByTestId('unlock'));
    await vi.waitFor(() => expect(onrecovered).toHaveBeenCalledWith(next));
    expect(unlock).toHaveBeenLastCalledWith('the right one');
  });
  it('without a keyring asks for a new passphrase twice and says why', async () => {
    const next = { ...base, startupError: '', startupCode: '', startupArgs: {}, deviceId: 'abc' };
    setPassphrase.mockResolvedValueOnce(next);
    const onrecovered = vi.fn();
    render(StartupError, { info: { ...base, startupError: 'store locked', startupCode: 'locked', startupArgs: { reason: 'new_passphrase', source: '', dir: '/data/rm', detail: 'dbus-launch not found' } }, onrecovered });
    // the keyring's own (English, technical) words under Details, not in the sentence
    expect(screen.getByTestId('startup-locked').textContent).not.toContain('dbus-launch not found');
    expect(screen.getByTestId('startup-details').textContent).toContain('dbus-launch not found');
    await fireEvent.input(screen.getByTestId('passphrase'), { target: { value: 'long passphrase' } });
    await fireEvent.input(screen.getByTestId('passphrase-confirm'), { target: { value: 'long passphrase!' } });
    await fireEvent.click(screen.getByTestId('unlock'));
    await vi.waitFor(() => expect(screen.getByTestId('unlock-error').textContent).toContain('differ'));
    expect(setPassphrase).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByTestId('passphrase'), { target: { value: 'long passphrase!' } });
    await fireEvent.input(screen.getByTestId('passphrase-confirm'), { target: { value: 'long passphrase!' } });
    await fireEvent.click(screen.getByTestId('unlock'));
    await vi.waitFor(() => expect(onrecovered).toHaveBeenCalledWith(next));
    expect(setPassphrase).toHaveBeenCalledWith('long passphrase!');
  });
});
