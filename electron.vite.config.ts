/** electron-vite: main, preload and renderer builds, each rooted at its folder of the repo. */
import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { channels, events, streams } from './shared/ipc/contract';

/**
 * The dev server injects an inline React-refresh script and an HMR socket that the built app's CSP
 * forbids; in dev only, drop the meta CSP (both hosts still send the real one as a header when built).
 */
const devWithoutMetaCsp: Plugin = {
  name: 'study-desk:dev-without-meta-csp',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/s, ''),
};

/**
 * The renderer's wire client (shared/ipc/study-api.ts) needs only the contract's names at run time, not its zod
 * schemas (about 90 KB minified). In the renderer build its `./contract` import becomes a module of names alone,
 * computed here from the real contract, so the first screen ships no zod. Type imports are unaffected.
 */
const contractNamesModule = '\0study-desk:contract-names';
const rendererContractNames: Plugin = {
  name: 'study-desk:renderer-contract-names',
  enforce: 'pre',
  resolveId: (source, importer) =>
    source === './contract' && importer?.replaceAll('\\', '/').endsWith('/shared/ipc/study-api.ts') ? contractNamesModule : null,
  load: (id) => {
    if (id !== contractNamesModule) return null;
    const namesOf = (record: object) => JSON.stringify(Object.fromEntries(Object.keys(record).map((name) => [name, true])));
    return `export const channels = ${namesOf(channels)};\nexport const streams = ${namesOf(streams)};\nexport const events = ${namesOf(events)};\n`;
  },
};

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/main',
      // The core process (utilityProcess) and its worker threads (sync, content) are their own entries beside the bundle.
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          core: resolve('electron/core/process/entry.ts'),
          worker: resolve('electron/core/sync/worker.ts'),
          'content-worker': resolve('electron/core/content/worker.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin({ exclude: ['zod'] })],
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot load ES modules or require npm packages: one CommonJS file.
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [rendererContractNames, react(), devWithoutMetaCsp],
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves the renderer unminified; the first screen's weight is a benchmark (renderer_js_first_screen).
      minify: 'esbuild',
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
