import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Builds the investigator UI into web/dist, which `ledgerhound serve` serves at `/`.
 * In development (`npx vite web`), API calls (/v1, /openapi.json) are proxied to a running `ledgerhound serve`
 * (LEDGERHOUND_API, default http://127.0.0.1:8080).
 */
export default defineConfig(({ mode }) => {
  // The React plugin picks the JSX runtime (jsx or jsxDEV) by NODE_ENV too: a production build run from
  // a process with NODE_ENV=test (vitest) would pair jsxDEV calls with React's production build and
  // render nothing. Align both with the mode.
  if (mode === 'production') process.env.NODE_ENV = 'production';
  return {
  root,
  // React picks its production build by process.env.NODE_ENV; vite 8 leaves it to the environment,
  // where it is usually unset: a plain `vite build` shipped React's development build (measured: the
  // "React DevTools" banner in the bundle). Pin it by mode.
  define: { 'process.env.NODE_ENV': JSON.stringify(mode === 'production' ? 'production' : 'development') },
  base: '/',
  plugins: [react()],
  build: {
    sourcemap: process.env.LEDGERHOUND_SOURCEMAP === '1', // source maps for profiling
    outDir: 'dist',
    emptyOutDir: true,
    // One graph library chunk is large by nature (cytoscape): do not warn about it.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: Object.fromEntries(['/v1', '/openapi.json'].map((p) => [p, process.env.LEDGERHOUND_API ?? 'http://127.0.0.1:8080'])),
  },
  };
});
