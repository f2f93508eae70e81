import { readFileSync } from 'node:fs';
import { Block, Transaction } from 'bitcoinjs-lib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../test/helpers/sharedData.js';
import { sha256d } from './hash.js';
import {
  blockHash,
  ByteWriter,
  frameBlock,
  computeMerkleRoot,
  scriptNumPush,
  serializeBlock,
  serializeHeader,
  serializeTx,
  type TxData,
  txHashes,
  varintSize,
  witnessCommitmentScript,
  xorObfuscate,
} from './serialize.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const display = (b: Uint8Array) => Buffer.from(b).reverse().toString('hex');

/** bitcoinjs-lib's view of a transaction, converted into our TxData. */
function fromBitcoinjs(t: Transaction): TxData {
  return {
    version: t.version,
    locktime: t.locktime,
    inputs: t.ins.map((i) => ({ prevTxid: i.hash, vout: i.index, scriptSig: i.script, sequence: i.sequence, witness: i.witness })),
    outputs: t.outs.map((o) => ({ valueSat: Number(o.value), script: o.script })),
  };
}

function realBlock(name: string): { raw: Buffer; block: Block } {
  const raw = readFileSync(sharedPath('btc', 'blocks', 'mainnet', name));
  return { raw, block: Block.fromBuffer(raw) };
}

describe('serializeBlock against real mainnet blocks (bitcoinjs-lib decodes, we re-encode)', () => {
  for (const name of ['block_169482.raw', 'block_481829.raw', 'block_866342.raw']) {
    it(`${name}: byte-identical, merkle root and txids agree`, () => {
      const { raw, block } = realBlock(name);
      const txs = block.transactions!.map(fromBitcoinjs);
      const header = {
        version: block.version,
        prevHash: block.prevHash!,
        merkleRoot: block.merkleRoot!,
        time: block.timestamp,
        bits: block.bits,
        nonce: block.nonce,
      };
      expect(hex(serializeBlock(header, txs))).toBe(hex(raw));
      const hashes = txs.map(txHashes);
      expect(hex(computeMerkleRoot(hashes.map((h) => h.txid)))).toBe(hex(block.merkleRoot!));
      hashes.forEach((h, i) => {
        const t = block.transactions![i]!;
        expect(display(h.txid), `tx[${i}] txid`).toBe(t.getId());
        // bitcoinjs-lib reports the coinbase wtxid as zero (its value in the witness merkle tree).
        if (i > 0) expect(hex(h.wtxid), `tx[${i}] wtxid`).toBe(hex(t.getHash(true)));
      });
      expect(display(blockHash(serializeHeader(header)))).toBe(block.getId());
    });
  }

  it('block_866342.raw: the BIP141 commitment we compute equals the coinbase output', () => {
    const { block } = realBlock('block_866342.raw');
    const txs = block.transactions!.map(fromBitcoinjs);
    const wtxids = txs.map((t, i) => (i === 0 ? Buffer.alloc(32) : txHashes(t).wtxid));
    const reserved = txs[0]!.inputs[0]!.witness![0]!;
    const ours = witnessCommitmentScript(wtxids, reserved);
    const found = txs[0]!.outputs.some((o) => hex(o.script).startsWith('6a24aa21a9ed') && hex(o.script) === hex(ours));
    expect(found).toBe(true);
  });
});

describe('genesis block rebuilt from its parts', () => {
  it('gives the mainnet genesis hash and the first record of a real blk file', () => {
    const coinbase: TxData = {
      version: 1,
      locktime: 0,
      inputs: [
        {
          prevTxid: Buffer.alloc(32),
          vout: 0xffffffff,
          scriptSig: Buffer.concat([
            Buffer.from('04ffff001d0104', 'hex'),
            Buffer.from([69]),
            Buffer.from('The Times 03/Jan/2009 Chancellor on brink of second bailout for banks'),
          ]),
          sequence: 0xffffffff,
        },
      ],
      outputs: [
        {
          valueSat: 50e8,
          script: Buffer.from(
            '4104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac',
            'hex',
          ),
        },
      ],
    };
    const { txid } = txHashes(coinbase);
    expect(display(txid)).toBe('4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b');
    const header = { version: 1, prevHash: Buffer.alloc(32), merkleRoot: computeMerkleRoot([txid]), time: 1231006505, bits: 0x1d00ffff, nonce: 2083236893 };
    const block = serializeBlock(header, [coinbase]);
    expect(display(blockHash(block))).toBe('000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f');
    const blk = readFileSync(sharedPath('btc', 'blocks', 'mainnet', 'blk_mainnet_h0-438.dat'));
    const rec = frameBlock(Buffer.from('f9beb4d9', 'hex'), block);
    expect(hex(blk.subarray(0, rec.length))).toBe(hex(rec));
  });
});

