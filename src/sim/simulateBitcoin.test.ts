import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { address as btcAddress, Block, networks, Transaction } from 'bitcoinjs-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addressKey,
  BlkReader,
  BlockIndex,
  bip34Height,
  classifyScript,
  encodeAddressKey,
  hashToHex,
  listBlkFiles,
  NETWORKS,
  parseBlock,
  readXorKey,
  SCRIPT_TYPES,
  scanBlkFile,
  xorObfuscate,
} from '../chain/index.js';
import { loadTruth, simulateBitcoin, type Truth } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'lh-sim-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function digestDir(dir: string): string {
  const h = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    h.update(name);
    h.update(readFileSync(join(dir, name)));
  }
  return h.digest('hex');
}

/** The data pushes of a script (direct pushes, OP_PUSHDATA1/2, OP_0 as an empty push). */
function pushes(script: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let p = 0;
  while (p < script.length) {
    const op = script[p++]!;
    let n: number;
    if (op === 0) n = 0;
    else if (op < 0x4c) n = op;
    else if (op === 0x4c) n = script[p++]!;
    else if (op === 0x4d) {
      n = script.readUInt16LE(p);
      p += 2;
    } else throw new Error(`unexpected opcode 0x${op.toString(16)} in a scriptSig`);
    out.push(script.subarray(p, p + n));
    p += n;
  }
  return out;
}

/** The witness stack at `off` (CompactSize count, then CompactSize-prefixed items; all below 0xfd here). */
function witnessItems(buf: Buffer, off: number): Buffer[] {
  if (off === 0) return [];
  const items: Buffer[] = [];
  let p = off;
  const count = buf[p++]!;
  for (let i = 0; i < count; i++) {
    const n = buf[p++]!;
    items.push(buf.subarray(p, p + n));
    p += n;
  }
  return items;
}

const h160 = (b: Uint8Array) => createHash('ripemd160').update(createHash('sha256').update(b).digest()).digest('hex');
const isDer = (sig: Buffer) => sig.length >= 71 && sig.length <= 73 && sig[0] === 0x30 && sig[1] === sig.length - 3 && sig[sig.length - 1] === 0x01;

/** The scriptSig/witness must open the output script it spends: keys and scripts hash to what the output commits to. */
function checkSpend(prev: Buffer, sig: Buffer[], wit: Buffer[], where: string): void {
  const type = SCRIPT_TYPES[classifyScript(prev, 0, prev.length)];
  const hex = prev.toString('hex');
  switch (type) {
    case 'p2pk':
      expect(sig.length, where).toBe(1);
      expect(isDer(sig[0]!), where).toBe(true);
      break;
    case 'p2pkh':
      expect(isDer(sig[0]!), where).toBe(true);
      expect(sig[1]!.length, where).toBe(33);
      expect(h160(sig[1]!), where).toBe(hex.slice(6, 46));
      break;
    case 'p2wpkh':
      expect(sig.length, where).toBe(0);
      expect(isDer(wit[0]!) && wit[1]!.length === 33, where).toBe(true);
      expect(h160(wit[1]!), where).toBe(hex.slice(4));
      break;
    case 'p2sh': {
      const redeem = sig[sig.length - 1]!;
      expect(h160(redeem), where).toBe(hex.slice(4, 44));
      if (redeem.length === 22) expect(h160(wit[1]!), `${where} (P2SH-P2WPKH)`).toBe(redeem.toString('hex').slice(4));
      else expect(redeem[redeem.length - 1], `${where} (P2SH multisig)`).toBe(0xae);
      break;
    }
    case 'p2wsh':
      expect(createHash('sha256').update(wit[wit.length - 1]!).digest('hex'), where).toBe(hex.slice(4));
      break;
    case 'p2tr':
      expect(wit.length === 1 && wit[0]!.length === 64, where).toBe(true);
      break;
    case 'multisig':
      expect(sig.length === 2 && sig[0]!.length === 0 && isDer(sig[1]!), where).toBe(true);
      break;
    default:
      throw new Error(`${where}: spends an output of type ${type}`);
  }
}

interface Chain {
  truth: Truth;
  blocks: Map<string, Buffer>;
  best: string[];
  staleHashes: string[];
  seqOfHeight: number[];
}

