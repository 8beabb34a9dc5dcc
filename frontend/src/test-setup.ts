// Loaded before every unit test file (vite.config.ts: test.setupFiles).
//
// The tests wait on conditions (vi.waitFor, testing-library's findBy*), never
// on sleeps. Their libraries give up after 1 s by default, which a loaded
// machine overruns: at a load of 33 (2 cores) DemandList's keyboard test
// failed waiting for virtua to measure its rows, though nothing was wrong.
// A condition that holds is found as soon as it holds, whatever the
// deadline, so the deadline is set for the slowest machine the tests run on
// (CI shares one with other jobs): 10 s, as the files' own `until` helpers
// already did. A test that passes a timeout of its own keeps it.
import { vi } from 'vitest';
import { configure } from '@testing-library/svelte';

/** How long a wait for a condition lasts before the test fails, in ms. */
export const WAIT_MS = 10_000;

const waitFor = vi.waitFor;
vi.waitFor = ((callback: Parameters<typeof waitFor>[0], options?: Parameters<typeof waitFor>[1]) =>
  waitFor(callback, typeof options === 'number' ? { timeout: options } : { timeout: WAIT_MS, ...options })) as typeof vi.waitFor;

configure({ asyncUtilTimeout: WAIT_MS });
