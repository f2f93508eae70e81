import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Runs only the web app's unit tests: `npx vitest run --config web/vitest.config.ts`. */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: { include: ['web/src/**/*.test.ts'] },
});
