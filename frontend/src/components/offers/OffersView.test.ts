import { describe, it, expect, vi, beforeAll, beforeEach } from 'vitest';
import { render, fireEvent, screen } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';
import type { OfferPage, OfferQuery, OfferView } from '../../api';

const offer = (id: string, supplier: string, kind: string, items: OfferView['items'] = []): OfferView => ({
  id, code: `O-${id}`, supplier, kind, region: '武汉', items, phone: '', validUntil: 0, expired: false, createdAt: 0, hidden: [], place: '', notes: '',
});
const KINDS = ['supplies', 'hotel', 'logistics', 'clinic', 'other'];

// fakePage answers as OfferService.Page does over all: text, kind, counts per
// kind of the offers matching the text, offset and limit (0: 100).
function fakePage(all: OfferView[]) {
  return async (q: OfferQuery): Promise<OfferPage> => {
    const matching = all.filter((o) => !q.text || o.supplier.includes(q.text));
    const kept = matching.filter((o) => !q.kind || o.kind === q.kind);
    const limit = q.limit > 0 ? Math.min(q.limit, 500) : 100;
    const offset = Math.min(Math.max(q.offset, 0), kept.length);
    const counts = Object.fromEntries(KINDS.map((k) => [k, matching.filter((o) => o.kind === k).length]));
    return { offers: kept.slice(offset, offset + limit), offset, limit, total: kept.length, counts, matching: matching.length, all: all.length };
  };
}

const m = vi.hoisted(() => ({ offerPage: vi.fn(), handlers: new Map<string, () => void>() }));
vi.mock('../../api', async () => {
  const errors = await import('../../api/errors');
  const events = await import('../../api/events');
  return { ...errors, ...events, api: {
    offerPage: m.offerPage,
    on: vi.fn((ev: string, fn: () => void) => { m.handlers.set(ev, fn); return () => m.handlers.delete(ev); }),
  } };
});

import OffersView from './OffersView.svelte';
import { offerFilter } from '../../stores/offers';

beforeAll(() => setupI18n('en'));
// the machine is shared: wait longer than vitest's 1 s default for the screen to settle
const until = <T>(fn: () => T) => vi.waitFor(fn, { timeout: 10_000 });
const SLOW = 60_000; // a test's own limit
beforeEach(() => {
  m.offerPage.mockReset();
  offerFilter.set({ text: '', kind: '' });
});

