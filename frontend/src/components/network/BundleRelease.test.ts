import { describe, it, expect, vi, beforeAll } from 'vitest';
import { render, fireEvent, screen, cleanup } from '@testing-library/svelte';
import { setupI18n, setLocale } from '../../lib/i18n';

const m = vi.hoisted(() => ({ saveRelease: vi.fn(), ignoreRelease: vi.fn() }));
vi.mock('../../api', async () => {
  const errors = await import('../../api/errors');
  return { ...errors, api: { saveRelease: m.saveRelease, ignoreRelease: m.ignoreRelease } };
});

import BundleRelease from './BundleRelease.svelte';

beforeAll(() => setupI18n('zh-CN'));

const base = { present: true, name: 'reliefmesh-0.2.0-setup.exe', size: 12 << 20, version: 'reliefmesh 0.2.0', keyId: '6C7296C93D50E521', detail: 'NOT VERIFIED: …' };

describe('a release carried by a bundle', () => {
  it('verified: offered to save or ignore, never installed', async () => {
    setLocale('zh-CN');
    m.saveRelease.mockResolvedValueOnce('/home/a/setup.exe');
    render(BundleRelease, { release: { ...base, outcome: 'verified', problem: '' } });
    const box = screen.getByTestId('bundle-release');
    expect(box.textContent).toContain('有经过签名的更新可用：reliefmesh 0.2.0');
    expect(box.textContent).toContain('12.0 MB');
    await fireEvent.click(screen.getByTestId('release-save'));
    await vi.waitFor(() => expect(screen.getByTestId('release-saved').textContent).toContain('/home/a/setup.exe'));
    expect(m.saveRelease).toHaveBeenCalledWith(base.name);
    await fireEvent.click(screen.getByTestId('release-ignore'));
    await vi.waitFor(() => expect(screen.getByTestId('bundle-release').textContent).toContain('已忽略此更新'));
    expect(m.ignoreRelease).toHaveBeenCalledWith(base.name);
    cleanup();
  });
  for (const lang of ['zh-CN', 'en'] as const) {
    it(`not verified (${lang}): each problem its own words, no save button`, () => {
      setLocale(lang);
      const seen = new Set<string>();
      for (const problem of ['no_signature', 'unknown_key', 'bad_signature', 'not_listed', 'no_keys']) {
        render(BundleRelease, { release: { ...base, outcome: 'refused', problem } });
        const text = screen.getByTestId('bundle-release').textContent ?? '';
        expect(text).toContain(base.name);
        expect(text).not.toContain(`release.refused_${problem}`);
        expect(screen.queryByTestId('release-save')).toBeNull();
        seen.add(text);
        cleanup();
      }
      expect(seen.size).toBe(5);
      render(BundleRelease, { release: { ...base, outcome: 'damaged', problem: '' } });
      expect(screen.getByTestId('bundle-release').textContent).toMatch(lang === 'en' ? /damaged or cut short/ : /已损坏或不完整/);
      cleanup();
    });
  }
});
