/**
 * The dashboard's build: web/ → dist/dashboard/ (index.html + content-hashed assets), served by `kubeguard serve`.
 * Everything is bundled: the page loads nothing from outside the server (no CDN, no web fonts).
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // the graph and chart libraries load only on the pages that draw them
    chunkSizeWarningLimit: 700,
    modulePreload: { polyfill: false },
  },
});
