import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The desktop app loads frontend/dist through Wails; `wails dev -s` serves the same
// build to browsers on port 34115 for the end-to-end tests.
export default defineConfig({
  plugins: [svelte()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.ts'],
    // waits on conditions last up to 10 s (src/test-setup.ts), so a test
    // that waits a few times on a loaded machine is not cut off at 5 s
    setupFiles: ['src/test-setup.ts'],
    testTimeout: 60_000,
  },
});