/** Reads a simulated blocks/ directory with the chain module's own reader and best-chain selection. */
function readChain(dir: string, truthPath: string): Chain {
  const files = listBlkFiles(join(dir, 'blocks'));
  const key = readXorKey(join(dir, 'blocks'));
  const index = new BlockIndex();
  for (const f of files) scanBlkFile(f, NETWORKS.main.magic, key, (loc, header) => index.add(header, loc));
  const sel = index.select({ genesisHash: Buffer.from(NETWORKS.main.genesisHash, 'hex').reverse() });
  const reader = new BlkReader(files, key);
  const blocks = new Map<string, Buffer>();
  for (const b of [...sel.best, ...sel.stale]) blocks.set(hashToHex(b.hash), Buffer.from(reader.read(b.loc)));
  reader.close();
  return {
    truth: loadTruth(truthPath),
    blocks,
    best: sel.best.map((b) => hashToHex(b.hash)),
    staleHashes: sel.stale.map((b) => hashToHex(b.hash)),
    seqOfHeight: sel.best.map((b) => b.seq),
  };
}

let a: ReturnType<typeof simulateBitcoin>;
let chain: Chain;
const dirA = join(root, 'a');

beforeAll(() => {
  a = simulateBitcoin({ outDir: dirA, seed: 7, scale: 0.02, stale: 3 });
  chain = readChain(dirA, a.truthPath);
});

describe('simulateBitcoin: determinism and XOR', () => {
  it('same seed gives byte-identical block files and truth; another seed does not', () => {
    const b = simulateBitcoin({ outDir: join(root, 'b'), seed: 7, scale: 0.02, stale: 3 });
    expect(digestDir(join(root, 'b', 'blocks'))).toBe(digestDir(join(dirA, 'blocks')));
    expect(readFileSync(b.truthPath, 'utf8')).toBe(readFileSync(a.truthPath, 'utf8'));
    const c = simulateBitcoin({ outDir: join(root, 'c'), seed: 8, scale: 0.02, stale: 3 });
    expect(digestDir(join(root, 'c', 'blocks'))).not.toBe(digestDir(join(dirA, 'blocks')));
    expect(c.chain.tipHash).not.toBe(a.chain.tipHash);
  });

  it('--xor writes xor.dat and files that de-obfuscate to exactly the plain files', () => {
    const x = simulateBitcoin({ outDir: join(root, 'x'), seed: 7, scale: 0.02, stale: 3, xor: true });
    const key = readFileSync(join(root, 'x', 'blocks', 'xor.dat'));
    expect(key.length).toBe(8);
    expect(key.equals(Buffer.alloc(8))).toBe(false);
    expect(x.chain.xorKey).toBe(key.toString('hex'));
    for (const name of a.files) {
      const obf = readFileSync(join(root, 'x', 'blocks', name));
      const plain = readFileSync(join(dirA, 'blocks', name));
      expect(obf.equals(plain), `${name} is obfuscated`).toBe(false);
      xorObfuscate(obf, key, 0);
      expect(obf.equals(plain), `${name} decodes`).toBe(true);
    }
    expect(x.chain.tipHash).toBe(a.chain.tipHash);
    expect(existsSync(join(dirA, 'blocks', 'xor.dat'))).toBe(false);
  });

  it('rotates block files at the size limit, and the chain still reads the same', () => {
    const r = simulateBitcoin({ outDir: join(root, 'r'), seed: 7, scale: 0.02, stale: 3, maxFileSize: 300_000 });
    expect(r.files.length).toBeGreaterThan(3);
    for (const f of r.files) expect(readFileSync(join(root, 'r', 'blocks', f)).length).toBeLessThanOrEqual(300_000);
    const rc = readChain(join(root, 'r'), r.truthPath);
    expect(rc.best).toEqual(chain.best);
  });
});

