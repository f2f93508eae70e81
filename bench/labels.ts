/**
 * Address → labels lookups per second with a million tags loaded (the screening read path), against two
 * baselines measured in the same run on the same data and the same queries:
 *  (a) a DuckDB point query (prepared statement with an ART index on label_tags.address, the table the index is
 *      loaded from);
 *  (b) a plain Map<string, TagHit[]> (one array of objects per address: the obvious in-process structure).
 * Tags are synthetic but realistic: 1,000,000 tags on 800,000 addresses (P2WPKH bech32, P2PKH Base58Check and
 * Ethereum accounts, from a fixed-seed PRNG, encoded by the chain module), written through the real import path
 * into a DuckDB file. Queries are 50% tagged and 50% untagged addresses.
 * Usage: npm run bench:labels [-- --tags 1000000 --seconds 2]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeAddress } from '../src/chain/index.js';
import { AddressIndex, importSources, type TagHit, type TagInput } from '../src/labels/index.js';
import { Database } from '../src/store/index.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) || dflt : dflt;
};
const TAGS = arg('--tags', 1_000_000);
const SECONDS = arg('--seconds', 2);
const ADDRESSES = Math.round(TAGS * 0.8);

// xorshift32, fixed seed: the same data every run.
let seed = 0x9e3779b9;
const rnd = (): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};
const payload = (n: number): Uint8Array => {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rnd() * 256);
  return b;
};
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function makeAddress(): { currency: string; address: string } {
  const r = rnd();
  if (r < 0.6) return { currency: 'BTC', address: encodeAddress('p2wpkh', payload(20), 'main', 0) };
  if (r < 0.8) return { currency: 'BTC', address: encodeAddress('p2pkh', payload(20), 'main') };
  return { currency: 'ETH', address: `0x${hex(payload(20))}` };
}

const CATEGORIES = ['exchange', 'mixing_service', 'gambling', 'miner', 'market', 'sanction', 'service_hack', 'ransomware'];
const CONFIDENCE = ['service_data', 'web_crawl', 'authority_data', 'forensic', 'heuristic'];

function line(s: string): void {
  process.stdout.write(`${s}\n`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lh-bench-labels-'));
  try {
    let t0 = performance.now();
    const addrs = Array.from({ length: ADDRESSES }, makeAddress);
    const tags: TagInput[] = [];
    for (let i = 0; i < TAGS; i++) {
      const a = i < ADDRESSES ? (addrs[i] as { currency: string; address: string }) : (addrs[Math.floor(rnd() * ADDRESSES)] as { currency: string; address: string });
      const cat = CATEGORIES[Math.floor(rnd() * CATEGORIES.length)] as string;
      tags.push({
        currency: a.currency,
        address: a.address,
        label: `service ${Math.floor(rnd() * 5000)}`,
        category: cat,
        abuse: cat === 'sanction' || cat === 'service_hack' || cat === 'ransomware' ? cat : null,
        actorId: rnd() < 0.3 ? `actor${Math.floor(rnd() * 2000)}` : null,
        sourceUrl: null,
        creator: 'bench',
        date: null,
        confidence: CONFIDENCE[Math.floor(rnd() * CONFIDENCE.length)] as string,
        isClusterDefiner: null,
        context: null,
        line: i + 1,
        ofacEntNum: null,
      });
    }
    line(`generated ${TAGS.toLocaleString()} tags on ${ADDRESSES.toLocaleString()} addresses in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const db = await Database.open(join(dir, 'bench.duckdb'));
    t0 = performance.now();
    await importSources(db, async (write) => {
      await write({ kind: 'csv', path: join(dir, 'synthetic.csv'), sha256: '0'.repeat(64), bytes: 0, title: 'synthetic', creator: 'bench', tags, actors: [], incidents: [], files: null, problems: [], skipped: {}, notes: [] });
    });
    const importS = (performance.now() - t0) / 1000;
    line(`import into DuckDB (one transaction, appender): ${importS.toFixed(1)} s = ${Math.round(TAGS / importS).toLocaleString()} tags/s`);

    const heap0 = process.memoryUsage().heapUsed;
    t0 = performance.now();
    const index = await AddressIndex.load(db);
    const loadS = (performance.now() - t0) / 1000;
    const heapIdx = process.memoryUsage().heapUsed - heap0;
    line(`AddressIndex.load: ${loadS.toFixed(1)} s, ${index.tagCount.toLocaleString()} tags, ${index.addressCount.toLocaleString()} addresses, ~${Math.round(heapIdx / 2 ** 20)} MiB heap`);

    // Baseline (b): Map<string, TagHit[]> with the same content.
    t0 = performance.now();
    const naive = new Map<string, TagHit[]>();
    for (const [i, t] of tags.entries()) {
      const hit: TagHit = { tagId: i + 1, currency: t.currency, label: t.label, category: t.category, actorId: t.actorId, confidenceLevel: 50, isAbuse: t.abuse !== null, sourceId: 1 };
      const arr = naive.get(t.address);
      if (arr) arr.push(hit);
      else naive.set(t.address, [hit]);
    }
    line(`baseline Map<string, TagHit[]> build: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const QUERIES = 200_000;
    const queries: string[] = [];
    // Fresh string objects, as queries arrive from a parser or the network: no structure may profit from a query
    // being the very string object it stored as a key.
    for (let i = 0; i < QUERIES; i++) {
      const q = i % 2 === 0 ? (addrs[Math.floor(rnd() * ADDRESSES)] as { address: string }).address : makeAddress().address;
      queries.push(Buffer.from(q, 'latin1').toString('latin1'));
    }

    const rate = (name: string, fn: (q: string) => number): number => {
      let sink = 0;
      for (let i = 0; i < 20_000; i++) sink += fn(queries[i % QUERIES] as string); // warm-up
      let n = 0;
      const start = performance.now();
      const until = start + SECONDS * 1000;
      while (performance.now() < until) {
        for (let i = 0; i < 10_000; i++) sink += fn(queries[(n + i) % QUERIES] as string);
        n += 10_000;
      }
      const perS = n / ((performance.now() - start) / 1000);
      line(`${name.padEnd(52)} ${Math.round(perS).toLocaleString().padStart(12)} lookups/s   (hits seen: ${sink})`);
      return perS;
    };

    const idxHits = rate('AddressIndex.lookup (TagHit objects)', (q) => index.lookup(q).length);
    const idxCount = rate('AddressIndex.summary (no per-tag objects)', (q) => index.summary(q)?.tags ?? 0);
    const mapHits = rate('baseline: Map<string, TagHit[]>.get', (q) => naive.get(q)?.length ?? 0);

    // Baseline (a): DuckDB point query, prepared once, on an ART index over address (without it every query scans
    // all rows; the label schema itself keeps no index so bulk imports stay fast).
    t0 = performance.now();
    await db.run('CREATE INDEX bench_label_tags_address ON label_tags(address)');
    line(`(DuckDB ART index on label_tags.address built in ${((performance.now() - t0) / 1000).toFixed(1)} s for the baseline)`);
    const stmt = await db.connection.prepare('SELECT tag_id, label, category, actor_id, confidence_level, is_abuse FROM label_tags WHERE address = $1');
    let dn = 0;
    let dsink = 0;
    const dstart = performance.now();
    const duntil = dstart + SECONDS * 1000;
    while (performance.now() < duntil) {
      stmt.bindVarchar(1, queries[dn % QUERIES] as string);
      const r = await stmt.runAndReadAll();
      dsink += r.currentRowCount;
      dn++;
    }
    const duck = dn / ((performance.now() - dstart) / 1000);
    line(`${'baseline: DuckDB prepared point query'.padEnd(52)} ${Math.round(duck).toLocaleString().padStart(12)} lookups/s   (hits seen: ${dsink})`);
    line('');
    line(`target ≥ 200,000 lookups/s in-process: AddressIndex.lookup ${idxHits >= 200_000 ? 'MET' : 'NOT MET'} (${Math.round(idxHits).toLocaleString()}/s)`);
    line(`ratio AddressIndex.lookup / DuckDB point query: ${(idxHits / duck).toFixed(0)}x`);
    line(`ratio AddressIndex.lookup / Map<string, TagHit[]>: ${(idxHits / mapHits).toFixed(2)}x   (summary: ${(idxCount / mapHits).toFixed(2)}x)`);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
