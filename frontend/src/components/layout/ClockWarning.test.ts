import { describe, it, expect, vi, beforeAll } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { setupI18n } from '../../lib/i18n';

const { clock, on } = vi.hoisted(() => ({ clock: vi.fn(), on: vi.fn(() => () => {}) }));
vi.mock('../../api', async () => {
  const events = await import('../../api/events');
  return { ...events, api: { clock, on } };
});

import ClockWarning from './ClockWarning.svelte';

beforeAll(() => setupI18n('en'));

describe('ClockWarning', () => {
  it('says how far behind the clock is and how many changes wait', async () => {
    clock.mockResolvedValueOnce({ behindMs: 2 * 3600_000, held: 3, warn: true });
    render(ClockWarning);
    await vi.waitFor(() => expect(screen.getByTestId('clock-warning').textContent).toContain('2 h ahead'));
    expect(screen.getByTestId('clock-warning').textContent).toContain('3 changes are waiting');
  });
  it('tells of changes held without blaming this clock when one member is ahead', async () => {
    clock.mockResolvedValueOnce({ behindMs: 0, held: 2, warn: false });
    render(ClockWarning);
    await vi.waitFor(() => expect(screen.getByTestId('held-notice').textContent).toContain('2 changes from other members'));
    expect(screen.queryByTestId('clock-warning')).toBeNull();
  });
  it('says nothing when the clock agrees with the network', async () => {
    clock.mockResolvedValueOnce({ behindMs: 4000, held: 0, warn: false });
    render(ClockWarning);
    await vi.waitFor(() => expect(clock).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId('clock-warning')).toBeNull();
  });
});
