import { describe, it, expect, vi, beforeAll, beforeEach } from 'vitest';
import { render, fireEvent, screen } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';
import type { VolunteerPage, VolunteerQuery, VolunteerView } from '../../api';

const volunteer = (i: number): VolunteerView => ({
  id: `v${i}`, code: `V-${i}`, key: '', name: `志愿者${i}`, phone: '', skills: [i % 2 ? 'driver' : 'medic'], training: [],
  region: i % 3 ? '武昌区' : '江汉区', organisation: '', availability: [], availableNow: i % 4 === 0, today: [], load: 0, hidden: [], emergencyName: '', emergencyPhone: '',
});
// fakePage answers as VolunteerService.Page does.
function fakePage(all: VolunteerView[]) {
  return async (q: VolunteerQuery): Promise<VolunteerPage> => {
    const kept = all.filter((v) => (!q.text || [v.name, v.code, v.region, v.organisation, ...v.skills, ...v.training].join(' ').toLowerCase().includes(q.text.toLowerCase()))
      && (!q.skill || v.skills.includes(q.skill)) && (!q.region || v.region === q.region) && (!q.availableNow || v.availableNow));
    const limit = q.limit > 0 ? Math.min(q.limit, 500) : 100;
    const offset = Math.min(q.offset, kept.length);
    return { volunteers: kept.slice(offset, offset + limit), offset, limit, total: kept.length, all: all.length,
      skills: ['driver', 'medic'], regions: ['武昌区', '江汉区'] };
  };
}

const m = vi.hoisted(() => ({ volunteerPage: vi.fn(), members: vi.fn(async () => []) }));
vi.mock('../../api', async () => {
  const errors = await import('../../api/errors');
  const events = await import('../../api/events');
  return { ...errors, ...events, api: { volunteerPage: m.volunteerPage, members: m.members, on: vi.fn(() => () => {}) } };
});

import VolunteersView from './VolunteersView.svelte';
import { volunteerFilter, EMPTY_VOLUNTEER_FILTER } from '../../stores/volunteers';

beforeAll(() => setupI18n('en'));
// the machine is shared: wait longer than vitest's 1 s default for the screen to settle
const until = <T>(fn: () => T) => vi.waitFor(fn, { timeout: 10_000 });
const SLOW = 60_000; // a test's own limit
beforeEach(() => {
  m.volunteerPage.mockReset();
  volunteerFilter.set({ ...EMPTY_VOLUNTEER_FILTER });
});

const rows = () => [...screen.getByTestId('volunteer-table').querySelectorAll('tbody tr')];

