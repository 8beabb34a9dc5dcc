import { describe, it, expect, vi, beforeAll, beforeEach } from 'vitest';
import { render, fireEvent, screen } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';
import type { DemandDetail } from '../../api';

const { recordDemand, editDemand, parseMessage, similar } = vi.hoisted(() => ({
  recordDemand: vi.fn(), editDemand: vi.fn(), parseMessage: vi.fn(), similar: vi.fn().mockResolvedValue(null),
}));
vi.mock('../../api', async () => {
  const errors = await import('../../api/errors');
  return { ...errors, api: { recordDemand, editDemand, parseMessage, similar } };
});

import DemandForm from './DemandForm.svelte';

beforeAll(() => setupI18n('en'));
beforeEach(() => vi.clearAllMocks());

const demand = {
  id: 'd1', code: 'D-AAAAAA', title: 'Zhongxiang hospital N95', category: 'protective_equipment', district: '', urgency: 'high',
  requesterOrg: 'Zhongxiang hospital', address: '湖北省荆门市钟祥市郢中街道', description: 'third floor',
  items: [{ name: 'N95', unit: 'pcs', needed: 500, received: 120 }],
  contacts: [{ name: 'Wang', phone: '+8613800000000', role: '' }], position: { lat: 31.17, lon: 112.59 }, hidden: [],
} as unknown as DemandDetail;

const value = (name: string) => (document.querySelector(`[name="${name}"]`) as HTMLInputElement).value;

describe('DemandForm editing a demand', () => {
  it('opens filled with the demand and saves the changes with editDemand', async () => {
    editDemand.mockResolvedValueOnce({ ...demand, title: 'changed' });
    const onedited = vi.fn();
    render(DemandForm, { categories: ['protective_equipment'], oncancel: () => {}, edit: demand, onedited });
    expect(screen.getByRole('heading').textContent).toBe('Edit demand D-AAAAAA');
    expect(screen.queryByTestId('paste-message')).toBeNull();
    expect(value('title')).toBe('Zhongxiang hospital N95');
    expect(value('category')).toBe('protective_equipment');
    expect(value('urgency')).toBe('high');
    expect(value('address')).toBe('湖北省荆门市钟祥市郢中街道');
    expect(value('items[0].quantity')).toBe('500');
    expect(value('contactPhone')).toBe('+8613800000000');
    expect(value('position.lat')).toBe('31.17');
    expect(value('position.lon')).toBe('112.59');
    expect(screen.getByLabelText('Latitude')).toBeTruthy();

    await fireEvent.input(document.querySelector('[name="items[0].quantity"]')!, { target: { value: '800' } });
    await fireEvent.input(document.querySelector('[name="position.lat"]')!, { target: { value: '31.2' } });
    await fireEvent.click(screen.getByTestId('save-demand'));
    await vi.waitFor(() => expect(onedited).toHaveBeenCalledWith(expect.objectContaining({ title: 'changed' })));
    expect(recordDemand).not.toHaveBeenCalled();
    const [id, sent] = editDemand.mock.lastCall!;
    expect(id).toBe('d1');
    expect(sent).toMatchObject({ title: 'Zhongxiang hospital N95', items: [{ name: 'N95', quantity: '800', unit: 'pcs' }],
      position: { lat: 31.2, lon: 112.59 } });
  });

  it('refuses a position out of range or half given, naming the field, and sends nothing', async () => {
    render(DemandForm, { categories: ['protective_equipment'], oncancel: () => {}, edit: demand, onedited: vi.fn() });
    const lat = document.querySelector('[name="position.lat"]') as HTMLInputElement;
    await fireEvent.input(lat, { target: { value: '95' } });
    await fireEvent.click(screen.getByTestId('save-demand'));
    await vi.waitFor(() => expect(screen.getByTestId('form-error').textContent).toBe('Latitude must be between -90 and 90.'));
    expect(lat.getAttribute('aria-invalid')).toBe('true');

    await fireEvent.input(lat, { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('save-demand'));
    await vi.waitFor(() => expect(screen.getByTestId('form-error').textContent).toBe('Give both latitude and longitude, or neither.'));
    expect(editDemand).not.toHaveBeenCalled();
  });

  it('leaves out the contacts and position a member may not see', async () => {
    const hidden = { ...demand, contacts: [], position: undefined,
      hidden: [{ field: 'contacts', level: 'restricted', reason: '' }, { field: 'position', level: 'restricted', reason: '' }] } as unknown as DemandDetail;
    editDemand.mockResolvedValueOnce(hidden);
    render(DemandForm, { categories: ['protective_equipment'], oncancel: () => {}, edit: hidden, onedited: vi.fn() });
    expect(document.querySelector('[name="contactPhone"]')).toBeNull();
    expect(screen.queryByTestId('position')).toBeNull();
    await fireEvent.click(screen.getByTestId('save-demand'));
    await vi.waitFor(() => expect(editDemand).toHaveBeenCalledTimes(1));
    expect(editDemand.mock.lastCall![1].position).toBeUndefined();
  });

  it('records a new demand with a typed position', async () => {
    recordDemand.mockResolvedValueOnce({ code: 'D-NEW' });
    const onsaved = vi.fn();
    render(DemandForm, { categories: ['food_water'], onsaved, oncancel: () => {} });
    expect(value('position.lat')).toBe('');
    await fireEvent.input(document.querySelector('[name="position.lat"]')!, { target: { value: '30.58' } });
    await fireEvent.input(document.querySelector('[name="position.lon"]')!, { target: { value: '114.27' } });
    await fireEvent.click(screen.getByTestId('save-demand'));
    await vi.waitFor(() => expect(onsaved).toHaveBeenCalledWith('D-NEW'));
    expect(recordDemand.mock.lastCall![0].position).toEqual({ lat: 30.58, lon: 114.27 });
  });
});
