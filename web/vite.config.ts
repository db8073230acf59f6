import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The screens' build: web/ in, dist/web out (served by the service at /). No inline script or
// style in the output, so the page's Content-Security-Policy can allow this origin's files only.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
});
