import { describe, it, expect, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { locale } from 'svelte-i18n';
import { setupI18n } from '../../lib/i18n';

vi.mock('../../api', async () => {
  const events = await import('../../api/events');
  return { ...events, api: { recoverDamaged: vi.fn(), on: vi.fn(() => () => {}) } };
});

import StartupError from './StartupError.svelte';

const badger = 'data directory /home/li/.local/share/reliefmesh is in use by another program (…): Cannot acquire directory lock on "/home/li/.local/share/reliefmesh/db".  Another process is using this Badger database.';
const info = { deviceId: '', dataDir: '/home/li/.local/share/reliefmesh', startupError: badger, startupCode: 'in_use',
  startupArgs: { dir: '/home/li/.local/share/reliefmesh' }, networkId: '', networkName: '', memberName: '', role: '',
  practice: false, practiceExists: false, revoked: false, revokedBy: { id: '', name: '' }, revokedAt: 0 };

describe('StartupError: data directory in use', () => {
  it('says in Chinese that another ReliefMesh is running, with the hint, not Badger\'s English', async () => {
    setupI18n('zh-CN');
    await locale.set('zh-CN');
    render(StartupError, { info });
    const text = screen.getByTestId('startup-error').textContent ?? '';
    expect(screen.getByTestId('startup-in-use').textContent).toContain('数据目录 /home/li/.local/share/reliefmesh 正被另一个程序使用');
    expect(text).toContain('已经开着一个聚援');
    expect(text).toContain('--data-dir');
    expect(screen.queryByTestId('recover-damaged')).toBeNull();
    // Badger's message stays available, folded away, for whoever asks for help
    expect(screen.getByTestId('startup-error').querySelector('details pre')?.textContent).toContain('Another process');
  });
  it('says it in English when the UI is in English', async () => {
    setupI18n('en');
    await locale.set('en');
    render(StartupError, { info });
    expect(screen.getByTestId('startup-in-use').textContent).toContain('is in use by another program: most likely ReliefMesh is already open');
  });
});