describe('simulateBitcoin: the chain read back by the chain module', () => {
  it('best chain, tip and stale branches match the truth', () => {
    const t = chain.truth.chain;
    expect(chain.best.length).toBe(t.blocks);
    expect(chain.best.length - 1).toBe(t.bestHeight);
    expect(chain.best[chain.best.length - 1]).toBe(t.tipHash);
    expect(chain.best[0]).toBe(NETWORKS.main.genesisHash);
    expect(chain.staleHashes.sort()).toEqual(t.staleBlocks.map((s) => s.hash).sort());
    expect(t.staleBlocks.length).toBeGreaterThanOrEqual(3);
  });

  it('some blocks are stored out of height order', () => {
    let inversions = 0;
    for (let h = 1; h < chain.seqOfHeight.length; h++) if (chain.seqOfHeight[h]! < chain.seqOfHeight[h - 1]!) inversions++;
    expect(inversions).toBeGreaterThan(0);
  });

  it('every best-chain block parses (merkle checked), has its BIP34 height, and totals equal the truth', () => {
    const t = chain.truth.chain;
    let txs = 0;
    let inputs = 0;
    let outputs = 0;
    let value = 0;
    chain.best.forEach((hash, height) => {
      const pb = parseBlock(chain.blocks.get(hash)!, { file: hash });
      if (height > 0) expect(bip34Height(pb), `height of ${hash}`).toBe(height);
      txs += pb.txCount;
      inputs += pb.txInputStart[pb.txCount]!;
      outputs += pb.txOutputStart[pb.txCount]!;
      for (let k = 0; k < pb.txOutputStart[pb.txCount]!; k++) value += pb.outValue[k]!;
    });
    expect({ txs, inputs, outputs, value }).toEqual({ txs: t.transactions, inputs: t.inputs, outputs: t.outputs, value: t.outputValueSat });
  });

  it('every input spends an existing unspent output with matching keys/scripts, values balance with positive fees, coinbases mature', () => {
    const utxo = new Map<string, { value: number; height: number; coinbase: boolean; script: Buffer }>();
    let checked = 0;
    let spendsChecked = 0;
    chain.best.forEach((hash, height) => {
      const pb = parseBlock(chain.blocks.get(hash)!);
      let fees = 0;
      for (let i = 0; i < pb.txCount; i++) {
        const txid = pb.txids.subarray(32 * i, 32 * i + 32).toString('hex');
        let outSum = 0;
        for (let k = pb.txOutputStart[i]!; k < pb.txOutputStart[i + 1]!; k++) {
          outSum += pb.outValue[k]!;
          const so = pb.outScriptOffset[k]!;
          utxo.set(`${txid}:${k - pb.txOutputStart[i]!}`, { value: pb.outValue[k]!, height, coinbase: i === 0, script: Buffer.from(pb.buf.subarray(so, so + pb.outScriptLength[k]!)) });
        }
        if (i === 0) continue;
        // Consensus finality: a transaction with a non-final input needs locktime < height (heights only here).
        let final = true;
        for (let j = pb.txInputStart[i]!; j < pb.txInputStart[i + 1]!; j++) if (pb.inSequence[j] !== 0xffffffff) final = false;
        if (!final) expect(pb.txLocktime[i]!, `locktime of block ${height} tx ${i}`).toBeLessThan(height);
        let inSum = 0;
        for (let j = pb.txInputStart[i]!; j < pb.txInputStart[i + 1]!; j++) {
          const o = pb.inPrevTxidOffset[j]!;
          const key = `${pb.buf.subarray(o, o + 32).toString('hex')}:${pb.inPrevVout[j]}`;
          const prev = utxo.get(key);
          expect(prev, `block ${height} tx ${i} input ${key} exists and is unspent`).toBeDefined();
          checkSpend(prev!.script, pushes(pb.buf.subarray(pb.inScriptOffset[j]!, pb.inScriptOffset[j]! + pb.inScriptLength[j]!)), witnessItems(pb.buf, pb.inWitnessOffset[j]!), `block ${height} tx ${i} input ${j}`);
          spendsChecked++;
          if (prev!.coinbase) expect(height - prev!.height, 'coinbase maturity').toBeGreaterThanOrEqual(100);
          inSum += prev!.value;
          utxo.delete(key);
          checked++;
        }
        expect(inSum - outSum, `fee of block ${height} tx ${i}`).toBeGreaterThan(0);
        fees += inSum - outSum;
      }
      if (height > 0) {
        const cbOut = pb.outValue.subarray(pb.txOutputStart[0]!, pb.txOutputStart[1]!).reduce((s, v) => s + v, 0);
        expect(cbOut, `coinbase of block ${height} claims subsidy + fees`).toBeGreaterThan(fees);
      }
    });
    expect(checked).toBe(chain.truth.chain.inputs - chain.truth.chain.coinbaseInputs);
    expect(spendsChecked).toBe(checked);
  });

  it('stale-branch transactions other than their coinbases never appear in the best chain', () => {
    const bestTxids = new Set<string>();
    for (const hash of chain.best) {
      const pb = parseBlock(chain.blocks.get(hash)!);
      for (let i = 0; i < pb.txCount; i++) bestTxids.add(hashToHex(pb.txids.subarray(32 * i, 32 * i + 32)));
    }
    let staleTxs = 0;
    for (const s of chain.truth.chain.staleBlocks) {
      const pb = parseBlock(chain.blocks.get(s.hash)!);
      expect(pb.txCount).toBe(s.txids.length);
      for (const txid of s.txids) {
        expect(bestTxids.has(txid), `stale tx ${txid}`).toBe(false);
        staleTxs++;
      }
    }
    expect(staleTxs).toBeGreaterThan(chain.truth.chain.staleBlocks.length);
  });
});

