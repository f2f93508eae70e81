/**
 * The demo: a small Lazarus-style exchange hack simulated on the fly, ingested, clustered and
 * labelled the way an investigator's own attribution data would label it, written as ordinary label
 * files (GraphSense TagPacks in DIR/labels, DIR/demo-incident.yaml) and imported through
 * the same importers as real data. Used by `ledgerhound demo`, the browser tests and the API tests.
 *
 * What the labels know (nothing more is taken from the simulator's truth):
 * - the exchanges and the OTC desk: their addresses EXCEPT the deposit addresses the thief paid, which the
 *   investigator has to find (they are attributed through clustering: deposits are swept with the rest);
 * - the thief: the outputs of the theft transactions, attributed to Lazarus Group (as the FBI and OFAC did
 *   for the real Youbit/Bithumb-era hacks), and the incident with its theft transactions.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterDatabase, DEFAULT_HEURISTICS, DEFAULT_MIN_VOTES } from '../../cluster/index.js';
import { LedgerhoundError } from '../../core/index.js';
import { createHash } from 'node:crypto';
import { type ActorInput, importIncidents, importSources, importTagPacks, type SourceBatch } from '../../labels/index.js';
import { DEMO_PRESET, loadTruth, simulateBitcoin, type Truth, type TruthIncident } from '../../sim/index.js';
import { DuckDbStore, ingestBitcoin } from '../../store/index.js';

/** Marks a folder as made by `ledgerhound demo`, so a rebuild may replace it. */
const MARKER = '.ledgerhound-demo';
/** The actor id of Lazarus Group in GraphSense's ActorPack, so demo facts meet real imports under one id. */
export const DEMO_ACTOR_ID = 'lazarusgroup';

export interface DemoOptions {
  /** Folder for the simulated blocks, the label files and the database (created; a previous demo is replaced). */
  dir: string;
  seed?: number;
  /** Called after each step with its name and duration. */
  onStep?: (step: string, ms: number) => void;
}

export interface DemoBuild {
  dir: string;
  dbPath: string;
  blocksDir: string;
  labelsDir: string;
  truth: Truth;
  incident: TruthIncident;
  /** Incident id in the labels (the victim's slug), for `trace --incident` and `/v1/incidents/{id}`. */
  incidentId: string;
  /** An address of a theft output (tagged as the attacker's). */
  attackerAddress: string;
  /** A deposit address at an exchange that the thief paid (not labelled directly). */
  depositAddress: string;
  /** Exchanges and OTC desks the thief cashed out at. */
  cashOutEntities: string[];
  timings: Record<string, number>;
}

const yamlStr = (s: string) => JSON.stringify(s);

/** The incident id the labels module gives a victim (its slug). */
export function incidentSlug(victim: string): string {
  return victim.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function prepareDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(join(dir, MARKER))) {
      throw new LedgerhoundError('LH_DEMO_DIR', `${dir} exists and was not made by \`ledgerhound demo\`; refusing to overwrite it`, {
        details: { dir },
        hint: 'Pass an empty or new folder with --dir.',
      });
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), 'made by ledgerhound demo; safe to delete\n');
}

/** The first stage of the thief's outputs: what the theft transactions paid him. */
function theftOutputs(incident: TruthIncident) {
  const stage = incident.thiefOutputs[0]?.stage;
  return incident.thiefOutputs.filter((o) => o.stage === stage && o.address !== null) as (TruthIncident['thiefOutputs'][number] & { address: string })[];
}

function writeLabelFiles(labelsDir: string, incidentFile: string, truth: Truth, incident: TruthIncident): { victim: string } {
  mkdirSync(labelsDir, { recursive: true });
  const names = new Map(truth.entities.map((e) => [e.id, e.name]));
  const deposits = new Set(incident.cashOuts.map((c) => c.address).filter((a): a is string => a !== null));
  const services: string[] = [
    'title: Demo exchange and OTC desk addresses (investigator attribution data)',
    'creator: ledgerhound demo',
    'currency: BTC',
    'category: exchange',
    'confidence: service_data',
    'lastmod: 2024-01-01',
    'tags:',
  ];
  for (const a of truth.addresses) {
    if ((a.type !== 'exchange' && a.type !== 'otc') || deposits.has(a.address)) continue;
    services.push(`  - address: ${a.address}`, `    label: ${yamlStr(names.get(a.entity) ?? `entity ${a.entity}`)}`);
  }
  writeFileSync(join(labelsDir, 'demo-services.tagpack.yaml'), `${services.join('\n')}\n`);

  const victim = names.get(incident.victim) ?? `entity ${incident.victim}`;
  const thief = [
    `title: ${yamlStr(`${victim} hack: addresses that received the stolen coins`)}`,
    'creator: ledgerhound demo',
    'currency: BTC',
    'category: perpetrator',
    'abuse: service_hack',
    `actor: ${DEMO_ACTOR_ID}`,
    'confidence: forensic_investigation',
    'lastmod: 2024-01-01',
    'tags:',
  ];
  for (const o of theftOutputs(incident)) thief.push(`  - address: ${o.address}`, `    label: ${yamlStr(`${victim} hacker`)}`);
  writeFileSync(join(labelsDir, 'demo-thief.tagpack.yaml'), `${thief.join('\n')}\n`);

  const incidentYaml = [
    'title: Demo incident (simulated)',
    'creator: ledgerhound demo',
    'incidents:',
    `  - name: ${yamlStr(incident.name)}`,
    `    victim: ${yamlStr(victim)}`,
    '    chain: BTC',
    `    amount: ${incident.stolenSat / 1e8}`,
    '    amount_unit: BTC',
    '    actor: Lazarus Group',
    '    attribution_confidence: forensic_investigation',
    `    description: ${yamlStr(`Simulated Lazarus-style hack of the ${victim} hot wallet, laundered through peel chains, splits, CoinJoin and deposits at other exchanges and an OTC desk.`)}`,
    '    refs:',
    '      - https://www.justice.gov/opa/pr/united-states-files-complaint-forfeit-280-cryptocurrency-accounts-tied-hacks-two-exchanges',
    '    txs:',
    ...incident.theftTxids.flatMap((t) => [`      - txid: ${t}`, '        role: theft']),
    '    addresses:',
    ...theftOutputs(incident).flatMap((o) => [`      - currency: BTC`, `        address: ${o.address}`, '        role: attacker']),
    '',
  ];
  writeFileSync(incidentFile, incidentYaml.join('\n'));
  return { victim };
}

