import { describe, it, expect, vi, beforeAll, beforeEach } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';

const { atRest, encryptStore } = vi.hoisted(() => ({ atRest: vi.fn(), encryptStore: vi.fn() }));
vi.mock('../../api', async () => {
  const errors = await import('../../api/errors');
  return { ...errors, api: { atRest, encryptStore } };
});

import AtRestPanel from './AtRestPanel.svelte';

beforeAll(() => setupI18n('en'));
beforeEach(() => {
  atRest.mockReset();
  encryptStore.mockReset();
});

describe('AtRestPanel', () => {
  it('says a plaintext store can be read from the disk and encrypts it with the keyring', async () => {
    atRest.mockResolvedValueOnce({ encrypted: false, source: '', keyring: true, practice: false });
    encryptStore.mockResolvedValueOnce({ atRest: { encrypted: true, source: 'keyring', keyring: true, practice: false }, keys: 1234, millis: 2500 });
    render(AtRestPanel);
    await vi.waitFor(() => expect(screen.getByTestId('at-rest-plain').textContent).toContain('phone numbers'));
    expect(screen.queryByTestId('encrypt-passphrase')).toBeNull();
    await fireEvent.click(screen.getByTestId('encrypt-store'));
    await vi.waitFor(() => expect(screen.getByTestId('at-rest-done').textContent).toContain('1,234 records copied in 2.5 s'));
    expect(encryptStore).toHaveBeenCalledWith('');
    expect(screen.getByTestId('at-rest-encrypted').textContent).toContain('system keyring');
  });
  it('without a keyring asks for a passphrase twice and tells a refusal', async () => {
    atRest.mockResolvedValueOnce({ encrypted: false, source: '', keyring: false, practice: false });
    encryptStore.mockRejectedValueOnce(JSON.stringify({ code: 'invalid', field: 'passphrase', message: 'short', args: { reason: 'passphrase_short', min: '8' } }));
    render(AtRestPanel);
    await vi.waitFor(() => screen.getByTestId('encrypt-passphrase'));
    await fireEvent.input(screen.getByTestId('encrypt-passphrase'), { target: { value: 'short' } });
    await fireEvent.input(screen.getByTestId('encrypt-confirm'), { target: { value: 'shorT' } });
    await fireEvent.click(screen.getByTestId('encrypt-store'));
    await vi.waitFor(() => expect(screen.getByTestId('at-rest-error').textContent).toContain('differ'));
    expect(encryptStore).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByTestId('encrypt-passphrase'), { target: { value: 'short' } });
    await fireEvent.input(screen.getByTestId('encrypt-confirm'), { target: { value: 'short' } });
    await fireEvent.click(screen.getByTestId('encrypt-store'));
    await vi.waitFor(() => expect(screen.getByTestId('at-rest-error').textContent).toContain('at least 8 characters'));
    expect(encryptStore).toHaveBeenCalledWith('short');
  });
  it('shows nothing for the practice network', async () => {
    atRest.mockResolvedValueOnce({ encrypted: false, source: '', keyring: true, practice: true });
    render(AtRestPanel);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId('at-rest')).toBeNull();
  });
});
