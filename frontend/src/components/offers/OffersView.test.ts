import { describe, it, expect, vi, beforeAll } from 'vitest';
import { render, fireEvent, screen } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';
import type { OfferView } from '../../api';

const offer = (id: string, supplier: string, kind: string, items: OfferView['items'] = []): OfferView => ({
  id, code: `O-${id}`, supplier, kind, region: '武汉', items, phone: '', validUntil: 0, expired: false, createdAt: 0, hidden: [],
});
const m = vi.hoisted(() => ({ offers: vi.fn() }));
vi.mock('../../api', async () => {
  const errors = await import('../../api/errors');
  const events = await import('../../api/events');
  return { ...errors, ...events, api: { offers: m.offers, on: vi.fn(() => () => {}) } };
});

import OffersView from './OffersView.svelte';

beforeAll(() => setupI18n('en'));

describe('OffersView', () => {
  it('shows the total, counts by kind, and filters by kind', async () => {
    m.offers.mockResolvedValue([
      offer('1', '如家酒店', 'hotel'), offer('2', '城市便捷', 'hotel'), offer('3', '顺丰集团', 'logistics'),
      offer('4', '三奇医疗', 'supplies', [{ name: 'masks', unit: 'box', needed: 100, received: 0 }, { name: 'gowns', unit: '', needed: 5, received: 0 }]),
    ]);
    render(OffersView, { info: { role: 'coordinator' } as never });
    await vi.waitFor(() => expect(screen.getByTestId('offer-count').textContent).toBe('4 of 4 offers'));
    expect(screen.getByTestId('offer-kind-hotel').textContent).toContain('2');
    expect((screen.getByTestId('offer-kind-clinic') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('offer-list').textContent).toContain('100 box, gowns'); // English joins items with a comma

    await fireEvent.click(screen.getByTestId('offer-kind-hotel'));
    expect(screen.getByTestId('offer-count').textContent).toBe('2 of 4 offers');
    const rows = screen.getByTestId('offer-list').querySelectorAll('li');
    expect([...rows].map((r) => r.querySelector('.title')?.textContent)).toEqual(['如家酒店', '城市便捷']);
    expect(screen.getByTestId('offer-kind-hotel').getAttribute('aria-pressed')).toBe('true');

    await fireEvent.click(screen.getByTestId('offer-kind-all'));
    expect(screen.getByTestId('offer-count').textContent).toBe('4 of 4 offers');
  });
});
