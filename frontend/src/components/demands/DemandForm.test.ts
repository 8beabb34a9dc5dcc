import { describe, it, expect, vi, beforeAll } from 'vitest';
import { render, fireEvent, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { setupI18n } from '../../lib/i18n';

const { recordDemand } = vi.hoisted(() => ({ recordDemand: vi.fn() }));
vi.mock('../../api', async () => {
  const errors = await import('../../api/errors');
  return { ...errors, api: { recordDemand } };
});

import DemandForm from './DemandForm.svelte';
import { ApiError } from '../../api/errors';

beforeAll(() => setupI18n('en'));

describe('DemandForm', () => {
  it('shows the backend error next to the field it names and focuses it', async () => {
    recordDemand.mockRejectedValueOnce(new ApiError('negative', 'items[0].quantity', 'below zero'));
    const onsaved = vi.fn();
    render(DemandForm, { categories: ['food_water'], onsaved, oncancel: () => {} });
    await fireEvent.input(screen.getByPlaceholderText('Quantity'), { target: { value: '-1' } });
    await fireEvent.click(screen.getByTestId('save-demand'));
    await vi.waitFor(() => expect(screen.getByTestId('form-error').textContent).toBe('The quantity of item 1 cannot be below 0.'));
    await tick();
    const qty = screen.getByPlaceholderText('Quantity');
    expect(qty.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(qty);
    expect(onsaved).not.toHaveBeenCalled();
  });

  it('sends every item line and reports the saved code', async () => {
    recordDemand.mockResolvedValueOnce({ code: 'D-ABCDEF' });
    const onsaved = vi.fn();
    render(DemandForm, { categories: ['food_water'], onsaved, oncancel: () => {} });
    await fireEvent.input(screen.getByPlaceholderText('e.g. Union Hospital urgently needs N95 masks'), { target: { value: 'Water' } });
    await fireEvent.click(screen.getByText('+ Add item'));
    const names = screen.getAllByPlaceholderText('Item');
    expect(names).toHaveLength(2);
    await fireEvent.input(names[1], { target: { value: 'Bottled water' } });
    await fireEvent.click(screen.getByTestId('save-demand'));
    await vi.waitFor(() => expect(onsaved).toHaveBeenCalledWith('D-ABCDEF'));
    const sent = recordDemand.mock.calls.at(-1)![0];
    expect(sent.title).toBe('Water');
    expect(sent.items.map((i: { name: string }) => i.name)).toEqual(['', 'Bottled water']);
  });
});
