/**
 * The investigator UI in a real browser (Debian Chromium via playwright-core) against a real server:
 * the demo database (simulated Lazarus-style hack, ingested, clustered, labelled) served by the same
 * `openServer` that `ledgerhound serve` runs, with the built web app. Every test fails on any console
 * error; screenshots go to test-results/e2e/. Timings are printed and written to
 * test-results/e2e/timings.json (docs/UI.md reports them); nothing asserts on them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openServer, type ServerHandle } from '../../src/api/index.js';
import { afterRender, firstDrawing, openBrowser, renderStatus, SCREENSHOTS, type Session } from './browser.js';
import { buildDemoDb, type DemoDb, LAZARUS } from './demoDb.js';

const root = process.cwd();
let demo: DemoDb;
let server: ServerHandle;
let base: string;
let s: Session;
const timings: Record<string, number | string> = {};

beforeAll(async () => {
  // The app exactly as `npm run build:web` builds it (own process: vitest's NODE_ENV=test stays out of
  // the bundle), into web/dist, which serve serves.
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web', '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  demo = await buildDemoDb(1);
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  server = await openServer({ dbPath: demo.dbPath, version, keys: 'none', webDist: join(root, 'web', 'dist'), waitForIndex: true });
  base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  s = await openBrowser();
}, 240_000);

afterAll(async () => {
  writeFileSync(join(SCREENSHOTS, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
  await s?.close();
  await server?.close();
  demo?.cleanup();
});

afterEach(async (ctx) => {
  await s.shot(ctx.task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
  expect(s.takeErrors()).toEqual([]);
});

describe('investigator UI on the demo incident', () => {
  it('lists the incident on the start page', async () => {
    await s.page.goto(`${base}/`);
    const list = s.page.getByTestId('incident-list');
    await expect.poll(() => list.textContent({ timeout: 5_000 }), { timeout: 20_000 }).toContain(demo.incident.name);
  });

  it('loads the incident page: flow graph, endpoints at the cash-out exchanges, timeline', async () => {
    // A fresh document, so the navigation start the mark is measured from is this page's.
    await s.page.goto('about:blank');
    await s.page.goto(`${base}/#/incident/${demo.incidentId}`);
    await firstDrawing(s.page);
    // Navigation start → first graph drawn (performance mark set by the flow view).
    const ready = await s.page.evaluate(() => performance.getEntriesByName('lh:graph-ready')[0]?.startTime ?? -1);
    timings.incidentInteractiveMs = Math.round(ready);
    const st = await renderStatus(s.page);
    timings.incidentFirstDrawNodes = st.nodes;
    expect(st.nodes).toBeGreaterThan(3);
    await expect.poll(() => s.page.getByRole('heading', { level: 1 }).textContent()).toBe(demo.incident.name);
    const endpoints = (await s.page.getByTestId('endpoints').textContent()) ?? '';
    // Every exchange the thief cashed out at shows up as an endpoint (the OTC desk too).
    for (const name of demo.cashOutEntities) expect(endpoints).toContain(name);
    expect(await s.page.getByTestId('summary-policy').textContent()).toBe('haircut');
    expect(await s.page.locator('svg.timeline rect').count()).toBeGreaterThan(0);
    expect(await s.page.getByTestId('narrative').textContent()).toContain('haircut');
  });

  it('expands and collapses a node with the keyboard and the node panel', async () => {
    const before = await renderStatus(s.page);
    // Find a collapsed node by its label text, open it from the node panel.
    await s.page.getByTestId('find-node').fill(demo.attackerAddress.slice(0, 6));
    await s.page.getByTestId('find-node').press('Enter');
    await s.page.getByTestId('node-panel').waitFor();
    // The start's attacker address is open: collapse it (its next hops leave), then expand again.
    const collapsed = await afterRender(s.page, () => s.page.getByRole('button', { name: 'Collapse next hops' }).click());
    expect(collapsed.nodes).toBeLessThan(before.nodes);
    const expanded = await afterRender(s.page, () => s.page.getByRole('button', { name: 'Expand next hops' }).click());
    expect(expanded.nodes).toBe(before.nodes);
    timings.demoExpandMs = expanded.ms;
    // Keyboard: focus the graph, move to a node, Enter toggles it.
    await s.page.getByTestId('flow-graph').focus();
    await s.page.keyboard.press('ArrowRight');
    await s.page.getByTestId('node-panel').waitFor();
    const viaKey = await afterRender(s.page, () => s.page.keyboard.press('Enter'));
    expect(viaKey.nodes).not.toBe(expanded.nodes);
  });

  it('switches the policy and shows different figures', async () => {
    const haircut = await s.page.getByTestId('summary-endpoints').textContent();
    await s.page.getByRole('radio', { name: 'poison' }).check();
    await expect.poll(() => s.page.getByTestId('summary-policy').textContent(), { timeout: 60_000 }).toBe('poison');
    const poison = await s.page.getByTestId('summary-endpoints').textContent();
    expect(poison).not.toBe(haircut);
    expect(s.page.url()).toContain('policy=poison');
  });

  it('exports the endpoints as CSV', async () => {
    const [download] = await Promise.all([s.page.waitForEvent('download'), s.page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/-poison-endpoints\.csv$/);
    const file = join(SCREENSHOTS, download.suggestedFilename());
    await download.saveAs(file);
    const lines = readFileSync(file, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('entity,category,label_category,traced_sat,traced_btc,first_time,last_time,policy,nodes');
    for (const name of demo.cashOutEntities) expect(lines.some((l) => l.startsWith(`${name},`))).toBe(true);
    expect(lines.slice(1).every((l) => l.includes(',poison,'))).toBe(true);
  });

  it('exports the graph as PNG and SVG and the trace as JSON', async () => {
    const save = async (button: string) => {
      const [d] = await Promise.all([s.page.waitForEvent('download'), s.page.getByRole('button', { name: button, exact: true }).click()]);
      const file = join(SCREENSHOTS, d.suggestedFilename());
      await d.saveAs(file);
      return readFileSync(file);
    };
    const png = await save('PNG');
    expect(png.subarray(0, 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
    const svg = (await save('SVG')).toString('utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('</svg>');
    const trace = JSON.parse((await save('Trace JSON')).toString('utf8')) as { schema: string; policy: { name: string }; query: { incident: string } };
    expect(trace.schema).toBe('ledgerhound.trace');
    expect(trace.policy.name).toBe('poison');
    expect(trace.query.incident).toBe(demo.incidentId);
  });
});

describe('search, address and cluster pages', () => {
  it('finds a cash-out address by search and opens it, attributed to its exchange through its cluster', async () => {
    await s.page.getByTestId('search-input').fill(demo.depositAddress);
    await s.page.getByTestId('search-input').press('Enter');
    const hit = s.page.getByTestId('search-results').getByRole('link', { name: demo.depositAddress });
    await hit.click();
    // The demo's labels do not name the thief's deposit addresses: clustering attributes them.
    await s.page.getByTestId('labels-none').waitFor();
    await s.page.getByTestId('cluster-labels').waitFor();
    const labels = (await s.page.getByTestId('cluster-labels').textContent()) ?? '';
    expect(labels).toContain('Demo exchange and OTC desk addresses (investigator attribution data)');
    expect(demo.cashOutEntities.some((n) => labels.includes(n))).toBe(true);
    await s.page.getByTestId('txs').locator('tbody tr').first().waitFor();
  });

  it('opens the cluster page from the address page', async () => {
    const link = s.page.getByTestId('cluster-link');
    const text = (await link.textContent()) ?? '';
    const id = /cluster (\d+)/.exec(text)?.[1];
    expect(id).toBeDefined();
    await link.click();
    await expect.poll(() => s.page.getByTestId('cluster-title').textContent()).toBe(`Cluster ${id}`);
    await s.page.getByTestId('cluster-addresses').locator('tbody tr').first().waitFor();
    expect(await s.page.getByTestId('labels').textContent()).toContain('exchange');
  });

  it('shows the actor page of Lazarus Group with aliases, sanctions and the attributed incident', async () => {
    await s.page.getByTestId('search-input').fill('HIDDEN COBRA');
    await s.page.getByTestId('search-input').press('Enter');
    await s.page.getByTestId('search-results').getByRole('link', { name: 'Lazarus Group' }).click({ timeout: 20_000 });
    await expect.poll(() => s.page.getByTestId('actor-name').textContent()).toBe('Lazarus Group');
    const page = (await s.page.locator('main').textContent()) ?? '';
    expect(page).toContain('APT38');
    expect(await s.page.getByTestId('actor-sanctions').textContent()).toContain('LAZARUS GROUP (SDN entry, DPRK3)');
    await expect.poll(() => s.page.getByTestId('actor-incidents').textContent()).toContain(demo.incident.name);
    expect(s.page.url()).toContain(`#/actor/${LAZARUS}`);
  });
});

describe('flow view on a generated 2,000-node graph', () => {
  it('draws it and expands a node', async () => {
    await s.page.goto(`${base}/#/lab/synthetic?nodes=2000`);
    await firstDrawing(s.page);
    const all = await afterRender(s.page, () => s.page.getByRole('button', { name: 'Expand all' }).click());
    expect(all.nodes).toBe(2000);
    timings.synthetic2000FullLayoutMs = all.ms;
    const expands: number[] = [];
    for (const label of ['bc1qsy…0064', 'bc1qsy…012c', 'bc1qsy…01f4']) {
      await s.page.getByTestId('find-node').fill(label.slice(-4));
      await s.page.getByTestId('find-node').press('Enter');
      await s.page.getByTestId('node-panel').waitFor();
      const panel = s.page.getByTestId('node-panel');
      if ((await panel.getByRole('button', { name: 'Collapse next hops' }).count()) === 0) continue;
      const c = await afterRender(s.page, () => panel.getByRole('button', { name: 'Collapse next hops' }).click());
      expect(c.nodes).toBeLessThan(2000);
      const e = await afterRender(s.page, () => panel.getByRole('button', { name: 'Expand next hops' }).click());
      expect(e.nodes).toBe(2000);
      expands.push(e.ms);
    }
    expect(expands.length).toBeGreaterThan(0);
    timings.synthetic2000ExpandMs = expands.map((m) => m.toFixed(0)).join(', ');
    console.log('UI timings', timings);
  }, 240_000);
});
