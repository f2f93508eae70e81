/**
 * Browser-test support: Debian's Chromium (/usr/bin/chromium, installed by .ci/apt-packages) driven by
 * playwright-core, which never downloads a browser. Every console error and uncaught page error is
 * collected so a test can fail on it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.LEDGERHOUND_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'e2e');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Session {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far (cleared by takeErrors). */
  errors: string[];
  takeErrors(): string[];
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Launches Chromium with one page; fails with the install command when the browser is missing. */
export async function openBrowser(): Promise<Session> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (listed in .ci/apt-packages) or set LEDGERHOUND_CHROMIUM`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return {
    browser,
    context,
    page,
    errors,
    takeErrors: () => errors.splice(0, errors.length),
    shot: async (name) => {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
    },
    close: async () => {
      await context.close();
      await browser.close();
    },
  };
}

/** The render status line of the flow view: time of the last drawing (ms), nodes drawn, drawings so far. */
export async function renderStatus(page: Page): Promise<{ ms: number; nodes: number; count: number }> {
  const el = page.getByTestId('render-status');
  return {
    ms: Number(await el.getAttribute('data-ms')),
    nodes: Number(await el.getAttribute('data-nodes')),
    count: Number(await el.getAttribute('data-count')),
  };
}

/** Runs `action` and waits for the flow view to finish the drawing it causes; returns the new status. */
export async function afterRender(page: Page, action: () => Promise<void>): Promise<{ ms: number; nodes: number; count: number }> {
  const before = (await renderStatus(page)).count;
  await action();
  await page.waitForFunction(`Number(document.querySelector('[data-testid="render-status"]')?.getAttribute('data-count')) > ${before}`, null, {
    timeout: 60_000,
  });
  return renderStatus(page);
}

/** Waits until the flow view has drawn its graph once. */
export async function firstDrawing(page: Page): Promise<void> {
  await page.waitForFunction(`Number(document.querySelector('[data-testid="render-status"]')?.getAttribute('data-count')) >= 1`, null, {
    timeout: 90_000,
  });
}
