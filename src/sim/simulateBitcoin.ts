/**
 * `simulateBitcoin`: writes a Bitcoin Core `blocks/` directory holding a simulated economy with
 * scripted exchange hacks, and `truth.json(l)` saying who owns every address and where the stolen
 * coins went. Deterministic: the same options give byte-identical files (one seeded PRNG, no clock).
 */
import { join } from 'node:path';
import { computeMerkleRoot, encodeAddress, hash160, hashToHex, NETWORKS, type Network, serializeBlock, serializeHeader, sha256d, type TxData, txHashes } from '../chain/index.js';
import { UsageError } from '../core/index.js';
import { BlockFileWriter, MAX_BLOCKFILE_SIZE } from './BlockFileWriter.js';
import { COIN, ERA, Economy, type EconomySize } from './economy.js';
import { Incident } from './incident.js';
import { KeyFactory } from './keys.js';
import { BlockBuilder, COINBASE_MATURITY, Ledger, type Utxo } from './ledger.js';
import { Rng } from './Rng.js';
import { type TruthChain, TruthWriter } from './truth.js';

export interface SimOptions {
  /** Output directory: `blocks/` and the truth file go inside. */
  outDir: string;
  seed?: number;
  /** Economy size: 1 ≈ 300,000 transactions; grows linearly. */
  scale?: number;
  network?: 'main' | 'regtest';
  /** Obfuscate block files with a key in blocks/xor.dat (Bitcoin Core 28+). */
  xor?: boolean;
  /** Number of short stale branches. */
  stale?: number;
  /** 'auto' = JSON document up to scale 2, JSONL above. */
  truthFormat?: 'json' | 'jsonl' | 'auto';
  /**
   * Where each incident's theft happens, as fractions of the economy's blocks (default [0.45] below
   * scale 1, [0.45, 0.7] from scale 1); one incident per entry.
   */
  incidentAt?: readonly number[];
  /** Block-file size limit (tests use small files to exercise rotation). */
  maxFileSize?: number;
  onProgress?: (p: SimProgress) => void;
}

export interface SimProgress {
  height: number;
  bestHeight: number;
  transactions: number;
  bytes: number;
}

export interface SimResult {
  blocksDir: string;
  truthPath: string;
  files: string[];
  bytes: number;
  chain: TruthChain;
  incidents: number;
  coinjoins: number;
}

/** The demo preset: one clear theft, a peel chain, splits, CoinJoin, cash-outs at 2–3 exchanges, in seconds. */
export const DEMO_PRESET = { scale: 0.02, stale: 2 } as const;

/** Unix time of the genesis block and of the simulated present (2024-01-01). */
const GENESIS_TIME = 1231006505;
const END_TIME = 1704067200;
/** Blocks of the coinbase-only bootstrap (2009): more than COINBASE_MATURITY so coins can move. */
const BOOTSTRAP_BLOCKS = COINBASE_MATURITY + 10;

interface Plan {
  econBlocks: number;
  txPerBlock: number;
  size: EconomySize;
  incidents: number;
}

/** Sizes derived from `scale` (documented in docs/SIMULATOR.md). */
export function planFor(scale: number): Plan {
  const econBlocks = Math.max(60, Math.round(500 * scale));
  return {
    econBlocks,
    txPerBlock: Math.max(8, (scale * 300_000) / econBlocks),
    size: {
      users: Math.round(150 + 3000 * scale),
      exchanges: Math.min(12, 4 + Math.floor(2 * Math.sqrt(scale))),
      pools: Math.min(8, 3 + Math.floor(Math.sqrt(scale))),
      merchants: Math.round(8 + 150 * scale),
      soloMiners: 8,
      coinjoinEvery: scale < 0.2 ? 3 : 6,
    },
    incidents: scale >= 1 ? 2 : 1,
  };
}

/** Block subsidy by era (halvings at the real dates mapped onto the simulated history). */
function subsidySat(era: number): number {
  const halvings = era < 0.27 ? 0 : era < 0.5 ? 1 : era < 0.73 ? 2 : era < 0.98 ? 3 : 4;
  return Math.floor((50 * COIN) / 2 ** halvings);
}

function blockVersion(era: number): number {
  return era < 0.3 ? 2 : era < 0.5 ? 4 : 0x20000000;
}

/** The real genesis block of `network` (so readers that check the genesis hash accept the files). */
export function genesisBlock(network: 'main' | 'regtest'): { block: Buffer; hash: Buffer; tx: TxData; time: number; bits: number } {
  const tx: TxData = {
    version: 1,
    locktime: 0,
    inputs: [
      {
        prevTxid: Buffer.alloc(32),
        vout: 0xffffffff,
        scriptSig: Buffer.concat([Buffer.from('04ffff001d0104', 'hex'), Buffer.from([69]), Buffer.from('The Times 03/Jan/2009 Chancellor on brink of second bailout for banks')]),
        sequence: 0xffffffff,
      },
    ],
    outputs: [
      {
        valueSat: 50 * COIN,
        script: Buffer.from(
          '4104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac',
          'hex',
        ),
      },
    ],
  };
  const p = network === 'main' ? { time: 1231006505, bits: 0x1d00ffff, nonce: 2083236893 } : { time: 1296688602, bits: 0x207fffff, nonce: 2 };
  const { txid } = txHashes(tx);
  const header = { version: 1, prevHash: Buffer.alloc(32), merkleRoot: computeMerkleRoot([txid]), time: p.time, bits: p.bits, nonce: p.nonce };
  const block = serializeBlock(header, [tx]);
  const hash = sha256d(serializeHeader(header));
  if (hashToHex(hash) !== NETWORKS[network].genesisHash) throw new Error(`sim: rebuilt ${network} genesis hash ${hashToHex(hash)} differs from chain parameters`);
  return { block, hash, tx, time: p.time, bits: p.bits };
}

