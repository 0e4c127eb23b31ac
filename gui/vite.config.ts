// Builds the playground's front end (gui/) into dist/gui at `npm install` (prepare) and `npm run
// build`: one page, scripts and styles bundled, nothing fetched from a CDN at run time.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/gui', import.meta.url)),
    emptyOutDir: true,
    // ECharts is most of the bundle; one file loads faster than a waterfall on a local server.
    chunkSizeWarningLimit: 4000,
    reportCompressedSize: false,
  },
});
