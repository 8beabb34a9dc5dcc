// Starts and stops the real Go backend with `wails dev` (port 34115) under Xvfb,
// and launches Debian's Chromium through playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const OUT = join(ROOT, 'test-output');
// E2E_PORT moves the dev server off 34115 (several worktrees on one machine).
const PORT = process.env.E2E_PORT || '34115';
export const URL = `http://localhost:${PORT}/`;
mkdirSync(OUT, { recursive: true });

export function tempDataDir() {
  return mkdtempSync(join(tmpdir(), 'reliefmesh-e2e-'));
}

/** poll calls fn until it returns a truthy value or the deadline passes. */
export async function poll(fn, { timeout = 120_000, interval = 200, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

/** startBackend runs `wails dev` on dataDir and resolves once port 34115 serves the app. */
export async function startBackend(dataDir, env = {}) {
  // wails dev -s serves frontend/dist as built: without it the server answers
  // nothing and the wait below ran out after 5 minutes without saying why
  if (!existsSync(join(ROOT, 'frontend', 'dist', 'index.html'))) {
    throw new Error('frontend/dist/index.html is missing: build the frontend first (cd frontend && npm run build; make test-e2e does it)');
  }
  const args = ['-a', '-s', '-screen 0 1280x800x24', 'go', 'tool', 'wails', 'dev',
    '-tags', 'webkit2_41', '-s', '-m', '-nosyncgomod', '-skipbindings', '-noreload', '-nogorebuild', '-nocolour',
    ...(process.env.E2E_PORT ? ['-devserver', `localhost:${PORT}`] : [])];
  const proc = spawn('xvfb-run', args, {
    cwd: ROOT,
    // RELIEFMESH_STORE_KEY: the store is encrypted at rest with this test key;
    // without it a new data directory on a machine with no keyring (CI, this
    // sandbox) opens on the "choose a passphrase" screen.
    env: { ...process.env, RELIEFMESH_DATA: dataDir, RELIEFMESH_LISTEN: '/ip4/127.0.0.1/tcp/0',
      RELIEFMESH_STORE_KEY: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stdout.on('data', (d) => (log += d));
  proc.stderr.on('data', (d) => (log += d));
  const exited = new Promise((r) => proc.on('exit', r));
  let gone = false;
  exited.then(() => (gone = true));
  await poll(
    async () => {
      if (gone) throw new Error(`wails dev exited:\n${log}`);
      const res = await fetch(URL);
      return res.ok;
    },
    { timeout: 300_000, what: `wails dev on ${URL}` },
  ).catch((e) => {
    try { process.kill(-proc.pid, 'SIGKILL'); } catch {}
    throw new Error(`${e.message}\n--- wails dev log ---\n${log}`);
  });
  return {
    log: () => log,
    async stop() {
      // Quit the app first, the way a person or the session ending does (it
      // quits on SIGTERM as on closing its window): it closes its store
      // cleanly. Killed with the rest of the group, its next start would wait
      // for its own newest changes from a peer (an unclean stop).
      try { execFileSync('pkill', ['-TERM', '-g', String(proc.pid), '-f', 'build/bin/reliefmesh']); } catch {}
      // Wait for the app's process itself to end (it closes its store on the
      // way out), not only its web server, which stops first: signalling the
      // group while the store still closes made the next start an unclean
      // one on a loaded machine (seen once in CI: "waiting for its newest
      // changes", the restart test then timed out).
      await poll(async () => { try { execFileSync('pgrep', ['-g', String(proc.pid), '-f', 'build/bin/reliefmesh']); return false; } catch { return true; } },
        { timeout: 60_000, what: 'the app to quit' })
        .catch(() => {});
      try { process.kill(-proc.pid, 'SIGTERM'); } catch {}
      const t = setTimeout(() => { try { process.kill(-proc.pid, 'SIGKILL'); } catch {} }, 10_000);
      await exited;
      clearTimeout(t);
      // the port must be free before the next start
      await poll(async () => { try { await fetch(URL); return false; } catch { return true; } }, { timeout: 30_000, what: 'port 34115 to close' });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