/**
 * Generates the chain. Blocks stream to `outDir/blocks/`, the truth to `outDir/truth.json(l)`.
 * @throws UsageError for a bad scale, seed or stale count.
 */
export function simulateBitcoin(opts: SimOptions): SimResult {
  const seed = opts.seed ?? 1;
  const scale = opts.scale ?? 1;
  const network: Network = opts.network ?? 'main';
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${seed}`);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1000) throw new UsageError(`--scale must be a number in (0, 1000], got ${scale}`);
  if (network !== 'main' && network !== 'regtest') throw new UsageError(`--network must be main or regtest, got ${String(network)}`);
  const plan = planFor(scale);
  const staleCount = opts.stale ?? 3;
  if (!Number.isInteger(staleCount) || staleCount < 0 || staleCount > plan.econBlocks / 4) {
    throw new UsageError(`--stale must be an integer in [0, ${Math.floor(plan.econBlocks / 4)}] at scale ${scale}, got ${staleCount}`);
  }
  if (opts.incidentAt?.some((f) => !(f >= 0 && f < 1))) throw new UsageError(`incidentAt fractions must be in [0, 1), got ${opts.incidentAt.join(', ')}`);
  const format = opts.truthFormat === undefined || opts.truthFormat === 'auto' ? (scale <= 2 ? 'json' : 'jsonl') : opts.truthFormat;
  const rng = new Rng(seed, 0);
  const xorKey = opts.xor ? new Rng(seed, 7).bytes(8) : null;
  if (xorKey?.every((b) => b === 0)) xorKey[0] = 1;
  const params = { seed, scale, network, xor: opts.xor === true, stale: staleCount, plan };
  const blocksDir = join(opts.outDir, 'blocks');
  const writer = new BlockFileWriter(blocksDir, NETWORKS[network].magic, xorKey, opts.maxFileSize ?? MAX_BLOCKFILE_SIZE);
  const truthPath = join(opts.outDir, format === 'json' ? 'truth.json' : 'truth.jsonl');
  const truth = new TruthWriter(truthPath, format, params);
  const keys = new KeyFactory(rng, network);
  let economy: Economy | null = null;
  const ledger = new Ledger(rng, keys, truth, (id) => economy!.entities[id]!.type);
  economy = new Economy(ledger, rng, plan.size);
  const eco = economy;

  const genesis = genesisBlock(network);
  writer.add(genesis.block, 0);
  const satoshi = eco.entity('miner', 'Satoshi (genesis coinbase)');
  ledger.totals.transactions++;
  ledger.totals.inputs++;
  ledger.totals.coinbaseInputs++;
  ledger.totals.outputs++;
  ledger.totals.outputValueSat += 50 * COIN;
  {
    // The genesis output is P2PK to an uncompressed key; its address is that key's P2PKH address.
    const pk = genesis.tx.outputs[0]!.script.subarray(1, 66);
    ledger.totals.addresses++;
    truth.address({ address: encodeP2pkh(pk, network), entity: satoshi.id, type: 'miner' });
  }

  const best = BOOTSTRAP_BLOCKS + plan.econBlocks;
  const incidents: Incident[] = [];
  const incidentNames = ['Youbit-like hack', 'Bithumb-like hack'];
  const at = opts.incidentAt ?? (plan.incidents === 1 ? [0.45] : [0.45, 0.7]);
  for (let i = 0; i < at.length; i++) {
    const start = BOOTSTRAP_BLOCKS + Math.floor(plan.econBlocks * at[i]!);
    incidents.push(new Incident(i + 1, incidentNames[i] ?? `Exchange hack ${i + 1}`, eco, eco.exchanges[i % eco.exchanges.length]!, start, rng, i === 0 ? 0.4 : 0.3));
  }
  const staleForks = new Map<number, number>();
  while (staleForks.size < staleCount) {
    const f = rng.int(BOOTSTRAP_BLOCKS + 2, best - 6);
    if (!staleForks.has(f)) staleForks.set(f, rng.chance(0.7) ? 1 : rng.int(2, 3));
  }
  const staleBlocks: TruthChain['staleBlocks'] = [];

  let prevHash = genesis.hash;
  let prevTime = genesis.time;
  const bits = genesis.bits;
  for (let h = 1; h <= best; h++) {
    const era = h <= BOOTSTRAP_BLOCKS ? (0.1 * h) / BOOTSTRAP_BLOCKS : 0.1 + (0.9 * (h - BOOTSTRAP_BLOCKS)) / plan.econBlocks;
    const segwit = era >= ERA.segwit;
    const b = new BlockBuilder(ledger, h, false, segwit);
    const feeRate = rng.logUniform(1, 2 + 40 * era * era);
    if (h > BOOTSTRAP_BLOCKS) {
      const progress = (h - BOOTSTRAP_BLOCKS) / plan.econBlocks;
      eco.grow(progress, era);
      eco.upgrade(era);
      if (era < 0.35) eco.soloMinersSell(b, feeRate);
      eco.poolPayouts(b, feeRate);
      eco.exchangeHousekeeping(b, feeRate);
      for (const inc of incidents) inc.step(b, feeRate);
      if (eco.pendingCoinJoin.length > 0 || (era >= ERA.coinjoin && h % plan.size.coinjoinEvery === 0)) {
        const cj = eco.coinjoinRound(b, feeRate, era);
        if (cj !== null) truth.coinjoin(cj);
      }
      const budget = Math.round(plan.txPerBlock * (0.3 + 1.4 * progress) * rng.logUniform(0.7, 1.4));
      eco.ordinary(b, budget - b.txCount, feeRate, era);
    }
    const time = Math.max(prevTime + 1, Math.floor(GENESIS_TIME + era * (END_TIME - GENESIS_TIME) + rng.int(-3600, 3600)));
    const cb = eco.coinbaseRecipient(era);
    const res = b.finish({ prevHash, time, bits, version: blockVersion(era), subsidySat: subsidySat(era), payTo: cb.addr, payWallet: cb.wallet, tag: cb.tag });
    writer.add(res.block, rng.chance(0.08) ? rng.int(1, 4) : 0);
    const branch = staleForks.get(h);
    if (branch !== undefined) {
      let sPrev = res.hash;
      for (let k = 1; k <= branch; k++) {
        const sb = staleBlock(eco, ledger, h + k, h, segwit, feeRate);
        const sres = sb.finish({
          prevHash: sPrev,
          time: time + 300 * k,
          bits,
          version: blockVersion(era),
          subsidySat: subsidySat(era),
          payTo: eco.pools.length > 0 ? rng.pick(eco.pools).coinbaseAddr : cb.addr,
          payWallet: null,
          tag: cb.tag,
        });
        writer.add(sres.block, 0);
        staleBlocks.push({ hash: hashToHex(sres.hash), height: h + k, txids: sres.txids.map(hashToHex) });
        sPrev = sres.hash;
      }
    }
    prevHash = res.hash;
    prevTime = time;
    opts.onProgress?.({ height: h, bestHeight: best, transactions: ledger.totals.transactions, bytes: writer.bytesWritten });
  }
  writer.close();
  const t = ledger.totals;
  const chain: TruthChain = {
    network,
    bestHeight: best,
    tipHash: hashToHex(prevHash),
    blocks: best + 1,
    transactions: t.transactions,
    inputs: t.inputs,
    coinbaseInputs: t.coinbaseInputs,
    outputs: t.outputs,
    outputValueSat: t.outputValueSat,
    addresses: t.addresses,
    staleBlocks,
    blockFiles: writer.files,
    xorKey: xorKey === null ? null : xorKey.toString('hex'),
  };
  truth.finish(
    incidents.map((i) => i.truth),
    chain,
  );
  return { blocksDir, truthPath, files: writer.files, bytes: writer.bytesWritten, chain, incidents: incidents.length, coinjoins: eco.coinjoinTxs.length };
}

/**
 * A stale block at `height` forking after `forkHeight`: a coinbase and a few payments that spend
 * coins confirmed by the fork point to addresses that never reach the best chain (double spends a
 * reorg discarded). Wallets and truth are untouched.
 */
function staleBlock(eco: Economy, ledger: Ledger, height: number, forkHeight: number, segwit: boolean, feeRate: number): BlockBuilder {
  const b = new BlockBuilder(ledger, height, true, segwit);
  const used = new Set<Utxo>();
  const n = ledger.rng.int(1, 6);
  for (let i = 0, tries = 0; i < n && tries < 50; tries++) {
    const u = ledger.rng.pick(eco.users);
    const coin = u.wallet.utxos.find((x) => x.height <= forkHeight && !used.has(x) && x.valueSat > 100_000 && u.wallet.spendable(x, height));
    if (coin === undefined) continue;
    used.add(coin);
    const to = ledger.rng.pick(eco.users);
    const v = Math.floor(coin.valueSat / 2);
    b.build({
      inputs: [coin],
      payments: [{ addr: ledger.keys.create(to.wallet.type, to.id), valueSat: v, wallet: null }],
      change: { addr: ledger.keys.create(u.wallet.type, u.id), wallet: null },
      feeRate,
      style: u.wallet.style,
    });
    i++;
  }
  return b;
}

function encodeP2pkh(pubkey: Uint8Array, network: Network): string {
  return encodeAddress('p2pkh', hash160(pubkey), network);
}
