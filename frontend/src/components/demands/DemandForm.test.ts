import { describe, it, expect, vi, beforeAll } from 'vitest';
import { render, fireEvent, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { setupI18n } from '../../lib/i18n';

const { recordDemand, parseMessage, similar } = vi.hoisted(() => ({
  recordDemand: vi.fn(), parseMessage: vi.fn(), similar: vi.fn().mockResolvedValue(null),
}));
vi.mock('../../api', async () => {
  const errors = await import('../../api/errors');
  return { ...errors, api: { recordDemand, parseMessage, similar } };
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

describe('DemandForm paste a message', () => {
  it('fills the form from the parsed message and saves what the user confirmed', async () => {
    parseMessage.mockResolvedValueOnce({
      title: '武汉市第一医院：N95口罩、防护服', category: 'protective_equipment', district: '江汉区', urgency: 'high',
      requesterOrg: '武汉市第一医院', address: '武汉市江汉区解放大道1277号', description: '',
      contactName: '王老师', contactPhone: '+8613800000000',
      items: [{ name: 'N95口罩', quantity: '5000', unit: '个' }, { name: '防护服', quantity: '200', unit: '套' }],
    });
    recordDemand.mockResolvedValueOnce({ code: 'D-PASTED' });
    const onsaved = vi.fn();
    render(DemandForm, { categories: ['protective_equipment', 'food_water'], onsaved, oncancel: () => {} });
    const fill = screen.getByTestId('fill-from-message') as HTMLButtonElement;
    expect(fill.disabled).toBe(true);
    const msg = '武汉市第一医院急需N95口罩5000个，防护服200套，联系人王老师 13800000000，地址：武汉市江汉区解放大道1277号';
    await fireEvent.input(screen.getByPlaceholderText('Paste the message here'), { target: { value: msg } });
    await fireEvent.click(fill);
    await vi.waitFor(() => expect(screen.getByTestId('parsed-note').textContent).toContain('check every field'));
    expect(parseMessage).toHaveBeenCalledWith(msg);
    expect((screen.getByRole('textbox', { name: 'Title' }) as HTMLInputElement).value).toBe('武汉市第一医院：N95口罩、防护服');
    const names = screen.getAllByPlaceholderText('Item') as HTMLInputElement[];
    expect(names.map((n) => n.value)).toEqual(['N95口罩', '防护服']);
    const qty = screen.getAllByPlaceholderText('Quantity') as HTMLInputElement[];
    expect(qty.map((n) => n.value)).toEqual(['5000', '200']);
    expect(similar).toHaveBeenCalled();

    // the user corrects a quantity before saving
    await fireEvent.input(qty[1], { target: { value: '300' } });
    await fireEvent.click(screen.getByTestId('save-demand'));
    await vi.waitFor(() => expect(onsaved).toHaveBeenCalledWith('D-PASTED'));
    const sent = recordDemand.mock.calls.at(-1)![0];
    expect(sent).toMatchObject({
      category: 'protective_equipment', district: '江汉区', urgency: 'high', requesterOrg: '武汉市第一医院',
      address: '武汉市江汉区解放大道1277号', contactName: '王老师', contactPhone: '+8613800000000',
    });
    expect(sent.items).toEqual([{ name: 'N95口罩', quantity: '5000', unit: '个' }, { name: '防护服', quantity: '300', unit: '套' }]);
  });

  it('keeps every contact of the message, and what the user adds or removes', async () => {
    parseMessage.mockResolvedValueOnce({
      title: '汉口医院：防护服', category: 'protective_equipment', district: '', urgency: 'high', requesterOrg: '汉口医院',
      address: '', description: '', contactName: '甲老师', contactPhone: '+8613800000002',
      moreContacts: [{ name: '乙主任', phone: '+8613900000003' }, { name: '丙护士长', phone: '+8613700000004' }],
      items: [{ name: '防护服', quantity: '200', unit: '套' }],
    });
    similar.mockResolvedValueOnce({ id: 'x', code: 'D-OLD001', title: '汉口医院', reasons: ['same phone +8613900000003'] });
    recordDemand.mockResolvedValueOnce({ code: 'D-TWO' });
    const onsaved = vi.fn();
    render(DemandForm, { categories: ['protective_equipment'], onsaved, oncancel: () => {} });
    await fireEvent.input(screen.getByPlaceholderText('Paste the message here'), { target: { value: '汉口医院急需防护服200套…' } });
    await fireEvent.click(screen.getByTestId('fill-from-message'));
    await vi.waitFor(() => expect(screen.getByTestId('more-contact-1')).toBeTruthy());
    const second = screen.getByRole('textbox', { name: 'Contact name 2' }) as HTMLInputElement;
    expect(second.value).toBe('乙主任');
    expect((screen.getByTestId('more-contact-1').querySelector('input[type=tel]') as HTMLInputElement).value).toBe('+8613700000004');
    await vi.waitFor(() => expect(screen.getByTestId('similar-warning').textContent).toContain('same phone 139 0000 0003'));

    // the user removes the third contact and adds another
    await fireEvent.click(screen.getByTestId('more-contact-1').querySelector('button')!);
    expect(screen.queryByTestId('more-contact-1')).toBeNull();
    await fireEvent.click(screen.getByTestId('add-contact'));
    const row = screen.getByTestId('more-contact-1');
    await fireEvent.input(row.querySelector('input')!, { target: { value: '丁' } });
    await fireEvent.input(row.querySelector('input[type=tel]')!, { target: { value: '13600000005' } });
    await fireEvent.click(screen.getByTestId('save-demand'));
    await vi.waitFor(() => expect(onsaved).toHaveBeenCalledWith('D-TWO'));
    expect(recordDemand.mock.calls.at(-1)![0].moreContacts).toEqual([
      { name: '乙主任', phone: '+8613900000003' }, { name: '丁', phone: '13600000005' },
    ]);
  });

  it('keeps what was typed when the message holds nothing usable', async () => {
    parseMessage.mockResolvedValueOnce({
      title: '', category: '', district: '', urgency: 'normal', requesterOrg: '', address: '', description: '你好',
      contactName: '', contactPhone: '', items: [],
    });
    render(DemandForm, { categories: ['food_water'], onsaved: () => {}, oncancel: () => {} });
    await fireEvent.input(screen.getByPlaceholderText('e.g. Union Hospital urgently needs N95 masks'), { target: { value: 'Water' } });
    await fireEvent.input(screen.getByPlaceholderText('Paste the message here'), { target: { value: '你好' } });
    await fireEvent.click(screen.getByTestId('fill-from-message'));
    await vi.waitFor(() => expect(screen.getByTestId('parsed-note').textContent).toContain('Nothing usable'));
    expect((screen.getByPlaceholderText('e.g. Union Hospital urgently needs N95 masks') as HTMLInputElement).value).toBe('Water');
  });
});
