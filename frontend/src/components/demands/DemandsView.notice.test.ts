import { describe, it, expect, vi, beforeAll } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import { locale } from 'svelte-i18n';
import { setupI18n } from '../../lib/i18n';

// issue 18: 已记录需求 D-… stayed in Chinese after switching to English (the notice was
// formatted once, when the demand was saved, and kept as a string)
const { storage, categories, on } = vi.hoisted(() => ({
  storage: vi.fn(async () => ({ recovering: '', diskFull: false, free: '', need: '', dir: '' })),
  categories: vi.fn(async () => []), on: vi.fn(() => () => {}),
}));
vi.mock('../../api', async () => {
  const events = await import('../../api/events');
  return { ...events, api: { storage, categories, on } };
});
vi.mock('../../stores/demands', async () => {
  const { writable } = await import('svelte/store');
  return { refresh: vi.fn(), following: writable(0) };
});
vi.mock('./DemandList.svelte', () => ({ default: () => {} }));
// the form saves a demand as soon as it opens
vi.mock('./DemandForm.svelte', () => ({ default: (_anchor: unknown, props: { onsaved?: (code: string) => void }) => { props.onsaved?.('D-000123'); } }));

import DemandsView from './DemandsView.svelte';

beforeAll(() => setupI18n('zh-CN'));

describe('DemandsView saved notice', () => {
  it('follows a change of language after it is shown', async () => {
    render(DemandsView, { canRecord: true });
    const b = screen.getByTestId('record-demand') as HTMLButtonElement;
    await vi.waitFor(() => expect(b.disabled).toBe(false));
    await fireEvent.click(b);
    const notice = await screen.findByRole('status');
    expect(notice.textContent).toBe('已记录需求 D-000123');
    await locale.set('en');
    await vi.waitFor(() => expect(screen.getByRole('status').textContent).toBe('Demand D-000123 recorded'));
    await locale.set('zh-CN');
    await vi.waitFor(() => expect(screen.getByRole('status').textContent).toBe('已记录需求 D-000123'));
  });
});
