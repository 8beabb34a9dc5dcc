import { describe, it, expect, vi, beforeAll, beforeEach } from 'vitest';
import { render, fireEvent, screen } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';
import type { DuplicateReview } from '../../api';

const m = vi.hoisted(() => ({ reviewDuplicate: vi.fn(), mergeDuplicate: vi.fn(), keepSeparate: vi.fn() }));
vi.mock('../../api', async () => {
  const errors = await import('../../api/errors');
  return { ...errors, api: m };
});

import DuplicateFlag from './DuplicateFlag.svelte';

const review: DuplicateReview = {
  id: 'abc', code: 'D-AAAAAA', org: '汉口医院', original: 'def', originalCode: 'D-BBBBBB', originalOrg: '武汉市汉口医院',
  reasons: ['same organisation', 'same phone +8613800000001'],
  addsContacts: [{ name: '乙主任', phone: '+8613900000002', role: '' }], addsItems: ['防护服 200 套'], canAnswer: true, canMerge: true,
};

beforeAll(() => setupI18n('en'));
beforeEach(() => vi.clearAllMocks());

describe('DuplicateFlag', () => {
  it('shows the original, why and what merging adds, and merges on request', async () => {
    m.reviewDuplicate.mockResolvedValueOnce(review);
    m.mergeDuplicate.mockResolvedValueOnce({ id: 'def' });
    const onanswered = vi.fn();
    render(DuplicateFlag, { id: 'abc', onanswered });
    await vi.waitFor(() => expect(screen.getByTestId('duplicate-original').textContent).toBe('D-BBBBBB'));
    const flag = screen.getByTestId('duplicate-flag').textContent!;
    expect(flag).toContain('same organisation；same phone 138 0000 0001');
    expect(screen.getByTestId('duplicate-adds').textContent).toContain('乙主任 139 0000 0002');
    expect(screen.getByTestId('duplicate-adds').textContent).toContain('防护服 200 套');
    await fireEvent.click(screen.getByTestId('duplicate-merge'));
    await fireEvent.click(screen.getByTestId('duplicate-merge-yes'));
    await vi.waitFor(() => expect(onanswered).toHaveBeenCalledWith('merged', { id: 'def' }));
    expect(m.mergeDuplicate).toHaveBeenCalledWith('abc');
    expect(screen.getByTestId('duplicate-answered').textContent).toContain('Merged into the original');
  });

  it('asks before merging, saying what goes into which original, and cancelling calls nothing', async () => {
    m.reviewDuplicate.mockResolvedValueOnce(review);
    render(DuplicateFlag, { id: 'abc' });
    await vi.waitFor(() => expect(screen.getByTestId('duplicate-merge')).toBeTruthy());
    expect(screen.getByTestId('duplicate-merge').classList.contains('primary')).toBe(false);
    await fireEvent.click(screen.getByTestId('duplicate-merge'));
    expect(m.mergeDuplicate).not.toHaveBeenCalled();
    expect(screen.getByTestId('duplicate-confirm').textContent).toContain(
      'Merge 1 contact and 1 supply line into D-BBBBBB 武汉市汉口医院? This cannot be undone.');
    await fireEvent.click(screen.getByTestId('duplicate-merge-no'));
    expect(screen.queryByTestId('duplicate-confirm')).toBeNull();
    expect(m.mergeDuplicate).not.toHaveBeenCalled();
  });

  it('the confirmation reads in Chinese too', async () => {
    setupI18n('zh-CN');
    try {
      m.reviewDuplicate.mockResolvedValueOnce({ ...review, addsContacts: [...review.addsContacts, { name: '丙', phone: '', role: '' }] });
      render(DuplicateFlag, { id: 'abc' });
      await vi.waitFor(() => expect(screen.getByTestId('duplicate-merge')).toBeTruthy());
      await fireEvent.click(screen.getByTestId('duplicate-merge'));
      expect(screen.getByTestId('duplicate-confirm').textContent).toContain('把 2 个联系人和 1 项物资并入 D-BBBBBB 武汉市汉口医院？此操作不能撤销。');
    } finally {
      setupI18n('en');
    }
  });

  it('members who may not answer see no buttons', async () => {
    m.reviewDuplicate.mockResolvedValueOnce({ ...review, canAnswer: false, addsContacts: [], addsItems: [] });
    render(DuplicateFlag, { id: 'abc' });
    await vi.waitFor(() => expect(screen.getByTestId('duplicate-flag').textContent).toContain('Only reviewers and coordinators'));
    expect(screen.queryByTestId('duplicate-merge')).toBeNull();
    expect(screen.getByTestId('duplicate-flag').textContent).toContain('adds nothing');
  });

  it('keeps it separate and shows a refusal; merging is off once the demand is in progress', async () => {
    m.reviewDuplicate.mockResolvedValueOnce({ ...review, canMerge: false });
    const { ApiError } = await import('../../api/errors');
    m.keepSeparate.mockRejectedValueOnce(new ApiError('invalid', 'id', 'demand D-AAAAAA: not flagged as a possible duplicate'));
    render(DuplicateFlag, { id: 'abc' });
    await vi.waitFor(() => expect(screen.getByTestId('duplicate-keep')).toBeTruthy());
    expect((screen.getByTestId('duplicate-merge') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('duplicate-cannot-merge').textContent).toContain('can no longer be merged');
    await fireEvent.click(screen.getByTestId('duplicate-keep'));
    await vi.waitFor(() => expect(screen.getByTestId('duplicate-error')).toBeTruthy());
    expect(m.keepSeparate).toHaveBeenCalledWith('abc');
  });
});