describe('VolunteersView', () => {
  it('shows the first page, searches and filters through the backend, and reads more', async () => {
    const all = Array.from({ length: 240 }, (_, i) => volunteer(i));
    m.volunteerPage.mockImplementation(fakePage(all));
    const { unmount } = render(VolunteersView, { info: { role: 'coordinator', deviceId: 'me' } as never });
    await until(() => expect(screen.getByTestId('volunteer-count').textContent).toBe('Showing 100 of 240'));
    expect(rows()).toHaveLength(100);

    await fireEvent.input(screen.getByTestId('volunteer-search'), { target: { value: '志愿者1' } });
    await until(() => expect(m.volunteerPage.mock.lastCall?.[0]).toMatchObject({ text: '志愿者1', offset: 0 }));
    const n = all.filter((v) => v.name.includes('志愿者1')).length;
    await until(() => expect(screen.getByTestId('volunteer-count').textContent).toBe(`Showing ${Math.min(n, 100)} of ${n}`));
    expect(n).toBeGreaterThan(100); // 1, 10–19, 100–199

    await fireEvent.input(screen.getByTestId('volunteer-search'), { target: { value: '' } });
    const region = screen.getByTestId('volunteer-region') as HTMLSelectElement;
    await until(() => expect(region.options).toHaveLength(3)); // any, and the two regions
    await fireEvent.change(region, { target: { value: '江汉区' } });
    await fireEvent.click(screen.getByTestId('volunteer-now'));
    const want = all.filter((v) => v.region === '江汉区' && v.availableNow);
    await until(() => expect(screen.getByTestId('volunteer-count').textContent).toBe(`Showing ${want.length} of ${want.length}`));
    expect(m.volunteerPage.mock.lastCall?.[0]).toEqual({ text: '', skill: '', region: '江汉区', availableNow: true, offset: 0, limit: 100 });
    expect(rows().map((r) => r.querySelector('strong')?.textContent)).toEqual(want.map((v) => v.name));

    await fireEvent.change(region, { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('volunteer-now'));
    await until(() => expect(screen.getByTestId('volunteer-count').textContent).toBe('Showing 100 of 240'));
    await fireEvent.click(screen.getByTestId('volunteer-more'));
    await until(() => expect(screen.getByTestId('volunteer-count').textContent).toBe('Showing 200 of 240'));
    unmount();
  }, SLOW);

  it('says how many match of all while searching, "searching" until the answer comes, and the field that matched when the table does not show it', async () => {
    const all = Array.from({ length: 240 }, (_, i) => volunteer(i));
    all[7] = { ...all[7], code: 'V-张-7' }; // matches 张 by its code only
    all[9] = { ...all[9], name: '张伟' };
    const answer = fakePage(all);
    let release = () => {};
    m.volunteerPage.mockImplementation(async (q: VolunteerQuery) => {
      if (q.text) await new Promise<void>((r) => (release = r)); // the search answers when released
      return answer(q);
    });
    const { unmount } = render(VolunteersView, { info: { role: 'coordinator', deviceId: 'me' } as never });
    const total = () => screen.getByTestId('volunteer-total').textContent?.trim();
    await until(() => expect(total()).toBe('240 volunteers'));

    await fireEvent.input(screen.getByTestId('volunteer-search'), { target: { value: '张' } });
    await until(() => expect(total()).toBe('Searching…'));
    expect(screen.getByTestId('volunteer-table').getAttribute('aria-busy')).toBe('true'); // the rows shown are not the answer
    await until(() => expect(m.volunteerPage.mock.lastCall?.[0]).toMatchObject({ text: '张' }));
    release();
    await until(() => expect(total()).toBe('2 of 240 volunteers'));
    expect(screen.getByTestId('volunteer-table').getAttribute('aria-busy')).toBe('false');
    const matched = rows().map((r) => r.querySelector('[data-testid="volunteer-matched"]')?.textContent?.trim() ?? '');
    expect(matched).toEqual(['Matched: code V-张-7', '']); // 张伟 matches by the name the table shows
    unmount();
  }, SLOW);

  // The reviewer of session 15: a change of skill, region or "available now"
  // left the last answer's "2 of 240 volunteers" under the new filter until it answered.
  it('says "searching" when the skill changes, until the answer comes', async () => {
    const all = Array.from({ length: 240 }, (_, i) => volunteer(i));
    const answer = fakePage(all);
    let release = () => {};
    m.volunteerPage.mockImplementation(async (q: VolunteerQuery) => {
      if (q.skill) await new Promise<void>((r) => (release = r)); // the skill's answer comes when released
      return answer(q);
    });
    const { unmount } = render(VolunteersView, { info: { role: 'coordinator', deviceId: 'me' } as never });
    const total = () => screen.getByTestId('volunteer-total').textContent?.trim();
    await until(() => expect(total()).toBe('240 volunteers'));
    const skill = screen.getByTestId('volunteer-skill') as HTMLSelectElement;
    await until(() => expect(skill.options).toHaveLength(3));
    await fireEvent.change(skill, { target: { value: 'medic' } });
    await until(() => expect(total()).toBe('Searching…'));
    expect(screen.getByTestId('volunteer-table').getAttribute('aria-busy')).toBe('true');
    await until(() => expect(m.volunteerPage.mock.lastCall?.[0]).toMatchObject({ skill: 'medic' }));
    expect(total()).toBe('Searching…');
    release();
    await until(() => expect(total()).toBe('120 of 240 volunteers'));
    unmount();
  }, SLOW);
});
