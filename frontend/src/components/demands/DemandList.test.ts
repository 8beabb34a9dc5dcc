import { describe, it, expect, vi, beforeAll } from 'vitest';
import { render, fireEvent, screen } from '@testing-library/svelte';
import { writable } from 'svelte/store';
import { setupI18n } from '../../lib/i18n';
import type { DemandSummary } from '../../api';

const N = 500;
const rows: DemandSummary[] = Array.from({ length: N }, (_, i) => ({
  id: `d${i}`, code: `D-${String(i).padStart(6, '0')}`, title: `医院 ${i}`, category: 'medical_supplies', district: '',
  status: 'approved', urgency: 'normal', items: [], createdAt: 0,
}));
const s = vi.hoisted(() => ({}) as Record<string, unknown>);
vi.mock('../../stores/demands', async () => {
  const { writable: w } = await import('svelte/store');
  Object.assign(s, {
    demands: w<unknown[]>([]), total: w(0), shown: w(''), loadError: w(null), catchingUp: w(null), contactsSearched: w(false), contactsBuilding: w<number | null>(null),
    query: w({ status: '', category: '', district: '', owner: '', text: '', urgency: '', overdue: false, sort: '' }),
  });
  return {
    ...s, BLOCK: 100, EMPTY_QUERY: {}, search: vi.fn(async () => {}), show: vi.fn(async () => {}), isFiltered: () => false,
  };
});

import DemandList from './DemandList.svelte';

// jsdom lays nothing out. As in a browser: a row virtua has not measured yet
// is rendered hidden, it is measured a couple of frames after it is mounted,
// and focus() on a hidden element does nothing.
class FakeResizeObserver {
  constructor(private cb: ResizeObserverCallback) {}
  observe(el: Element) {
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    frame().then(frame).then(() => {
      if (!el.isConnected) return;
      const height = el.tagName === 'LI' ? 78 : 600;
      this.cb([{ target: el, contentRect: { width: 400, height } } as unknown as ResizeObserverEntry], this as never);
    });
  }
  unobserve() {}
  disconnect() {}
}

beforeAll(() => {
  setupI18n('en');
  Element.prototype.scrollTo ??= function scrollTo() {};
  Object.defineProperty(HTMLElement.prototype, 'offsetParent', { configurable: true, get() { return this.parentElement; } });
  globalThis.ResizeObserver = FakeResizeObserver as unknown as typeof ResizeObserver;
  const focus = HTMLElement.prototype.focus;
  HTMLElement.prototype.focus = function (this: HTMLElement, o?: FocusOptions) {
    if (this.closest('[style*="visibility: hidden"]')) return;
    focus.call(this, o);
  };
});

describe('DemandList keyboard', () => {
  it('End, Home and PageDown move the focus to rows not rendered yet, once virtua has measured them', async () => {
    (s.demands as ReturnType<typeof writable>).set(rows);
    (s.total as ReturnType<typeof writable>).set(N);
    render(DemandList, { categories: [], canRecord: false, onrecord: vi.fn(), onopen: vi.fn() });
    const first = await vi.waitFor(() => {
      const b = screen.getByTestId('demand-list').querySelector<HTMLElement>('[data-index="0"]');
      expect(b).toBeTruthy();
      return b!;
    });
    await vi.waitFor(() => {
      first.focus();
      expect(document.activeElement).toBe(first);
    });
    expect(screen.getByTestId('demand-list').querySelector(`[data-index="${N - 1}"]`)).toBeNull();
    await fireEvent.keyDown(first, { key: 'End' });
    await vi.waitFor(() => expect((document.activeElement as HTMLElement).dataset.index).toBe(String(N - 1)));
    await fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    await vi.waitFor(() => expect((document.activeElement as HTMLElement).dataset.index).toBe('0'));
    await fireEvent.keyDown(document.activeElement!, { key: 'PageDown' });
    await vi.waitFor(() => expect(Number((document.activeElement as HTMLElement).dataset.index)).toBeGreaterThan(0));
  });
});

describe('DemandList region', () => {
  it('filters by region at any level and shows each row\'s place', async () => {
    const placed = [{ ...rows[0], district: '钟祥市', region: '湖北省 荆门市 钟祥市' }];
    (s.demands as ReturnType<typeof writable>).set(placed);
    (s.total as ReturnType<typeof writable>).set(1);
    render(DemandList, { categories: [], canRecord: false, onrecord: vi.fn(), onopen: vi.fn() });
    await vi.waitFor(() => expect(screen.getByTestId('demand-list').textContent).toContain('湖北省 荆门市 钟祥市'));
    const box = screen.getByTestId('filter-region') as HTMLInputElement;
    expect(box.placeholder).toBe('Region (province / city / county)');
    await fireEvent.input(box, { target: { value: '荆门市' } });
    let q: { region?: string } = {};
    (s.query as ReturnType<typeof writable>).subscribe((v) => (q = v as typeof q))();
    expect(q.region).toBe('荆门市');
  });
});

describe('DemandList during a catch-up', () => {
  it('says it is catching up, with the progress, and says nothing once done', async () => {
    (s.demands as ReturnType<typeof writable>).set(rows.slice(0, 3));
    (s.total as ReturnType<typeof writable>).set(3);
    (s.catchingUp as ReturnType<typeof writable>).set({ applied: 2500, expected: 10000, members: 1 });
    render(DemandList, { categories: [], canRecord: false, onrecord: vi.fn(), onopen: vi.fn() });
    const line = await screen.findByTestId('catching-up');
    expect(line.textContent).toMatch(/Catching up… 2,500 of 10,000 changes received from 1 member \(25 %\)/);
    (s.catchingUp as ReturnType<typeof writable>).set(null);
    await vi.waitFor(() => expect(screen.queryByTestId('catching-up')).toBeNull());
  });
});
