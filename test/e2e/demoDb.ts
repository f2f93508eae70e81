/**
 * The demo database the browser tests run against: the simulator's demo economy (one Lazarus-style
 * exchange hack), ingested by the real ingest, clustered, and labelled from the simulator's truth the
 * way an investigator's label sources would: exchange and OTC deposit addresses tagged as exchanges,
 * the theft outputs tagged as the attacker's (actor Lazarus Group, with its aliases and OFAC listing),
 * and the incident recorded with its theft transactions and attacker addresses.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterDatabase, DEFAULT_HEURISTICS, DEFAULT_MIN_VOTES } from '../../src/cluster/index.js';
import { importSources, type SourceBatch, type TagInput } from '../../src/labels/index.js';
import { DEMO_PRESET, loadTruth, simulateBitcoin, type Truth, type TruthIncident } from '../../src/sim/index.js';
import { DuckDbStore, ingestBitcoin } from '../../src/store/index.js';

export interface DemoDb {
  dir: string;
  dbPath: string;
  truth: Truth;
  incident: TruthIncident;
  /** Incident id in the labels (what /v1/incidents/:id takes). */
  incidentId: string;
  /** An address tagged as the attacker's (a theft output). */
  attackerAddress: string;
  /** A cash-out deposit address at an exchange (tagged). */
  depositAddress: string;
  /** Names of the exchanges the thief cashed out at. */
  cashOutEntities: string[];
  timings: Record<string, number>;
  cleanup(): void;
}

export const LAZARUS = 'lazarusgroup';

function tag(address: string, label: string, category: string, extra: Partial<TagInput>, line: number): TagInput {
  return {
    currency: 'BTC',
    address,
    label,
    category,
    abuse: null,
    actorId: null,
    sourceUrl: null,
    creator: 'ledgerhound e2e',
    date: '2024-01-01',
    confidence: 'forensic_investigation',
    isClusterDefiner: null,
    context: null,
    line,
    ofacEntNum: null,
    ...extra,
  };
}

/** Simulates, ingests, clusters and labels the demo economy (a few seconds). */
export async function buildDemoDb(seed = 1): Promise<DemoDb> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - t);
    t = now;
  };
  const dir = mkdtempSync(join(tmpdir(), 'lh-e2e-'));
  const sim = simulateBitcoin({ outDir: join(dir, 'sim'), seed, ...DEMO_PRESET });
  const truth = loadTruth(sim.truthPath);
  lap('simulate');
  const incident = truth.incidents[0];
  if (!incident) throw new Error('the demo simulation has no incident');
  const dbPath = join(dir, 'demo.duckdb');
  const store = await DuckDbStore.open(dbPath);
  try {
    await store.init('main');
    await ingestBitcoin({ blocksDir: sim.blocksDir, network: 'main', store, workers: 0 });
    lap('ingest');
    await clusterDatabase(store.db, { heuristics: DEFAULT_HEURISTICS, minVotes: DEFAULT_MIN_VOTES, coinjoinDetection: true });
    lap('cluster');

    const entityName = new Map(truth.entities.map((e) => [e.id, e.name]));
    const tags: TagInput[] = [];
    let line = 1;
    // Exchanges and the OTC desk: their deposit addresses the thief used, plus a sample of the rest.
    const cashOutAddrs = new Set(incident.cashOuts.map((c) => c.address).filter((a): a is string => a !== null));
    const perEntity = new Map<number, number>();
    for (const a of truth.addresses) {
      if (a.type !== 'exchange' && a.type !== 'otc') continue;
      const n = perEntity.get(a.entity) ?? 0;
      if (n >= 40 && !cashOutAddrs.has(a.address)) continue;
      perEntity.set(a.entity, n + 1);
      const name = entityName.get(a.entity) ?? `entity ${a.entity}`;
      tags.push(tag(a.address, name, 'exchange', { confidence: 'service_data' }, line++));
    }
    const theftStage = incident.thiefOutputs[0]?.stage;
    const theftOutputs = incident.thiefOutputs.filter((o) => o.stage === theftStage && o.address !== null);
    for (const o of theftOutputs) {
      tags.push(
        tag(o.address as string, `${entityName.get(incident.victim) ?? 'Exchange'} hacker`, 'perpetrator', { abuse: 'service_hack', actorId: LAZARUS, sourceUrl: 'https://home.treasury.gov/news/press-releases/sm924' }, line++),
      );
    }
    const victimName = entityName.get(incident.victim) ?? `entity ${incident.victim}`;
    const incidentId = `sim-${incident.id}`;
    const batch: SourceBatch = {
      kind: 'manual',
      path: join(dir, 'demo-labels.json'),
      sha256: createHash('sha256').update(`demo-labels-${seed}`).digest('hex'),
      bytes: 0,
      title: 'Demo labels (from the simulator truth)',
      creator: 'ledgerhound e2e',
      tags,
      actors: [
        {
          actorId: LAZARUS,
          name: 'Lazarus Group',
          type: 'group',
          aliases: ['HIDDEN COBRA', 'APT38', 'Guardians of Peace', 'Labyrinth Chollima'],
          countries: ['KP'],
          categories: ['perpetrator'],
          uri: 'https://attack.mitre.org/groups/G0032/',
          description: 'North Korean state-sponsored group; laundered exchange hacks through peel chains, CoinJoin and OTC traders.',
          refs: [
            { kind: 'ofac-sdn', refId: '23254', name: 'LAZARUS GROUP (SDN entry, DPRK3)', url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=23254' },
            { kind: 'sanctions-program', refId: 'DPRK3', name: 'DPRK3', url: null },
            { kind: 'mitre-attack', refId: 'G0032', name: 'Lazarus Group', url: 'https://attack.mitre.org/groups/G0032/' },
          ],
          context: null,
          line: 1,
        },
      ],
      incidents: [
        {
          incidentId,
          name: incident.name,
          victim: victimName,
          date: null,
          chain: 'BTC',
          amount: incident.stolenSat / 1e8,
          amountUnit: 'BTC',
          actorId: LAZARUS,
          attributionConfidence: 'authority_data',
          description: `Simulated Lazarus-style hack of ${victimName}: peel chains, CoinJoin, cash-out at exchanges and an OTC desk.`,
          refs: ['https://www.justice.gov/opa/pr/united-states-files-complaint-forfeit-280-cryptocurrency-accounts-tied-hacks-two-exchanges'],
          addresses: theftOutputs.map((o, i) => ({ currency: 'BTC', address: o.address as string, label: 'theft output', role: 'attacker', line: i + 1 })),
          txs: incident.theftTxids.map((txid) => ({ chain: 'BTC', txid, role: 'theft' })),
        },
      ],
      files: null,
      problems: [],
      skipped: {},
      notes: [],
    };
    await importSources(store.db, async (write) => {
      await write(batch);
    });
    lap('label');
  } finally {
    store.close();
  }
  const deposit = incident.cashOuts.find((c) => c.address !== null && c.entityName !== '');
  if (!deposit?.address || !theftOutputsFirst(incident)) throw new Error('the demo incident has no cash-out or theft address');
  return {
    dir,
    dbPath,
    truth,
    incident,
    incidentId: `sim-${incident.id}`,
    attackerAddress: theftOutputsFirst(incident) as string,
    depositAddress: deposit.address,
    cashOutEntities: [...new Set(incident.cashOuts.map((c) => c.entityName))],
    timings,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function theftOutputsFirst(incident: TruthIncident): string | null {
  const stage = incident.thiefOutputs[0]?.stage;
  return incident.thiefOutputs.find((o) => o.stage === stage && o.address !== null)?.address ?? null;
}
