import { describe, it, expect, vi, beforeAll, beforeEach } from 'vitest';
import { render, fireEvent, screen } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';
import type { TrainingView } from '../../api';

const DAY = 86_400_000;
const now = Date.now();
function view(coordinator: boolean): TrainingView {
  return {
    coordinator,
    courses: [{
      id: 'c1', name: 'Psychological first aid', description: 'Listening', materialsLink: 'https://example.org/pfa', materialName: 'a.pdf',
      materialType: 'application/pdf', materialSize: 2048, qualifies: ['psychological support'], validityDays: 30,
      trainers: [{ id: 'k2', name: 'Trainer Li' }], canRecord: true,
      completions: [
        { volunteer: { id: 'v1', name: 'Wang' }, by: { id: 'k2', name: 'Trainer Li' }, at: now - 40 * DAY, expires: now - 10 * DAY, expired: true },
        { volunteer: { id: 'v2', name: 'Zhao' }, by: { id: 'k2', name: 'Trainer Li' }, at: now - DAY, expires: now + 29 * DAY, expired: false },
      ],
      conflicts: [{ action: 'complete_course', by: { id: 'k3', name: 'Sun' }, at: now - DAY, reason: 'not_trainer' }],
    }],
    volunteers: [
      { id: 'v1', code: 'V-1', name: 'Wang', memberId: 'k1', stage: 'endorsed' },
      { id: 'v2', code: 'V-2', name: 'Zhao', memberId: 'k2', stage: 'active' },
      { id: 'v3', code: 'V-3', name: 'Qian', memberId: '', stage: 'applicant' },
    ],
    needs: coordinator ? [{ volunteer: { id: 'v1', name: 'Wang' }, course: { id: 'c1', name: 'Psychological first aid' }, skill: 'psychological support', expired: now - 10 * DAY }] : [],
    members: coordinator ? [{ id: 'k1', name: 'Wang' }, { id: 'k2', name: 'Trainer Li' }] : [],
  };
}

const m = vi.hoisted(() => ({ training: vi.fn(), recordCompletion: vi.fn(), withdrawCompletion: vi.fn(), markTrainer: vi.fn(), saveCourse: vi.fn() }));
vi.mock('../../api', async () => {
  const errors = await import('../../api/errors');
  const events = await import('../../api/events');
  return { ...errors, ...events, api: { ...m, on: vi.fn(() => () => {}) } };
});

import TrainingPanel from './TrainingPanel.svelte';
import { training } from '../../stores/volunteers';

beforeAll(() => setupI18n('en'));
const until = <T>(fn: () => T) => vi.waitFor(fn, { timeout: 10_000 });
const SLOW = 60_000;
beforeEach(() => {
  for (const f of Object.values(m)) f.mockReset();
});

describe('TrainingPanel', () => {
  it('shows courses, completions with their expiry, refused records, stages and needs', async () => {
    m.training.mockResolvedValue(view(true));
    await training.reload();
    const { unmount } = render(TrainingPanel);
    await until(() => expect(screen.getAllByTestId('completion-row')).toHaveLength(2));
    const [wang, zhao] = screen.getAllByTestId('completion-row');
    expect(wang.textContent).toContain('expired');
    expect(zhao.textContent).toContain('expires');
    expect(screen.getByTestId('course-conflicts').textContent).toContain('Sun');
    expect(screen.getByTestId('course-conflicts').textContent).toContain('neither a coordinator nor a trainer');
    expect(screen.getByTestId('stage-active').textContent).toContain('Zhao');
    expect(screen.getByTestId('stage-applicant').textContent).toContain('Qian');
    expect(screen.getByTestId('training-need').textContent).toContain('needed for psychological support, expired');
    unmount();
  }, SLOW);

  it('records a completion and withdraws one only with a reason', async () => {
    m.training.mockResolvedValue(view(false));
    m.recordCompletion.mockResolvedValue(view(false));
    m.withdrawCompletion.mockResolvedValue(view(false));
    await training.reload();
    const { unmount } = render(TrainingPanel);
    await until(() => screen.getByTestId('completion-volunteer'));
    expect(screen.queryByTestId('course-new')).toBeNull(); // not a coordinator
    expect(screen.queryByTestId('training-needs')).toBeNull();
    await fireEvent.change(screen.getByTestId('completion-volunteer'), { target: { value: 'v3' } });
    await fireEvent.click(screen.getByTestId('completion-record'));
    await until(() => expect(m.recordCompletion).toHaveBeenCalledWith('c1', 'v3'));

    await fireEvent.click(screen.getAllByTestId('completion-withdraw')[0]);
    const confirm = screen.getByTestId('withdraw-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('withdraw-note'), { target: { value: 'wrong person' } });
    expect(confirm.disabled).toBe(false);
    await fireEvent.click(confirm);
    await until(() => expect(m.withdrawCompletion).toHaveBeenCalledWith('c1', 'v1', 'wrong person'));
    unmount();
  }, SLOW);

  it('says why a member is missing from the completion list (a tester found it empty with three members)', async () => {
    m.training.mockResolvedValue({ ...view(true), volunteers: [] });
    await training.reload();
    const { unmount } = render(TrainingPanel);
    await until(() => expect(screen.getByTestId('completion-profiles-only').textContent).toContain('No member has a volunteer profile yet'));
    unmount();
    m.training.mockResolvedValue(view(true));
    await training.reload();
    const second = render(TrainingPanel);
    await until(() => expect(screen.getByTestId('completion-profiles-only').textContent).toContain('Only members with a volunteer profile'));
    second.unmount();
  }, SLOW);
});