describe('segwit transactions', () => {
  it('a hand-made P2WPKH spend: txid excludes the witness, wtxid includes it, bitcoinjs-lib agrees', () => {
    const tx: TxData = {
      version: 2,
      locktime: 800000,
      inputs: [
        { prevTxid: Buffer.alloc(32, 7), vout: 1, scriptSig: Buffer.alloc(0), sequence: 0xfffffffd, witness: [Buffer.alloc(71, 0x30), Buffer.alloc(33, 2)] },
        { prevTxid: Buffer.alloc(32, 8), vout: 0, scriptSig: Buffer.from(`160014${'11'.repeat(20)}`, 'hex'), sequence: 0xffffffff, witness: [] },
      ],
      outputs: [{ valueSat: 123456789, script: Buffer.from(`0014${'22'.repeat(20)}`, 'hex') }],
    };
    const full = serializeTx(tx);
    const legacy = serializeTx(tx, false);
    expect(full.length).toBeGreaterThan(legacy.length);
    const { txid, wtxid } = txHashes(tx);
    expect(hex(txid)).toBe(hex(sha256d(legacy)));
    expect(hex(wtxid)).toBe(hex(sha256d(full)));
    const t = Transaction.fromBuffer(full);
    expect(t.getId()).toBe(display(txid));
    expect(hex(t.getHash(true))).toBe(hex(wtxid));
    expect(t.ins[1]!.witness.length).toBe(0);
    expect(t.outs[0]!.value).toBe(123456789n);
  });

  it('round-trips random transactions through bitcoinjs-lib (property)', () => {
    const bytes = (max: number) => fc.uint8Array({ maxLength: max });
    const input = fc.record({
      prevTxid: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      vout: fc.nat(),
      scriptSig: bytes(300),
      sequence: fc.nat(),
      witness: fc.array(bytes(80), { maxLength: 4 }),
    });
    const output = fc.record({ valueSat: fc.nat({ max: 21e14 }), script: bytes(300) });
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 5 }), fc.array(output, { maxLength: 5 }), fc.integer(), fc.nat(), (ins, outs, version, locktime) => {
        const tx: TxData = { version, locktime, inputs: ins, outputs: outs };
        const buf = serializeTx(tx);
        const t = Transaction.fromBuffer(buf);
        const { txid, wtxid } = txHashes(tx);
        expect(t.getId()).toBe(display(txid));
        expect(hex(t.getHash(true))).toBe(hex(wtxid));
        expect(hex(t.toBuffer())).toBe(hex(buf));
      }),
      { numRuns: 200 },
    );
  });
});

describe('small pieces', () => {
  it('scriptNumPush matches CScript() << n', () => {
    expect(hex(scriptNumPush(0))).toBe('00');
    expect(hex(scriptNumPush(1))).toBe('51');
    expect(hex(scriptNumPush(16))).toBe('60');
    expect(hex(scriptNumPush(17))).toBe('0111');
    expect(hex(scriptNumPush(127))).toBe('017f');
    expect(hex(scriptNumPush(128))).toBe('028000');
    expect(hex(scriptNumPush(255))).toBe('02ff00');
    expect(hex(scriptNumPush(256))).toBe('020001');
    // Block 227836 (the first BIP34 block era): height 227836 = 0x0379fc.
    expect(hex(scriptNumPush(227836))).toBe('03fc7903');
    const { block } = realBlock('block_227836.raw');
    expect(hex(block.transactions![0]!.ins[0]!.script).startsWith('03fc7903')).toBe(true);
    expect(() => scriptNumPush(-1)).toThrow(/non-negative integer/);
  });

  it('varint uses the shortest form at each boundary', () => {
    for (const [v, enc] of [
      [0xfc, 'fc'],
      [0xfd, 'fdfd00'],
      [0xffff, 'fdffff'],
      [0x10000, 'fe00000100'],
      [0x100000000, 'ff0000000001000000'],
    ] as const) {
      const w = new ByteWriter(1);
      w.varint(v);
      expect(hex(w.toBuffer()), `varint ${v}`).toBe(enc);
      expect(varintSize(v)).toBe(enc.length / 2);
    }
    expect(() => new ByteWriter().u64(2 ** 53)).toThrow(/safe non-negative integer/);
  });

  it('merkleRoot duplicates an odd last hash and rejects an empty list', () => {
    const a = Buffer.alloc(32, 1);
    const b = Buffer.alloc(32, 2);
    const c = Buffer.alloc(32, 3);
    const ab = sha256d(Buffer.concat([a, b]));
    const cc = sha256d(Buffer.concat([c, c]));
    expect(hex(computeMerkleRoot([a, b, c]))).toBe(hex(sha256d(Buffer.concat([ab, cc]))));
    expect(hex(computeMerkleRoot([a]))).toBe(hex(a));
    expect(() => computeMerkleRoot([])).toThrow(/at least one/);
  });

  it('xorObfuscate: byte at file offset p XOR key[p % 8], at any phase, and twice restores', () => {
    const key = Buffer.from('0123456789abcdef', 'hex');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat({ max: 1000 }), (data, off) => {
        const b = Buffer.from(data);
        xorObfuscate(b, key, off);
        for (let i = 0; i < b.length; i++) expect(b[i]).toBe(data[i]! ^ key[(off + i) % 8]!);
        xorObfuscate(b, key, off);
        expect(hex(b)).toBe(hex(data));
      }),
    );
    expect(() => xorObfuscate(Buffer.alloc(4), Buffer.alloc(7), 0)).toThrow(/8 bytes/);
  });
});
