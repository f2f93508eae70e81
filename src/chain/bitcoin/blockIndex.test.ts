import { describe, expect, it } from 'vitest';
import { TIP_438, blockHashHex, dsha, forkBlock, realBlocks } from '../../../test/helpers/blk.js';
import { BlockIndex } from './blockIndex.js';
import { workFromBits } from './header.js';

const blocks = realBlocks();
const GENESIS = Buffer.from('000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f', 'hex').reverse();
const hashOf = (b: Buffer) => dsha(b.subarray(0, 80));
const hex = (h: Buffer) => Buffer.from(h).reverse().toString('hex');

function index(list: Buffer[]): BlockIndex {
  const idx = new BlockIndex();
  list.forEach((b, i) => {
    idx.add(b.subarray(0, 80), { fileNo: 0, offset: i * 1000, size: b.length });
  });
  return idx;
}

describe('workFromBits (GetBlockProof)', () => {
  it('matches the chain work of the real headers', () => {
    // Difficulty-1 bits 0x1d00ffff: 2^256 / (0xffff * 2^208 + 1) = 0x100010001 (Bitcoin Core chainwork of block 1 is 0x200020002).
    expect(workFromBits(0x1d00ffff)).toBe(0x100010001n);
    expect(workFromBits(0x1d00ffff) * 2n).toBe(0x200020002n);
    // Negative, zero and overflowing targets count as no work.
    expect(workFromBits(0x1d800000 | 0xffff)).toBe(0n);
    expect(workFromBits(0x1d000000)).toBe(0n);
    expect(workFromBits(0xff00ffff)).toBe(0n);
    // Regtest's 0x207fffff: target 0x7fffff << 232, work 2.
    expect(workFromBits(0x207fffff)).toBe(2n);
  });
});

describe('BlockIndex best chain (real blocks 0..438)', () => {
  it('finds the 439-block chain and its tip in file order', () => {
    const sel = index(blocks).select({ genesisHash: GENESIS });
    expect(sel.best.length).toBe(439);
    expect(hex(sel.tip!.hash)).toBe(TIP_438);
    expect(sel.best.map((b) => hex(b.hash))).toEqual(blocks.map(blockHashHex));
    expect(sel.tip!.chainWork).toBe(439n * 0x100010001n);
    expect(sel.stale).toEqual([]);
    expect(sel.orphans).toEqual([]);
  });

  it('gives the same chain when blocks are stored shuffled', () => {
    const shuffled = [...blocks];
    let seed = 7;
    for (let i = shuffled.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const j = seed % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const sel = index(shuffled).select({ genesisHash: GENESIS });
    expect(sel.best.map((b) => hex(b.hash))).toEqual(blocks.map(blockHashHex));
  });

  it('marks a shorter branch stale and switches to a longer one', () => {
    // Branch off after height 430: 5 blocks (less work than the 8 real ones), then 10 (more).
    const fork = (n: number, tagBase: number) => {
      const out: Buffer[] = [];
      let parent = hashOf(blocks[430]!);
      for (let i = 0; i < n; i++) {
        const b = forkBlock(blocks[431 + (i % 8)]!, parent, tagBase + i);
        out.push(b);
        parent = hashOf(b);
      }
      return out;
    };
    const short = fork(5, 1);
    let sel = index([...blocks, ...short]).select({ genesisHash: GENESIS });
    expect(hex(sel.tip!.hash)).toBe(TIP_438);
    expect(sel.stale.map((b) => hex(b.hash))).toEqual(short.map(blockHashHex));
    expect(sel.stale.map((b) => b.height)).toEqual([431, 432, 433, 434, 435]);

    const long = fork(10, 50);
    sel = index([...blocks, ...long]).select({ genesisHash: GENESIS });
    expect(sel.best.length).toBe(441);
    expect(hex(sel.tip!.hash)).toBe(blockHashHex(long[9]!));
    expect(sel.stale.map((b) => hex(b.hash))).toEqual(blocks.slice(431).map(blockHashHex));
  });

  it('breaks equal work in favour of the block seen first', () => {
    const a = forkBlock(blocks[438]!, hashOf(blocks[437]!), 1);
    const sel = index([...blocks, a]).select({ genesisHash: GENESIS });
    expect(hex(sel.tip!.hash)).toBe(TIP_438);
    const sel2 = index([...blocks.slice(0, 438), a, blocks[438]!]).select({ genesisHash: GENESIS });
    expect(hex(sel2.tip!.hash)).toBe(blockHashHex(a));
  });

  it('reports blocks with an unknown parent as orphans and counts duplicates', () => {
    const orphan = forkBlock(blocks[5]!, Buffer.alloc(32, 0xab), 9);
    const sel = index([...blocks.slice(0, 100), orphan, blocks[50]!]).select({ genesisHash: GENESIS });
    expect(sel.best.length).toBe(100);
    expect(sel.orphans.map((b) => hex(b.hash))).toEqual([blockHashHex(orphan)]);
    expect(sel.duplicates).toBe(1);
  });

  it('starts after genesis at the root with the most work, with the height it is given', () => {
    const sel = index(blocks.slice(200)).select({ genesisHash: GENESIS, rootHeight: () => 200 });
    expect(sel.rootHeight).toBe(200);
    expect(sel.best[0]!.height).toBe(200);
    expect(hex(sel.tip!.hash)).toBe(TIP_438);
  });
});
