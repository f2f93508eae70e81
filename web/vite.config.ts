import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Builds the investigator UI into web/dist, which `ledgerhound serve` serves at `/`.
 * In development (`npx vite web`), API calls are proxied to a running `ledgerhound serve`
 * (LEDGERHOUND_API, default http://127.0.0.1:8080).
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    sourcemap: process.env.LEDGERHOUND_SOURCEMAP === "1",
    outDir: 'dist',
    emptyOutDir: true,
    // One graph library chunk is large by nature (cytoscape): do not warn about it.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { '/api': process.env.LEDGERHOUND_API ?? 'http://127.0.0.1:8080' },
  },
});