/**
 * Public facts on Lazarus Group, the actor the demo attributes its hack to: OFAC SDN entry 27307
 * (programme DPRK3, the 2019 designation, Treasury press release sm774) and MITRE ATT&CK group G0032.
 * Real imports of OFAC, ATT&CK or GraphSense data name the same actor id and merge with it.
 */
export const LAZARUS_ACTOR: ActorInput = {
  actorId: DEMO_ACTOR_ID,
  name: 'Lazarus Group',
  type: 'group',
  aliases: ['HIDDEN COBRA', 'APT38', 'Guardians of Peace', 'Labyrinth Chollima'],
  countries: ['KP'],
  categories: ['perpetrator'],
  uri: 'https://attack.mitre.org/groups/G0032/',
  description: 'North Korean state-sponsored group; laundered exchange hacks through peel chains, CoinJoin and OTC traders.',
  refs: [
    { kind: 'ofac-sdn', refId: '27307', name: 'LAZARUS GROUP (SDN entry, DPRK3)', url: 'https://home.treasury.gov/news/press-releases/sm774' },
    { kind: 'sanctions-program', refId: 'DPRK3', name: 'DPRK3', url: null },
    { kind: 'mitre-attack', refId: 'G0032', name: 'Lazarus Group', url: 'https://attack.mitre.org/groups/G0032/' },
  ],
  context: null,
  line: 1,
};

function lazarusActorBatch(dir: string): SourceBatch {
  const text = JSON.stringify(LAZARUS_ACTOR);
  return {
    kind: 'manual',
    path: join(dir, 'demo-actor'),
    sha256: createHash('sha256').update(text).digest('hex'),
    bytes: text.length,
    title: 'Lazarus Group (public facts: OFAC SDN 27307, MITRE ATT&CK G0032)',
    creator: 'ledgerhound demo',
    tags: [],
    actors: [LAZARUS_ACTOR],
    incidents: [],
    files: null,
    problems: [],
    skipped: {},
    notes: [],
  };
}

/**
 * Builds the demo in `opts.dir`: simulate → ingest → cluster → label (about 10 s on this 2-core machine).
 * @throws LedgerhoundError LH_DEMO_DIR when `dir` holds something else than an earlier demo.
 */
export async function buildDemo(opts: DemoOptions): Promise<DemoBuild> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (step: string) => {
    const now = performance.now();
    timings[step] = Math.round(now - t);
    opts.onStep?.(step, timings[step]);
    t = now;
  };
  prepareDir(opts.dir);
  const sim = simulateBitcoin({ outDir: join(opts.dir, 'sim'), seed: opts.seed ?? 1, ...DEMO_PRESET });
  const truth = loadTruth(sim.truthPath);
  const incident = truth.incidents[0];
  if (!incident) throw new LedgerhoundError('LH_DEMO', 'the demo simulation produced no incident');
  lap('simulate');

  const dbPath = join(opts.dir, 'ledgerhound.duckdb');
  const labelsDir = join(opts.dir, 'labels');
  const store = await DuckDbStore.open(dbPath);
  let victim: string;
  try {
    await store.init('main');
    await ingestBitcoin({ blocksDir: sim.blocksDir, network: 'main', store, workers: 0 });
    lap('ingest');
    await clusterDatabase(store.db, { heuristics: DEFAULT_HEURISTICS, minVotes: DEFAULT_MIN_VOTES, coinjoinDetection: true });
    lap('cluster');
    const incidentFile = join(opts.dir, 'demo-incident.yaml');
    ({ victim } = writeLabelFiles(labelsDir, incidentFile, truth, incident));
    await importTagPacks(store.db, labelsDir);
    await importSources(store.db, async (write) => {
      await write(lazarusActorBatch(opts.dir));
    });
    await importIncidents(store.db, incidentFile);
    lap('label');
  } finally {
    store.close();
  }
  const attacker = theftOutputs(incident)[0];
  const deposit = incident.cashOuts.find((c) => c.address !== null);
  if (!attacker || !deposit?.address) throw new LedgerhoundError('LH_DEMO', 'the demo incident has no theft output or cash-out deposit');
  return {
    dir: opts.dir,
    dbPath,
    blocksDir: sim.blocksDir,
    labelsDir,
    truth,
    incident,
    incidentId: incidentSlug(victim),
    attackerAddress: attacker.address,
    depositAddress: deposit.address,
    cashOutEntities: [...new Set(incident.cashOuts.map((c) => c.entityName))],
    timings,
  };
}
