/**
 * The HTTP API over a real DuckDB file (simulated chain, clustered and labelled), through app.inject():
 * auth, problem documents, validation, screening, compatibility route, audit log, OpenAPI.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createApiKey, openServer, revokeApiKey, type ServerHandle } from '../../src/api/index.js';
import { riskSummary, riskSummaryJson } from '../../src/api/backend.js';
import { addressRiskSchema } from '../../src/api/routes/schemas.js';
import type { AddressRisk } from '../../src/screen/index.js';
import { Database } from '../../src/store/index.js';
import { TRACE_RESULT_VERSION, TraceResultSchema } from '../../src/trace/index.js';
import { loadOfac } from '../../src/labels/sources/ofac/index.js';
import { loadList } from '../../src/screen/names/index.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { makeSimDb, type SimDb } from './fixture.js';

let sim: SimDb;
let server: ServerHandle;
let key: string;
let keysPath: string;
let someTxid: string;

beforeAll(async () => {
  sim = await makeSimDb();
  keysPath = join(sim.dir, 'keys.json');
  key = createApiKey(keysPath, 'tests', { ratePerSec: 100_000, burst: 100_000 }).key;
  server = await openServer({ dbPath: sim.dbPath, version: '0.1.0', keys: keysPath, waitForIndex: true });
  const r = await server.backend.db.one<{ txid: string }>('SELECT txid FROM transactions WHERE tx_id = 500');
  someTxid = r!.txid;
}, 180_000);

afterAll(async () => {
  await server?.close();
  sim?.cleanup();
});

const auth = () => ({ authorization: `Bearer ${key}` });

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({ status, code });
  expect(typeof body.detail).toBe('string');
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+|node_modules|\/tmp\//);
  return body;
}

describe('meta routes', () => {
  it('health and version need no key; version names the rule set', async () => {
    const h = await server.app.inject({ url: '/v1/health' });
    expect(h.statusCode).toBe(200);
    expect(h.json()).toMatchObject({ status: 'ok', network: 'main', screeningReady: true });
    const v = await server.app.inject({ url: '/v1/version' });
    expect(v.json()).toMatchObject({ name: 'ledgerhound', api: 'v1', ruleSet: { id: 'ledgerhound-default', version: server.rules.info.version } });
  });

  it('serves an OpenAPI 3.1 document listing the routes, with security schemes', async () => {
    const r = await server.app.inject({ url: '/openapi.json' });
    const doc = r.json() as { openapi: string; paths: Record<string, Record<string, unknown>>; components: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/v1/screen/address/{address}', '/v1/screen/batch', '/v1/screen/tx', '/api/v1/address/{address}', '/v1/addresses/{address}/transactions', '/v1/clusters/{id}']) {
      expect(doc.paths[p], p).toBeDefined();
    }
    expect(doc.paths['/v1/addresses/{address}/transactions']?.get).toMatchObject({ parameters: expect.arrayContaining([expect.objectContaining({ name: 'limit', in: 'query' })]) });
    expect(doc.components).toHaveProperty('securitySchemes.bearerAuth');
    // The trace routes publish src/trace's result schema.
    const trace = doc.paths['/v1/trace']?.post as { responses: Record<string, { content: Record<string, { schema: { properties: object } }> }> };
    expect(Object.keys(trace.responses['200']!.content['application/json']!.schema.properties)).toContain('version');
  });
});

describe('auth and rate limits', () => {
  it('refuses a missing, malformed or unknown key (401 problem)', async () => {
    expectProblem(await server.app.inject({ url: `/v1/screen/address/${sim.thiefAddress}` }), 401, 'LH_AUTH_MISSING');
    expectProblem(await server.app.inject({ url: `/v1/screen/address/${sim.thiefAddress}`, headers: { authorization: 'Basic abc' } }), 401, 'LH_AUTH_INVALID');
    expectProblem(
      await server.app.inject({ url: `/v1/screen/address/${sim.thiefAddress}`, headers: { 'x-api-key': `lh_00000000_${'A'.repeat(43)}` } }),
      401,
      'LH_AUTH_INVALID',
    );
  });

  it('accepts X-API-Key as well as Bearer', async () => {
    const r = await server.app.inject({ url: `/v1/screen/address/${sim.thiefAddress}`, headers: { 'x-api-key': key } });
    expect(r.statusCode).toBe(200);
  });

  it('a revoked key stops working without a restart', async () => {
    const k = createApiKey(keysPath, 'to-revoke').key;
    const url = `/v1/screen/address/${sim.thiefAddress}`;
    // The store re-reads the file at most once a second.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await server.app.inject({ url, headers: { 'x-api-key': k } })).statusCode).toBe(200);
    revokeApiKey(keysPath, k);
    await new Promise((r) => setTimeout(r, 1100));
    expectProblem(await server.app.inject({ url, headers: { 'x-api-key': k } }), 401, 'LH_AUTH_REVOKED');
  });

  it('a key over its rate gets 429 with Retry-After', async () => {
    const k = createApiKey(keysPath, 'slow', { ratePerSec: 1, burst: 3 }).key;
    await new Promise((r) => setTimeout(r, 1100));
    const codes: number[] = [];
    let last: Awaited<ReturnType<typeof server.app.inject>> | null = null;
    for (let i = 0; i < 5; i++) {
      last = await server.app.inject({ url: `/v1/screen/address/${sim.thiefAddress}`, headers: { 'x-api-key': k } });
      codes.push(last.statusCode);
    }
    expect(codes.slice(0, 3)).toEqual([200, 200, 200]);
    expect(codes[4]).toBe(429);
    expectProblem(last!, 429, 'LH_RATE_LIMITED');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});

describe('screening', () => {
  it('screens the labelled thief: severe, with the tag behind the figure and the rule set named', async () => {
    const r = await server.app.inject({ url: `/v1/screen/address/${sim.thiefAddress}`, headers: auth() });
    const body = r.json();
    expect(body).toMatchObject({ address: sim.thiefAddress, level: 'severe', ruleSet: { version: server.rules.info.version } });
    expect(body.direct[0].labels[0]).toMatchObject({ address: sim.thiefAddress, concept: 'service_hack', onAddress: true });
  });

  it('GET /v1/screen/address answers byte for byte what fastify serialises from the schema (and audits the plain summary), for every address of the chain', async () => {
    // Reference: the same AddressRisk objects through fastify's compiled serializer for addressRiskSchema
    // (the route itself splices cached fragments for the parts many answers share).
    const index = server.backend.index;
    expect(index).not.toBeNull();
    const ref = Fastify();
    ref.get<{ Querystring: { a: string } }>('/ref', { schema: { response: { 200: addressRiskSchema } } }, async (req) => index?.screenAddress(req.query.a));
    await ref.ready();
    const addresses = [sim.thiefAddress, sim.sanctionedAddress, ...sim.truth.addresses.map((a) => a.address)];
    let withDirect = 0;
    let withIndirect = 0;
    let withRiskyIndirect = 0;
    for (const a of addresses) {
      const got = await server.app.inject({ url: `/v1/screen/address/${a}`, headers: auth() });
      const want = await ref.inject({ url: '/ref', query: { a } });
      expect(got.statusCode).toBe(200);
      expect(got.headers['content-type']).toBe(want.headers['content-type']);
      if (got.body !== want.body) expect({ address: a, body: got.body }).toEqual({ address: a, body: want.body });
      // The audit row's result JSON: the spliced form equals the plain one.
      const risk = index?.screenAddress(a) as AddressRisk;
      const summary = riskSummaryJson(risk);
      if (summary !== JSON.stringify(riskSummary(risk))) expect({ address: a, summary }).toEqual({ address: a, summary: JSON.stringify(riskSummary(risk)) });
      const body = got.json() as { direct: unknown[]; indirect: { received: { categories: unknown[] } } };
      if (body.direct.length > 0) withDirect++;
      if (body.indirect.received.categories.length > 0) withIndirect++;
      if (risk.indirect.received.categories.some((c) => c.score > 0)) withRiskyIndirect++;
    }
    await ref.close();
    // The comparison covered answers with direct labels and with indirect exposure, not only empty ones.
    expect(withRiskyIndirect).toBeGreaterThan(10);
    expect(withDirect).toBeGreaterThanOrEqual(2);
    expect(withIndirect).toBeGreaterThan(100);
  }, 120_000);

  it('POST form and batch; invalid items in a batch get per-item errors', async () => {
    const one = await server.app.inject({ method: 'POST', url: '/v1/screen/address', headers: auth(), payload: { address: sim.sanctionedAddress } });
    expect(one.json()).toMatchObject({ score: 100, level: 'severe' });
    const batch = await server.app.inject({
      method: 'POST',
      url: '/v1/screen/batch',
      headers: auth(),
      payload: { addresses: [sim.thiefAddress, 'not-an-address', sim.sanctionedAddress] },
    });
    const b = batch.json();
    expect(b.count).toBe(3);
    expect(b.ruleSet.version).toBe(server.rules.info.version);
    expect(b.results.map((x: { ok: boolean }) => x.ok)).toEqual([true, false, true]);
    expect(b.results[1].error.code).toBe('LH_BAD_ADDRESS');
  });

  it('refuses a batch above 1,000 (413), unknown fields and wrong types (400), non-JSON (400/415)', async () => {
    const big = Array.from({ length: 1001 }, () => sim.thiefAddress);
    expectProblem(await server.app.inject({ method: 'POST', url: '/v1/screen/batch', headers: auth(), payload: { addresses: big } }), 413, 'LH_BATCH_TOO_LARGE');
    const unk = expectProblem(
      await server.app.inject({ method: 'POST', url: '/v1/screen/address', headers: auth(), payload: { address: sim.thiefAddress, extra: 1 } }),
      400,
      'LH_VALIDATION',
    );
    expect(unk.detail).toMatch(/unknown field "extra"/);
    expectProblem(await server.app.inject({ method: 'POST', url: '/v1/screen/address', headers: auth(), payload: { address: { x: 1 } } }), 400, 'LH_VALIDATION');
    expectProblem(
      await server.app.inject({ method: 'POST', url: '/v1/screen/address', headers: { ...auth(), 'content-type': 'application/json' }, payload: '{"address": ' }),
      400,
      'LH_BAD_JSON',
    );
    expectProblem(
      await server.app.inject({ method: 'POST', url: '/v1/screen/address', headers: { ...auth(), 'content-type': 'text/plain' }, payload: 'hello' }),
      415,
      'LH_MEDIA_TYPE',
    );
  });

  it('invalid address for the chain and malformed txid are 400 naming the problem', async () => {
    const a = expectProblem(await server.app.inject({ url: '/v1/screen/address/tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', headers: auth() }), 400, 'LH_BAD_ADDRESS');
    expect(a.detail).toMatch(/not a main Bitcoin address/);
    const t = expectProblem(await server.app.inject({ method: 'POST', url: '/v1/screen/tx', headers: auth(), payload: { txid: 'abc' } }), 400, 'LH_BAD_TXID');
    expect(t.detail).toMatch(/64 hex digits/);
    expectProblem(await server.app.inject({ url: `/v1/transactions/${'0'.repeat(64)}`, headers: auth() }), 404, 'LH_NOT_FOUND');
  });

  it('screens a transaction: counterparties on both sides, rule set named', async () => {
    const r = await server.app.inject({ method: 'POST', url: '/v1/screen/tx', headers: auth(), payload: { txid: someTxid } });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ txid: someTxid, direction: 'both', ruleSet: { id: 'ledgerhound-default' } });
    expect(body.destination.counterparties.length).toBeGreaterThan(0);
  });

  it('KYT: a deposit paid by the labelled thief has a severe source of funds; the withdrawal side names the recipient', async () => {
    const row = await server.backend.db.one<{ txid: string; out_addr: string }>(
      `SELECT t.txid, oa.address out_addr
         FROM inputs i JOIN addresses ia ON ia.address_id = i.address_id
         JOIN transactions t ON t.tx_id = i.tx_id
         JOIN outputs o ON o.tx_id = t.tx_id JOIN addresses oa ON oa.address_id = o.address_id
        WHERE ia.address = $1 AND oa.address <> $1 ORDER BY t.tx_id, o.output_id LIMIT 1`,
      [sim.thiefAddress],
    );
    expect(row).toBeDefined();
    const dep = (
      await server.app.inject({ method: 'POST', url: '/v1/screen/tx', headers: auth(), payload: { txid: row!.txid, customerAddress: row!.out_addr } })
    ).json();
    expect(dep.direction).toBe('received');
    expect(dep.destination).toBeNull();
    expect(dep.sourceOfFunds.counterparties.map((c: { address: string }) => c.address)).toContain(sim.thiefAddress);
    expect(dep.sourceOfFunds.maxScore).toBeGreaterThanOrEqual(85);
    expect(dep.level).toBe('severe');
    const wd = (
      await server.app.inject({ method: 'POST', url: '/v1/screen/tx', headers: auth(), payload: { txid: row!.txid, customerAddress: sim.thiefAddress } })
    ).json();
    expect(wd.direction).toBe('sent');
    expect(wd.sourceOfFunds).toBeNull();
    expect(wd.destination.counterparties.map((c: { address: string }) => c.address)).toContain(row!.out_addr);
    expectProblem(
      await server.app.inject({ method: 'POST', url: '/v1/screen/tx', headers: auth(), payload: { txid: row!.txid, customerAddress: sim.sanctionedAddress } }),
      400,
      'LH_USAGE',
    );
  });

  it('compatibility route answers identifications like the free sanctions API', async () => {
    const hit = await server.app.inject({ url: `/api/v1/address/${sim.sanctionedAddress}`, headers: { 'x-api-key': key } });
    expect(hit.statusCode).toBe(200);
    const body = hit.json();
    expect(Object.keys(body)).toEqual(['identifications']);
    expect(body.identifications).toHaveLength(1);
    expect(Object.keys(body.identifications[0]).sort()).toEqual(['category', 'description', 'name', 'url']);
    expect(body.identifications[0].category).toBe('sanctions');
    const clean = await server.app.inject({ url: `/api/v1/address/${sim.thiefAddress}`, headers: { 'x-api-key': key } });
    expect(clean.json()).toEqual({ identifications: [] });
  });

  it('writes every screening to the append-only audit log (who, what, result, rule set)', async () => {
    await server.backend.auditLog.flush();
    const rows = await server.backend.db.all<Record<string, unknown>>(
      "SELECT actor, action, subject, score, level, rule_set FROM screen_audit_log WHERE action = 'screen.batch' ORDER BY audit_id",
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows[0]).toMatchObject({ action: 'screen.batch', subject: sim.thiefAddress, level: 'severe' });
    expect(String(rows[0]!.actor)).toMatch(/^[0-9a-f]{8}$/);
    expect(String(rows[0]!.rule_set)).toContain(server.rules.info.version);
  });
});

describe('data routes', () => {
  it('actors and incidents: search, lookup, paging, 404 for unknown ids', async () => {
    const db = server.backend.db;
    await server.backend.lock.run(async () => {
      await db.run(`INSERT INTO label_actors VALUES ('lazarusgroup', 99, 'Lazarus Group', 'group', '["KP"]', '["hacking"]', 'https://attack.mitre.org/groups/G0032/', 'DPRK state hackers', NULL, 1)`);
      await db.run(`INSERT INTO label_actor_aliases VALUES ('lazarusgroup', 99, 'HIDDEN COBRA')`);
      await db.run(`INSERT INTO label_incidents VALUES ('sim-hack-1', 99, 'Simulated exchange hack', 'Exchange A', '2024-01-01', 'BTC', 12.5, 'BTC', 'lazarusgroup', 'high', 'test incident')`);
      await db.run(`INSERT INTO label_incident_addresses VALUES ('sim-hack-1', 99, 'BTC', '${sim.thiefAddress}', 'thief', 'perpetrator', 1)`);
    });
    const found = (await server.app.inject({ url: '/v1/actors?q=cobra', headers: auth() })).json();
    expect(found.items).toEqual([{ actorId: 'lazarusgroup', name: 'Lazarus Group' }]);
    const actor = (await server.app.inject({ url: '/v1/actors/lazarusgroup', headers: auth() })).json();
    expect(actor).toMatchObject({ actorId: 'lazarusgroup', name: 'Lazarus Group', aliases: ['HIDDEN COBRA'], countries: ['KP'] });
    expectProblem(await server.app.inject({ url: '/v1/actors/nobody', headers: auth() }), 404, 'LH_NOT_FOUND');
    const list = (await server.app.inject({ url: '/v1/incidents?limit=10', headers: auth() })).json();
    expect(list).toMatchObject({ total: 1, limit: 10, offset: 0, items: [{ incidentId: 'sim-hack-1', name: 'Simulated exchange hack' }] });
    const inc = (await server.app.inject({ url: '/v1/incidents/sim-hack-1', headers: auth() })).json();
    expect(inc.addresses).toEqual([{ currency: 'BTC', address: sim.thiefAddress, label: 'thief', role: 'perpetrator' }]);
    expectProblem(await server.app.inject({ url: '/v1/incidents/none', headers: auth() }), 404, 'LH_NOT_FOUND');
    expectProblem(await server.app.inject({ url: '/v1/incidents?limit=0', headers: auth() }), 400, 'LH_VALIDATION');
  });

  it('address summary, transactions page, transaction, cluster, labels', async () => {
    const s = (await server.app.inject({ url: `/v1/addresses/${sim.thiefAddress}`, headers: auth() })).json();
    expect(s).toMatchObject({ address: sim.thiefAddress, seen: true });
    expect(s.recentOutputs[0].txid).toMatch(/^[0-9a-f]{64}$/);
    expect(s.labels.length).toBeGreaterThan(0);
    expect(s.risk.level).toBe('severe');
    const page = (await server.app.inject({ url: `/v1/addresses/${sim.thiefAddress}/transactions?limit=1&offset=0`, headers: auth() })).json();
    expect(page.code, JSON.stringify(page)).toBeUndefined();
    expect(page.items).toHaveLength(1);
    expect(page.total).toBeGreaterThanOrEqual(1);
    const tx = (await server.app.inject({ url: `/v1/transactions/${page.items[0].txid}`, headers: auth() })).json();
    expect(tx.txid).toBe(page.items[0].txid);
    if (s.cluster.id !== null) {
      const c = (await server.app.inject({ url: `/v1/clusters/${s.cluster.id}`, headers: auth() })).json();
      expect(c.size).toBe(s.cluster.size);
      const ca = (await server.app.inject({ url: `/v1/clusters/${s.cluster.id}/addresses?limit=2`, headers: auth() })).json();
      expect(ca.items.length).toBeGreaterThan(0);
    }
    const labels = (await server.app.inject({ url: `/v1/labels/${sim.thiefAddress}`, headers: auth() })).json();
    expect(labels.tags[0]).toMatchObject({ abuse: 'service_hack' });
    expectProblem(await server.app.inject({ url: '/v1/addresses/1BoatSLRHtKNngkdXEeobR76b53LETtpyT?limit=5', headers: auth() }), 400, 'LH_VALIDATION');
    expectProblem(await server.app.inject({ url: '/v1/nope', headers: auth() }), 404, 'LH_ROUTE_NOT_FOUND');
  });
});

describe('trace and name screening', () => {
  it('traces forward from the theft with the CLI options; the result follows the trace schema', async () => {
    const theftTxid = sim.truth.incidents[0]!.theftTxids[0]!;
    const r = await server.app.inject({ method: 'POST', url: '/v1/trace', headers: auth(), payload: { from: [theftTxid], direction: 'forward', policy: 'haircut', maxHops: 20 } });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(TraceResultSchema.safeParse(body).success).toBe(true);
    expect(body.version).toBe(TRACE_RESULT_VERSION);
    expectProblem(await server.app.inject({ method: 'POST', url: '/v1/trace', headers: auth(), payload: { from: ['xyz'] } }), 400, 'LH_USAGE');
    expectProblem(await server.app.inject({ method: 'POST', url: '/v1/trace', headers: auth(), payload: { from: [theftTxid], hops: 3 } }), 400, 'LH_VALIDATION');
  });

  it('name screening without a loaded list is 503 naming the fix', async () => {
    const p = expectProblem(
      await server.app.inject({ method: 'POST', url: '/v1/screen/names', headers: auth(), payload: { queries: [{ name: 'Kim Jong Un' }] } }),
      503,
      'LH_NOT_READY',
    );
    expect(p.detail).toMatch(/no sanctions list/);
  });

  it('with an OFAC list loaded, POST /v1/screen/names finds the listed name and audits it', async () => {
    const ds = await loadOfac(join(REPO_ROOT, 'test', 'vectors', 'ofac', 'xml', 'SDN.XML'));
    await server.backend.lock.run(() => loadList(server.backend.db, ds));
    const r = await server.app.inject({
      method: 'POST',
      url: '/v1/screen/names',
      headers: auth(),
      payload: { queries: [{ name: 'Lazarus Group', type: 'organization' }, { name: 'Jane Q. Public' }] },
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.results).toHaveLength(2);
    expect(body.results[0].hits[0].listedName).toMatch(/LAZARUS GROUP/);
    expect(body.results[1].hits).toEqual([]);
    await server.backend.auditLog.flush();
    const rows = await server.backend.db.all<{ subject: string }>("SELECT subject FROM screen_audit_log WHERE action = 'screen.names' ORDER BY audit_id");
    expect(rows.map((x) => x.subject)).toEqual(['Lazarus Group', 'Jane Q. Public']);
    expectProblem(
      await server.app.inject({ method: 'POST', url: '/v1/screen/names', headers: auth(), payload: { queries: [{ name: 'x', nickname: 'y' }] } }),
      400,
      'LH_VALIDATION',
    );
  });
});

describe('web UI files', () => {
  it('serves web/dist: / → index.html, files by path, client routes → index.html, never under /v1 or /api', async () => {
    const web = join(sim.dir, 'web-dist');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>lh</title>');
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(sim.dir, 'secret.txt'), 'secret');
    const app = await buildApp({ version: '0.1.0', backend: server.backend, auth: 'none', webDist: web });
    try {
      const root = await app.inject({ url: '/' });
      expect(root.statusCode).toBe(200);
      expect(root.headers['content-type']).toMatch(/text\/html/);
      expect(root.body).toContain('<title>lh</title>');
      const js = await app.inject({ url: '/assets/app.js' });
      expect(js.headers['content-type']).toMatch(/javascript/);
      expect(js.body).toBe('console.log(1)');
      expect((await app.inject({ url: '/cases/42' })).body).toContain('<title>lh</title>');
      for (const url of ['/%zz', '/%E0%A4%A', '/assets/%ff']) {
        const r = await app.inject({ url });
        expect(r.statusCode, url).toBeLessThan(500);
      }
      for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
        const r = await app.inject({ url });
        expect(r.body, url).not.toContain('secret');
      }
      expectProblem(await app.inject({ url: '/v1/unknown' }), 404, 'LH_ROUTE_NOT_FOUND');
      expectProblem(await app.inject({ url: '/api/v2/address/x' }), 404, 'LH_ROUTE_NOT_FOUND');
      // --no-auth: screening works without a key, as the anonymous principal.
      expect((await app.inject({ url: `/v1/screen/address/${sim.thiefAddress}` })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('database stays consistent', () => {
  it('the audit table is only appended to (ids dense from 0)', async () => {
    await server.backend.auditLog.flush();
    const r = await server.backend.db.one<{ n: bigint; mx: bigint; mn: bigint }>('SELECT count(*) n, max(audit_id) mx, min(audit_id) mn FROM screen_audit_log');
    expect(Number(r!.mn)).toBe(0);
    expect(Number(r!.mx)).toBe(Number(r!.n) - 1);
    expect(Database).toBeDefined();
  });
});

describe('cases (an investigator saves an annotated trace)', () => {
  it('creates, lists, reads and replaces a case; bad ids and bodies are 4xx problems', async () => {
    const body = { title: 'Demo hack', incidentId: 'sim-1', policy: 'haircut', notes: { 'tx:abc': 'peel chain starts here' } };
    const created = await server.app.inject({ method: 'POST', url: '/v1/cases', headers: auth(), payload: body });
    expect(created.statusCode).toBe(201);
    const c = created.json() as { id: string; createdAt: string; updatedAt: string; createdBy: string; notes: Record<string, string> };
    expect(c).toMatchObject({ title: 'Demo hack', incidentId: 'sim-1', policy: 'haircut', notes: body.notes });
    expect(c.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(c.createdBy).not.toBe('anonymous');

    const got = await server.app.inject({ url: `/v1/cases/${c.id}`, headers: auth() });
    expect(got.json()).toEqual(c);
    const put = await server.app.inject({
      method: 'PUT',
      url: `/v1/cases/${c.id}`,
      headers: auth(),
      payload: { ...body, policy: 'fifo', notes: { 'tx:abc': 'revised', 'addr:x': 'deposit' } },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ id: c.id, policy: 'fifo', notes: { 'tx:abc': 'revised', 'addr:x': 'deposit' }, createdAt: c.createdAt });
    const list = (await server.app.inject({ url: '/v1/cases', headers: auth() })).json() as { items: { id: string }[] };
    expect(list.items.map((x) => x.id)).toContain(c.id);

    expectProblem(await server.app.inject({ url: '/v1/cases/00000000-0000-0000-0000-000000000000', headers: auth() }), 404, 'LH_NOT_FOUND');
    expect((await server.app.inject({ url: '/v1/cases/not-a-uuid', headers: auth() })).statusCode).toBe(400);
    const bad = await server.app.inject({ method: 'POST', url: '/v1/cases', headers: auth(), payload: { ...body, policy: 'magic' } });
    expect(bad.statusCode).toBe(400);
    const extra = await server.app.inject({ method: 'POST', url: '/v1/cases', headers: auth(), payload: { ...body, owner: 'x' } });
    expect(extra.statusCode).toBe(400);
    expectProblem(await server.app.inject({ url: '/v1/cases' }), 401, 'LH_AUTH_MISSING');
  });
});