describe('simulateBitcoin: cross-check with bitcoinjs-lib (independent decoder)', () => {
  it('a sample of blocks: txids, wtxids, merkle and witness roots, values and addresses agree', () => {
    const owner = new Map(chain.truth.addresses.map((x) => [x.address, x.entity]));
    let segwitTxs = 0;
    let addressesChecked = 0;
    const sample = chain.best.filter((_, h) => h % 9 === 0 || h === chain.best.length - 1);
    for (const hash of sample) {
      const raw = chain.blocks.get(hash)!;
      const ours = parseBlock(raw);
      const theirs = Block.fromBuffer(raw);
      expect(theirs.getId()).toBe(hash);
      expect(theirs.checkTxRoots(), `merkle/witness commitment of ${hash}`).toBe(true);
      const txs = theirs.transactions!;
      expect(txs.length).toBe(ours.txCount);
      txs.forEach((tx, i) => {
        expect(tx.getId()).toBe(hashToHex(ours.txids.subarray(32 * i, 32 * i + 32)));
        const alone = Transaction.fromBuffer(raw.subarray(ours.txStart[i]!, ours.txEnd[i]!));
        expect(alone.getId()).toBe(tx.getId());
        if (i > 0) expect(Buffer.from(tx.getHash(true)).equals(ours.wtxids.subarray(32 * i, 32 * i + 32))).toBe(true);
        if (tx.hasWitnesses()) segwitTxs++;
        tx.outs.forEach((o, k) => {
          expect(Number(o.value)).toBe(ours.outValue[ours.txOutputStart[i]! + k]);
          let addr: string | null = null;
          try {
            addr = btcAddress.fromOutputScript(o.script, networks.bitcoin);
          } catch {
            // fromOutputScript needs an ECC library for P2TR; encode the witness v1 program with bitcoinjs-lib's bech32m.
            addr = o.script.length === 34 && o.script[0] === 0x51 && o.script[1] === 0x20 ? btcAddress.toBech32(o.script.subarray(2), 1, 'bc') : null;
          }
          const outIdx = ours.txOutputStart[i]! + k;
          const off = ours.outScriptOffset[outIdx]!;
          const len = ours.outScriptLength[outIdx]!;
          const type = classifyScript(ours.buf, off, len);
          const key = addressKey(ours.buf, off, len, type);
          if (addr !== null) {
            expect(owner.has(addr), `address ${addr} of ${tx.getId()}:${k} is in the truth`).toBe(true);
            expect(key === null ? null : encodeAddressKey(key, 'main'), `chain module address of ${tx.getId()}:${k}`).toBe(addr);
            addressesChecked++;
          } else if (key !== null) {
            // bitcoinjs-lib gives no address for P2PK; the chain module keys it as its key's P2PKH address.
            expect(SCRIPT_TYPES[type]).toBe('p2pk');
          }
        });
      });
    }
    expect(segwitTxs).toBeGreaterThan(10);
    expect(addressesChecked).toBeGreaterThan(500);
  });
});

describe('simulateBitcoin: an incident early in history', () => {
  it('a CoinJoin before segwit activation uses legacy outputs and every block stays valid (BIP141)', () => {
    const out = join(root, 'early');
    const r = simulateBitcoin({ outDir: out, seed: 7, scale: 0.02, stale: 0, incidentAt: [0.05] });
    const early = readChain(out, r.truthPath);
    for (const hash of early.best) parseBlock(early.blocks.get(hash)!);
    const inc = early.truth.incidents[0]!;
    expect(inc.theftHeight).toBeGreaterThan(0);
    const mixed = inc.thiefOutputs.filter((o) => o.stage === 'coinjoin');
    expect(mixed.length).toBeGreaterThan(0);
    for (const o of mixed) expect(o.address!.startsWith('bc1'), o.address!).toBe(false);
    expect(() => simulateBitcoin({ outDir: join(root, 'bad'), scale: 0.02, incidentAt: [1.5] })).toThrow(/incidentAt fractions must be in \[0, 1\)/);
  });
});

