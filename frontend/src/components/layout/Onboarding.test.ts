import { describe, it, expect, vi, beforeAll } from 'vitest';
import { render, fireEvent, screen } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';

const m = vi.hoisted(() => ({ join: vi.fn(), createNetwork: vi.fn(), decodeImage: vi.fn() }));
vi.mock('../../api', async () => {
  const errors = await import('../../api/errors');
  return { ...errors, api: { join: m.join, createNetwork: m.createNetwork } };
});
vi.mock('../../lib/qr', () => ({ decodeImage: m.decodeImage, decodeFrame: vi.fn() }));

import Onboarding from './Onboarding.svelte';

beforeAll(() => setupI18n('en'));

function pick(input: HTMLInputElement, name: string) {
  Object.defineProperty(input, 'files', { value: [new File(['x'], name)], configurable: true });
  return fireEvent.change(input);
}

describe('Onboarding QR scan', () => {
  it('a failed scan after a good one takes back the "read from the QR code" note', async () => {
    m.decodeImage.mockResolvedValueOnce('RMJ1-abc').mockRejectedValueOnce(new Error('bad-image'));
    render(Onboarding, { info: {} as never, oncreated: vi.fn() });
    await fireEvent.click(screen.getByTestId('join-tab'));
    const file = screen.getByTestId('qr-file') as HTMLInputElement;
    await pick(file, 'code.png');
    await vi.waitFor(() => expect(screen.getByTestId('qr-scanned')).toBeTruthy());
    await pick(file, 'notes.txt');
    await vi.waitFor(() => expect(screen.getByTestId('qr-error').textContent).toContain('not a picture'));
    expect(screen.queryByTestId('qr-scanned')).toBeNull();
  });
});