describe('OffersView', () => {
  it('shows the total, counts by kind, and filters by kind through the backend', async () => {
    m.offerPage.mockImplementation(fakePage([
      offer('1', '如家酒店', 'hotel'), offer('2', '城市便捷', 'hotel'), offer('3', '顺丰集团', 'logistics'),
      offer('4', '三奇医疗', 'supplies', [{ name: 'masks', unit: 'box', needed: 100, received: 0 }, { name: 'gowns', unit: '', needed: 5, received: 0 }]),
    ]));
    const { unmount } = render(OffersView, { info: { role: 'coordinator' } as never });
    await until(() => expect(screen.getByTestId('offer-count').textContent).toBe('4 of 4 offers'));
    expect(screen.getByTestId('offer-kind-hotel').textContent).toContain('2');
    expect((screen.getByTestId('offer-kind-clinic') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('offer-list').textContent).toContain('100 box, gowns'); // English joins items with a comma
    expect(m.offerPage.mock.calls[0][0]).toEqual({ text: '', kind: '', offset: 0, limit: 100 });

    await fireEvent.click(screen.getByTestId('offer-kind-hotel'));
    await until(() => expect(screen.getByTestId('offer-count').textContent).toBe('2 of 2 offers'));
    expect(m.offerPage.mock.lastCall?.[0]).toMatchObject({ kind: 'hotel', offset: 0 });
    const rows = screen.getByTestId('offer-list').querySelectorAll('li');
    expect([...rows].map((r) => r.querySelector('.title')?.textContent)).toEqual(['如家酒店', '城市便捷']);
    expect(screen.getByTestId('offer-kind-hotel').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('offer-kind-all').textContent).toContain('4'); // the chips keep counting every kind

    await fireEvent.click(screen.getByTestId('offer-kind-all'));
    await until(() => expect(screen.getByTestId('offer-count').textContent).toBe('4 of 4 offers'));
    unmount();
  }, SLOW);

  it('shows the first page of many and reads the next one on "more"', async () => {
    const many = Array.from({ length: 250 }, (_, i) => offer(String(i), `供给方${i}`, i % 2 ? 'hotel' : 'supplies'));
    m.offerPage.mockImplementation(fakePage(many));
    const { unmount } = render(OffersView, { info: { role: 'coordinator' } as never });
    await until(() => expect(screen.getByTestId('offer-count').textContent).toBe('100 of 250 offers'));
    expect(screen.getByTestId('offer-list').querySelectorAll('li')).toHaveLength(100);
    await fireEvent.click(screen.getByTestId('offer-more'));
    await until(() => expect(screen.getByTestId('offer-count').textContent).toBe('200 of 250 offers'));
    await fireEvent.click(screen.getByTestId('offer-more'));
    await until(() => expect(screen.getByTestId('offer-count').textContent).toBe('250 of 250 offers'));
    expect(screen.queryByTestId('offer-more')).toBeNull();
    const titles = [...screen.getByTestId('offer-list').querySelectorAll('.title')].map((t) => t.textContent);
    expect(titles).toEqual(many.map((o) => o.supplier)); // in order, none twice
    unmount();
  }, SLOW);

  it('shows where each offer is and what it offers, or says it is not given', async () => {
    m.offerPage.mockImplementation(fakePage([
      { ...offer('1', '布丁酒店', 'hotel', [{ name: 'rooms', unit: 'room', needed: 30, received: 0 }]), region: '洪山区', place: '湖北省 武汉市 洪山区' },
      { ...offer('2', '京东健康', 'clinic'), region: '', notes: '免费问诊，每天8:00-20:00之间' },
      { ...offer('3', '某志愿者', 'other'), region: '' },
    ]));
    const { unmount } = render(OffersView, { info: { role: 'coordinator' } as never });
    await until(() => expect(screen.getByTestId('offer-count').textContent).toBe('3 of 3 offers'));
    const places = screen.getAllByTestId('offer-place').map((e) => e.textContent);
    const items = screen.getAllByTestId('offer-items').map((e) => e.textContent?.trim());
    expect(places).toEqual(['湖北省 武汉市 洪山区', 'no place given', 'no place given']);
    expect(items).toEqual(['rooms 30 room', '免费问诊，每天8:00-20:00之间', 'no items or services listed']);
    unmount();
  }, SLOW);

  // A large incident's lists are prepared after the open: the tester saw
  // "全部 0 / 物资与产能 0 …" under a red error while 20,000 offers were being
  // prepared. Counts are not shown before they are known, and "building" is
  // a calm notice (role status), not an alert.
  it('shows no counts and a calm notice while the lists are being built', async () => {
    const { ApiError } = await import('../../api/errors');
    const { forgetAll } = await import('../../stores/resource');
    forgetAll(); // a new incident opened: the earlier tests' offers are not this one's
    let ready = false;
    const page = fakePage([offer('1', '如家酒店', 'hotel')]);
    m.offerPage.mockImplementation(async (q: OfferQuery) => {
      if (!ready) throw new ApiError('building', undefined, 'the views are still being built after the open');
      return page(q);
    });
    const { unmount } = render(OffersView, { info: { role: 'coordinator' } as never });
    await until(() => expect(screen.getByTestId('building').textContent).toContain('still being prepared'));
    expect(screen.getByTestId('building').getAttribute('role')).toBe('status');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByTestId('offer-kind-all').textContent).not.toMatch(/\d/);
    expect(screen.getByTestId('offer-kind-hotel').textContent).not.toMatch(/\d/);
    expect((screen.getByTestId('offer-kind-hotel') as HTMLButtonElement).disabled).toBe(false);
    unmount();
    ready = true;
  }, SLOW);

  it('while searching says how many offers match of all, and "searching" until the answer comes', async () => {
    const answer = fakePage([offer('1', '如家酒店', 'hotel'), offer('2', '城市便捷', 'hotel'), offer('3', '顺丰集团', 'logistics')]);
    let release = () => {};
    m.offerPage.mockImplementation(async (q: OfferQuery) => {
      if (q.text) await new Promise<void>((r) => (release = r));
      return answer(q);
    });
    const { unmount } = render(OffersView, { info: { role: 'coordinator' } as never });
    await until(() => expect(screen.getByTestId('offer-count').textContent).toBe('3 of 3 offers'));
    expect(screen.queryByTestId('offer-total')).toBeNull(); // nothing searched: the count says it all
    await fireEvent.input(screen.getByTestId('offer-search'), { target: { value: '酒店' } });
    await until(() => expect(screen.getByTestId('offer-total').textContent?.trim()).toBe('Searching…'));
    expect(screen.getByTestId('offer-list').getAttribute('aria-busy')).toBe('true');
    await until(() => expect(m.offerPage.mock.lastCall?.[0]).toMatchObject({ text: '酒店' }));
    release();
    await until(() => expect(screen.getByTestId('offer-total').textContent?.trim()).toBe('1 of 3 offers matches “酒店”'));
    expect(screen.getByTestId('offer-list').getAttribute('aria-busy')).toBe('false');
    unmount();
  }, SLOW);

  // The reviewer of session 15: in the 50 ms between the typing pause and the
  // load (COALESCE_MS), and after a failed search, the line said the last
  // answer's numbers under the new text ("1 of 3 offers match “酒店”").
  const three = [offer('1', '如家酒店', 'hotel'), offer('2', '锦江酒店', 'hotel'), offer('3', '顺丰集团', 'logistics')];
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  // watch records every text the element shows, each once in a row
  function watch(el: Element): { seen: string[]; stop: () => void } {
    const seen: string[] = [];
    const note = () => {
      const t = el.textContent?.trim() ?? '';
      if (seen[seen.length - 1] !== t) seen.push(t);
    };
    const obs = new MutationObserver(note);
    obs.observe(el, { childList: true, characterData: true, subtree: true });
    return { seen, stop: () => obs.disconnect() };
  }

  it('says only "searching", then the new answer, while a search is answered after 200 ms', async () => {
    const answer = fakePage(three);
    let done = 0; // answers given
    m.offerPage.mockImplementation(async (q: OfferQuery) => {
      if (q.text === '酒店') await sleep(200);
      done++;
      return answer(q);
    });
    const { unmount } = render(OffersView, { info: { role: 'coordinator' } as never });
    await fireEvent.input(screen.getByTestId('offer-search'), { target: { value: '顺丰' } });
    await until(() => expect(screen.getByTestId('offer-total').textContent?.trim()).toBe('1 of 3 offers matches “顺丰”'));
    const w = watch(screen.getByTestId('offer-total'));
    await fireEvent.input(screen.getByTestId('offer-search'), { target: { value: '酒店' } });
    await until(() => expect(screen.getByTestId('offer-total').textContent?.trim()).toBe('2 of 3 offers match “酒店”'));
    w.stop();
    expect(w.seen).toEqual(['Searching…', '2 of 3 offers match “酒店”']);

    // an event-driven reload for the same search keeps the line: nothing is announced again
    const w2 = watch(screen.getByTestId('offer-total'));
    const calls = m.offerPage.mock.calls.length;
    m.handlers.get('offers:changed')?.();
    await until(() => expect(m.offerPage.mock.calls.length).toBeGreaterThan(calls));
    await until(() => expect(done).toBe(m.offerPage.mock.calls.length)); // the reload's answer is in
    await until(() => expect(screen.getByTestId('offer-list').getAttribute('aria-busy')).toBe('false'));
    w2.stop();
    expect(w2.seen).toEqual([]);
    expect(screen.getByTestId('offer-total').textContent?.trim()).toBe('2 of 3 offers match “酒店”');
    unmount();
  }, SLOW);

  it('shows no match line beside the error of a failed search', async () => {
    const { ApiError } = await import('../../api/errors');
    const answer = fakePage(three);
    m.offerPage.mockImplementation(async (q: OfferQuery) => {
      if (q.text === '酒店') throw new ApiError('internal', undefined, 'the search index could not be read');
      return answer(q);
    });
    const { unmount } = render(OffersView, { info: { role: 'coordinator' } as never });
    await fireEvent.input(screen.getByTestId('offer-search'), { target: { value: '顺丰' } });
    await until(() => expect(screen.getByTestId('offer-total').textContent?.trim()).toBe('1 of 3 offers matches “顺丰”'));
    await fireEvent.input(screen.getByTestId('offer-search'), { target: { value: '酒店' } });
    await until(() => expect(screen.getByRole('alert')).toBeTruthy());
    expect(screen.queryByTestId('offer-total')?.textContent ?? '').not.toContain('match');
    expect(screen.queryByTestId('offer-total')?.textContent ?? '').not.toContain('Searching');
    unmount();
  }, SLOW);
});
