/**
 * The header index of a blocks directory: every block's hash, parent, location and cumulative work, and
 * the choice of the best chain (Bitcoin Core's rule: most cumulative work; between equal work the block
 * seen first wins, as Core prefers the tip it received first).
 *
 * Blocks may be stored in any order (Core writes them as they arrive, children before parents during
 * initial block download). The index links them after all headers are in, so order does not matter.
 *
 * Terms: the *root* is where the chain starts: the network's genesis block when present, otherwise the
 * parentless block with the most work beneath it (a directory that starts after genesis). *Stale* blocks
 * descend from the root but are not on the best chain. *Orphans* are blocks whose ancestry does not reach
 * the root (their parent is in no file): they are reported and never ingested.
 */
import type { BlockLocation } from './blkFiles.js';
import { sha256d } from './hash.js';
import { workFromBits } from './header.js';

/** One block in the index. Hashes are in internal byte order. */
export interface IndexedBlock {
  hash: Buffer;
  prevHash: Buffer;
  version: number;
  merkleRoot: Buffer;
  time: number;
  bits: number;
  nonce: number;
  loc: BlockLocation;
  /** Order in which the header was seen (file order, then offset): the tie-breaker. */
  seq: number;
  /** Height from the root (root = rootHeight); -1 for orphans. */
  height: number;
  /** Work of the chain up to and including this block; 0n for orphans. */
  chainWork: bigint;
}

/** The result of best-chain selection. */
export interface ChainSelection {
  /** The best chain from the root to the tip, index = height - rootHeight. */
  best: IndexedBlock[];
  rootHeight: number;
  tip: IndexedBlock | null;
  /** Blocks descending from the root that are not on the best chain, by height then seq. */
  stale: IndexedBlock[];
  /** Blocks whose ancestry does not reach the root, in seq order. */
  orphans: IndexedBlock[];
  /** Records of a block already indexed (same hash stored twice); the first copy is used. */
  duplicates: number;
}

/**
 * Collects headers (in any order) and selects the best chain.
 *
 * @example
 * const index = new BlockIndex();
 * scanBlkFile(file, magic, key, (loc, header) => index.add(header, loc));
 * const chain = index.select({ genesisHash });
 */
export class BlockIndex {
  private readonly byHash = new Map<string, IndexedBlock>();
  private readonly order: IndexedBlock[] = [];
  private dupCount = 0;

  /** Number of distinct blocks indexed. */
  get size(): number {
    return this.order.length;
  }

  /** Adds one 80-byte header found at `loc`; a hash seen before only counts as a duplicate. */
  add(header: Uint8Array, loc: BlockLocation): IndexedBlock | null {
    const h = Buffer.from(header.buffer, header.byteOffset, 80);
    const hash = sha256d(h);
    const key = hash.toString('latin1');
    if (this.byHash.has(key)) {
      this.dupCount++;
      return null;
    }
    const block: IndexedBlock = {
      hash,
      prevHash: Buffer.from(h.subarray(4, 36)),
      version: h.readInt32LE(0),
      merkleRoot: Buffer.from(h.subarray(36, 68)),
      time: h.readUInt32LE(68),
      bits: h.readUInt32LE(72),
      nonce: h.readUInt32LE(76),
      loc: { ...loc },
      seq: this.order.length,
      height: -1,
      chainWork: 0n,
    };
    this.byHash.set(key, block);
    this.order.push(block);
    return block;
  }

  /** The block with this hash (internal byte order), if indexed. */
  get(hash: Uint8Array): IndexedBlock | undefined {
    return this.byHash.get(Buffer.from(hash.buffer, hash.byteOffset, hash.length).toString('latin1'));
  }

  /**
   * Links parents to children, computes heights and cumulative work from the root and picks the best tip.
   *
   * @param opts.genesisHash the network's genesis hash (internal order): the root when present.
   * @param opts.rootHeight height of a non-genesis root (e.g. from its BIP34 coinbase); called only when
   *   the root is not genesis. Defaults to 0.
   */
  select(opts: { genesisHash?: Uint8Array; rootHeight?: (root: IndexedBlock) => number } = {}): ChainSelection {
    const children = new Map<string, IndexedBlock[]>();
    const parentless: IndexedBlock[] = [];
    for (const b of this.order) {
      b.height = -1;
      b.chainWork = 0n;
      const pk = b.prevHash.toString('latin1');
      if (this.byHash.has(pk)) {
        let list = children.get(pk);
        if (!list) {
          list = [];
          children.set(pk, list);
        }
        list.push(b);
      } else {
        parentless.push(b);
      }
    }
    if (this.order.length === 0) {
      return { best: [], rootHeight: 0, tip: null, stale: [], orphans: [], duplicates: this.dupCount };
    }

    // Walks a subtree from `root`, setting height and work; returns its best tip and all its blocks.
    const walk = (root: IndexedBlock, rootHeight: number): { tip: IndexedBlock; members: IndexedBlock[] } => {
      root.height = rootHeight;
      root.chainWork = workFromBits(root.bits);
      let tip = root;
      const members: IndexedBlock[] = [];
      const stack = [root];
      while (stack.length > 0) {
        const b = stack.pop() as IndexedBlock;
        members.push(b);
        if (b.chainWork > tip.chainWork || (b.chainWork === tip.chainWork && b.seq < tip.seq)) tip = b;
        const kids = children.get(b.hash.toString('latin1'));
        if (!kids) continue;
        for (const c of kids) {
          c.height = b.height + 1;
          c.chainWork = b.chainWork + workFromBits(c.bits);
          stack.push(c);
        }
      }
      return { tip, members };
    };

    const genesisKey = opts.genesisHash ? Buffer.from(opts.genesisHash).toString('latin1') : null;
    const genesis = genesisKey === null ? undefined : this.byHash.get(genesisKey);
    let root: IndexedBlock;
    let rootHeight = 0;
    let result: { tip: IndexedBlock; members: IndexedBlock[] };
    if (genesis && parentless.includes(genesis)) {
      root = genesis;
      result = walk(root, 0);
    } else {
      // No genesis: the parentless subtree with the most work (ties: first seen) is the chain.
      let bestRoot: IndexedBlock | null = null;
      let bestTipWork = -1n;
      for (const p of parentless) {
        const r = walk(p, 0);
        if (r.tip.chainWork > bestTipWork) {
          bestTipWork = r.tip.chainWork;
          bestRoot = p;
        }
      }
      root = bestRoot as IndexedBlock;
      rootHeight = opts.rootHeight ? opts.rootHeight(root) : 0;
      for (const b of this.order) {
        b.height = -1;
        b.chainWork = 0n;
      }
      result = walk(root, rootHeight);
    }

    const best: IndexedBlock[] = new Array(result.tip.height - rootHeight + 1);
    for (let b: IndexedBlock | undefined = result.tip; b; ) {
      best[b.height - rootHeight] = b;
      if (b === root) break;
      b = this.byHash.get(b.prevHash.toString('latin1'));
    }
    const onBest = new Set(best);
    const stale = result.members
      .filter((b) => !onBest.has(b))
      .sort((a, b) => a.height - b.height || a.seq - b.seq);
    const reached = new Set(result.members);
    const orphans = this.order.filter((b) => !reached.has(b));
    for (const o of orphans) {
      o.height = -1;
      o.chainWork = 0n;
    }
    return { best, rootHeight, tip: result.tip, stale, orphans, duplicates: this.dupCount };
  }
}
