import { describe, it, expect, vi, beforeAll, beforeEach } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';

const { groups, createGroup, followGroup, groupInbox, on } = vi.hoisted(() => ({
  groups: vi.fn(), createGroup: vi.fn(), followGroup: vi.fn(), groupInbox: vi.fn(), on: vi.fn(() => () => {}),
}));
vi.mock('../../api', async () => {
  const events = await import('../../api/events');
  const errors = await import('../../api/errors');
  return { ...events, ...errors, api: { groups, createGroup, followGroup, groupInbox, on } };
});

import GroupsPanel from './GroupsPanel.svelte';

const info = {
  deviceId: 'me', dataDir: '/d', startupError: '', startupCode: '', startupArgs: {}, networkId: 'n', networkName: 'Flood',
  memberName: 'Li', role: 'coordinator', practice: false, practiceExists: false, revoked: false, revokedBy: { id: '', name: '' }, revokedAt: 0,
};
const members = [{ id: 'wang', name: 'Wang', role: 'volunteer', endorsedBy: 'me', since: 0, revoked: false, covenant: 0 }];
const med = {
  id: 'g1', name: 'Medical team', function: 'medical', lead: { id: 'wang', name: 'Wang' }, members: [{ id: 'wang', name: 'Wang' }],
  followers: [], categories: ['medical_supplies'], skills: ['doctor'], following: false, mine: false,
};

beforeAll(() => setupI18n('en'));
beforeEach(() => vi.clearAllMocks());

describe('GroupsPanel', () => {
  it('shows each group with its function, lead, members and what is routed to it', async () => {
    groups.mockResolvedValue([med]);
    render(GroupsPanel, { info, members });
    await vi.waitFor(() => expect(screen.getAllByTestId('group-row')).toHaveLength(1));
    const row = screen.getByTestId('group-row').textContent ?? '';
    expect(row).toContain('Medical team');
    expect(row).toContain('Medical');
    expect(row).toContain('Lead: Wang');
    expect(row).toContain('1 member: Wang');
    expect(row).toContain('Takes demands of Medical supplies');
    expect(row).toContain('tasks needing doctor');
  });

  it('follows a group and shows its inbox', async () => {
    groups.mockResolvedValue([med]);
    followGroup.mockResolvedValueOnce([{ ...med, following: true, followers: [{ id: 'me', name: 'Li' }] }]);
    groupInbox.mockResolvedValueOnce([]);
    render(GroupsPanel, { info, members });
    await vi.waitFor(() => expect(screen.getByTestId('group-follow').textContent).toBe('Follow'));
    await fireEvent.click(screen.getByTestId('group-follow'));
    await vi.waitFor(() => expect(screen.getByTestId('group-follow').textContent).toBe('Stop following'));
    expect(followGroup).toHaveBeenCalledWith('g1', true);
    await fireEvent.click(screen.getByTestId('group-inbox'));
    await vi.waitFor(() => expect(screen.getByTestId('group-inbox-list').textContent).toContain('Nothing of this group waits on you.'));
  });

  it('lets a coordinator create a group, and says why one was refused', async () => {
    groups.mockResolvedValue([]);
    const { ApiError } = await import('../../api/errors');
    createGroup.mockRejectedValueOnce(new ApiError('required', 'name', 'is empty'));
    render(GroupsPanel, { info, members });
    await fireEvent.click(screen.getByTestId('group-new'));
    await fireEvent.click(screen.getByTestId('group-save'));
    await vi.waitFor(() => expect(screen.getByRole('alert').textContent).toBeTruthy());
    expect(createGroup).toHaveBeenCalledWith(expect.objectContaining({ name: '', function: 'medical' }));
    expect(screen.queryByTestId('group-new')).toBeNull();
  });

  it('offers no new group to a volunteer', async () => {
    groups.mockResolvedValue([]);
    render(GroupsPanel, { info: { ...info, role: 'volunteer' }, members });
    await vi.waitFor(() => expect(groups).toHaveBeenCalled());
    expect(screen.queryByTestId('group-new')).toBeNull();
  });
});