describe('simulateBitcoin: the truth', () => {
  it('the incident is complete: theft, peel chain, splits, CoinJoin, cash-outs at 2+ exchanges and the OTC desk', () => {
    const t = chain.truth;
    expect(t.incidents.length).toBe(1);
    const inc = t.incidents[0]!;
    const ent = new Map(t.entities.map((e) => [e.id, e]));
    expect(ent.get(inc.victim)!.type).toBe('exchange');
    expect(ent.get(inc.attacker)!.type).toBe('attacker');
    expect(inc.theftTxids.length).toBeGreaterThanOrEqual(2);
    expect(inc.stolenSat).toBeGreaterThan(5e8);
    const stages = new Set(inc.thiefOutputs.map((o) => o.stage));
    for (const s of ['theft', 'peel', 'split', 'coinjoin', 'consolidation']) expect(stages.has(s), `stage ${s}`).toBe(true);
    const owner = new Map(t.addresses.map((x) => [x.address, x.entity]));
    for (const o of inc.thiefOutputs) expect(owner.get(o.address!)).toBe(inc.attacker);
    const cashTypes = new Set(inc.cashOuts.map((c) => ent.get(c.entity)!.type));
    expect(cashTypes).toEqual(new Set(['exchange', 'otc']));
    expect(new Set(inc.cashOuts.filter((c) => ent.get(c.entity)!.type === 'exchange').map((c) => c.entity)).size).toBeGreaterThanOrEqual(2);
    for (const c of inc.cashOuts) {
      expect(owner.get(c.address!)).toBe(c.entity);
      expect(c.entity).not.toBe(inc.victim);
    }
    const cashed = inc.cashOuts.reduce((s, c) => s + c.valueSat, 0);
    expect(cashed).toBeGreaterThan(inc.stolenSat * 0.8);
    expect(cashed).toBeLessThan(inc.stolenSat);
    expect(inc.innocentPayments.length).toBeGreaterThanOrEqual(2);
    for (const p of inc.innocentPayments) expect(['user', 'merchant']).toContain(ent.get(p.entity)!.type);
    expect(inc.coinjoinTxids.length).toBeGreaterThanOrEqual(1);
  });

  it('every CoinJoin has several owners, equal outputs and includes the recorded inputs', () => {
    const t = chain.truth;
    expect(t.coinjoins.length).toBeGreaterThan(3);
    for (const c of t.coinjoins) {
      expect(new Set(c.inputs.map((i) => i.entity)).size).toBeGreaterThanOrEqual(2);
      expect(c.equalOutputs).toBeGreaterThanOrEqual(3);
    }
    const cjTxids = new Set(t.coinjoins.map((c) => c.txid));
    for (const txid of t.incidents[0]!.coinjoinTxids) expect(cjTxids.has(txid)).toBe(true);
  });

  it('every address is owned by a known entity, once; entity types cover the whole economy', () => {
    const t = chain.truth;
    const ids = new Set(t.entities.map((e) => e.id));
    const seen = new Set<string>();
    for (const x of t.addresses) {
      expect(ids.has(x.entity)).toBe(true);
      expect(seen.has(x.address), `duplicate ${x.address}`).toBe(false);
      seen.add(x.address);
    }
    expect(seen.size).toBe(t.chain.addresses);
    const types = new Set(t.addresses.map((x) => x.type));
    for (const ty of ['user', 'miner', 'pool', 'exchange', 'merchant', 'otc', 'coinjoin', 'attacker']) expect(types.has(ty as never), ty).toBe(true);
    const prefixes = new Set(t.addresses.map((x) => (x.address.startsWith('bc1p') ? 'p2tr' : x.address.startsWith('bc1q') ? 'v0' : x.address[0])));
    for (const p of ['1', '3', 'v0', 'p2tr']) expect(prefixes.has(p), `address kind ${p}`).toBe(true);
  });
});
