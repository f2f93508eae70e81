/**
 * The server for real: one listen on 127.0.0.1 with an ephemeral port, a few thousand random and malformed
 * requests over loopback (no 5xx, still serving), and serving while `--follow` ingests new blocks in the
 * same process, with the incrementally refreshed screening index equal to a fresh build.
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, openServer, type ServerHandle } from '../../src/api/index.js';
import { loadRules, ScreeningIndex } from '../../src/screen/index.js';
import { makeSimDb, type SimDb } from './fixture.js';

let sim: SimDb;
let server: ServerHandle;
let base: string;
let key: string;
const events: { kind: string; detail: Record<string, unknown> }[] = [];
let partialHeight = 0;

beforeAll(async () => {
  // Ingest only part of the chain: the rest arrives through --follow below.
  const probe = await makeSimDb({ seed: 5, cluster: false });
  partialHeight = Math.floor(probe.truth.chain.bestHeight * 0.7);
  probe.cleanup();
  // Without clustering: ingest cannot append to tables that clustering widened (transactions.coinjoin,
  // addresses.cluster) — reported to the ingest/cluster owners; the follow path itself is what is tested.
  sim = await makeSimDb({ seed: 5, toHeight: partialHeight, cluster: false });
  const keysPath = join(sim.dir, 'keys.json');
  key = createApiKey(keysPath, 'fuzz', { ratePerSec: 1e6, burst: 1e6 }).key;
  server = await openServer({
    dbPath: sim.dbPath,
    version: '0.1.0',
    keys: keysPath,
    waitForIndex: true,
    follow: { blocksDir: sim.blocksDir, intervalSec: 3600, workers: 0 },
    onEvent: (e) => events.push(e),
  });
  base = await server.app.listen({ port: 0, host: '127.0.0.1' });
}, 240_000);

afterAll(async () => {
  await server?.close();
  sim?.cleanup();
});

describe('real listen on loopback', () => {
  it('answers over TCP on an ephemeral port', async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const h = await fetch(`${base}/v1/health`);
    expect(h.status).toBe(200);
    const s = await fetch(`${base}/v1/screen/address/${sim.thiefAddress}`, { headers: { authorization: `Bearer ${key}` } });
    expect(s.status).toBe(200);
    expect(((await s.json()) as { level: string }).level).toBe('severe');
  });
});

describe('random and malformed requests', () => {
  it('3,000 requests: every answer is a 2xx/4xx (problem documents for errors) and the server stays up', async () => {
    const paths = [
      '/v1/screen/address/',
      '/v1/addresses/',
      '/v1/transactions/',
      '/v1/clusters/',
      '/v1/labels/',
      '/v1/actors/',
      '/v1/incidents/',
      '/api/v1/address/',
      '/v1/screen/batch',
      '/v1/screen/tx',
      '/v1/screen/address',
      '/v1/trace',
      '/v1/screen/names',
      '/v1/actors?q=',
      '/v1/incidents?limit=',
      '/v1/addresses/SEG/transactions?limit=5&offset=',
      '/v1/clusters/SEG/addresses?limit=',
      '/v1/incidents/SEG/trace?policy=',
      '/v1/',
      '/',
    ];
    const segment = fc.oneof(
      fc.constant(sim.thiefAddress),
      fc.string({ maxLength: 120 }),
      fc.stringMatching(/^[0-9a-f]{0,70}$/),
      fc.integer().map(String),
      fc.constantFrom('%', '%zz', '..%2f..%2fetc%2fpasswd', '%00', '1'.repeat(300), 'bc1q', '?limit=-1', '?offset=abc&x=1'),
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 3 }),
      fc.record({ address: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }),
      fc.record({ addresses: fc.array(fc.oneof(fc.string({ maxLength: 60 }), fc.constant(sim.thiefAddress)), { maxLength: 30 }) }),
      fc.record({ txid: fc.stringMatching(/^[0-9a-f]{60,66}$/), direction: fc.string({ maxLength: 10 }) }),
      fc.record({ from: fc.array(fc.string({ maxLength: 70 }), { maxLength: 3 }), maxHops: fc.integer() }),
      fc.record({ queries: fc.array(fc.record({ name: fc.string({ maxLength: 40 }) }), { maxLength: 3 }) }),
    );
    const auth = fc.constantFrom<Record<string, string>>(
      { authorization: `Bearer ${key}` },
      { 'x-api-key': key },
      {},
      { authorization: 'Bearer nope' },
      { authorization: 'Basic Zm9vOmJhcg==' },
      { 'x-api-key': '' },
    );
    const req = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      path: fc.constantFrom(...paths),
      seg: segment,
      body,
      auth,
      ctype: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', ''),
    });
    const samples = fc.sample(req, { numRuns: 3000, seed: 42 });
    const statuses = new Map<number, number>();
    const bad: string[] = [];
    for (let i = 0; i < samples.length; i += 50) {
      await Promise.all(
        samples.slice(i, i + 50).map(async (s) => {
          const enc = encodeURIComponent(s.seg).replace(/%3F/g, '?');
          const takesSeg = s.path.endsWith('/') || s.path.endsWith('=');
          let url = `${base}${s.path.replace('SEG', enc)}${takesSeg ? enc : ''}`;
          if (url.length > 4000) url = url.slice(0, 4000);
          const headers: Record<string, string> = { ...s.auth };
          let payload: string | undefined;
          if (s.method !== 'GET' && s.body !== undefined) {
            payload = typeof s.body === 'string' ? s.body : JSON.stringify(s.body);
            if (s.ctype) headers['content-type'] = s.ctype;
          }
          const res = await fetch(url, { method: s.method, headers, ...(payload === undefined ? {} : { body: payload }) });
          const text = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          // 503 LH_NOT_READY is the documented answer of name screening when no list is loaded.
          const notReady = res.status === 503 && text.includes('"LH_NOT_READY"');
          if (res.status >= 500 && !notReady) bad.push(`${s.method} ${url} -> ${res.status} ${text.slice(0, 200)}`);
          if (res.status >= 400 && !String(res.headers.get('content-type')).startsWith('application/problem+json')) {
            bad.push(`${s.method} ${url} -> ${res.status} with ${res.headers.get('content-type')}`);
          }
          if (/node_modules|\.ts:\d+|at [A-Za-z.]+ \(/.test(text)) bad.push(`${s.method} ${url} leaked internals: ${text.slice(0, 200)}`);
        }),
      );
    }
    expect(bad.slice(0, 10)).toEqual([]);
    // The mix really exercised both successes and client errors.
    expect([...statuses.keys()].some((k) => k === 200)).toBe(true);
    expect([...statuses.keys()].filter((k) => k >= 400 && k < 500).length).toBeGreaterThanOrEqual(4);
    expect((await fetch(`${base}/v1/health`)).status).toBe(200);
  }, 240_000);

  it('garbage on the socket does not kill the server', async () => {
    const port = Number(new URL(base).port);
    for (const junk of ['GARBAGE\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', `POST /v1/screen/batch HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n{"a`, '\x00\x01\x02\xff\r\n\r\n']) {
      await new Promise<void>((resolve) => {
        const sock = connect(port, '127.0.0.1', () => sock.end(junk));
        sock.on('data', () => undefined);
        sock.on('error', () => resolve());
        sock.on('close', () => resolve());
        setTimeout(() => {
          sock.destroy();
          resolve();
        }, 2000);
      });
    }
    expect((await fetch(`${base}/v1/health`)).status).toBe(200);
  }, 30_000);
});

describe('serving while new blocks are ingested (--follow, one process)', () => {
  it('keeps answering during ingest; the refreshed index covers the new blocks and equals a fresh build', async () => {
    const before = (await (await fetch(`${base}/v1/health`)).json()) as { tipHeight: number; screenedThroughHeight: number };
    expect(before.tipHeight).toBe(partialHeight);
    const known = await server.backend.lock.run(() => server.backend.db.one<{ address: string }>('SELECT address FROM addresses WHERE address_id = 5'));
    let stop = false;
    let answered = 0;
    const failures: string[] = [];
    const load = (async () => {
      while (!stop) {
        const [s, a] = await Promise.all([
          fetch(`${base}/v1/screen/address/${sim.thiefAddress}`, { headers: { 'x-api-key': key } }),
          fetch(`${base}/v1/addresses/${known!.address}/transactions?limit=5`, { headers: { 'x-api-key': key } }),
        ]);
        for (const r of [s, a]) {
          if (r.status !== 200) failures.push(`${r.url} ${r.status} ${await r.text()}`);
          else await r.arrayBuffer();
          answered++;
        }
      }
    })();
    let added = 0;
    try {
      added = await server.followOnce();
    } finally {
      stop = true;
      await load;
    }
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(0);
    expect(added).toBe(sim.truth.chain.bestHeight - partialHeight);
    const after = (await (await fetch(`${base}/v1/health`)).json()) as { tipHeight: number; screenedThroughHeight: number };
    expect(after.tipHeight).toBe(sim.truth.chain.bestHeight);
    expect(after.screenedThroughHeight).toBe(sim.truth.chain.bestHeight);
    const refreshed = events.find((e) => e.kind === 'index-refreshed');
    expect(refreshed?.detail.mode).toBe('incremental');

    // The incremental index answers exactly as one built from scratch on the same data.
    const incremental = server.backend.index!;
    const fresh = await server.backend.lock.run(() => ScreeningIndex.build(server.backend.db, loadRules()));
    const sample = sim.truth.addresses.filter((_, i) => i % 7 === 0).map((a) => a.address);
    sample.push(sim.thiefAddress, sim.sanctionedAddress);
    let compared = 0;
    for (const a of sample) {
      const x = incremental.screenAddress(a);
      const y = fresh.screenAddress(a);
      expect(x.score, a).toBe(y.score);
      for (const side of ['received', 'sent'] as const) {
        expect(x.indirect[side].totalSat, `${a} ${side}`).toBe(y.indirect[side].totalSat);
        const ex = x.indirect[side].categories.map((c) => [c.category, c.byHop.map((v) => v.toFixed(5))]);
        const ey = y.indirect[side].categories.map((c) => [c.category, c.byHop.map((v) => v.toFixed(5))]);
        expect(ex, `${a} ${side}`).toEqual(ey);
      }
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  }, 240_000);
});
