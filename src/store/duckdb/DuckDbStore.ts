/**
 * ChainStore on DuckDB: the schema of `../schema.ts`, bulk loads through the appender with data chunks,
 * and the few set-based updates ingest needs (spend linking, rollback).
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { type Network, SCRIPT_TYPES } from '../../chain/index.js';
import { LedgerhoundError } from '../../core/index.js';
import type { TableBatch } from '../columns.js';
import {
  ADDRESS_COLUMNS,
  BLOCK_COLUMNS,
  INPUT_COLUMNS,
  OUTPUT_COLUMNS,
  PENDING_SEEN_COLUMNS,
  PENDING_SPEND_COLUMNS,
  SCHEMA_VERSION,
  TX_COLUMNS,
} from '../schema.js';
import type {
  AddressView,
  BlockView,
  ChainBatch,
  ChainStore,
  ChainTotals,
  StoreState,
  TxInputView,
  TxOutputView,
  TxView,
} from '../Store.js';
import { appendBatch, columnsDdl } from './columnAppend.js';
import { Database } from './Database.js';

const num = (v: DuckDBValue | undefined): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: DuckDBValue | undefined): number | null => (v === null || v === undefined ? null : Number(v));
const ST_NULLDATA = SCRIPT_TYPES.indexOf('nulldata');

function schemaDdl(): string {
  const t = (name: string, cols: Parameters<typeof columnsDdl>[0]) => `CREATE TABLE IF NOT EXISTS ${name} (\n  ${columnsDdl(cols)}\n);`;
  return [
    'CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);',
    'CREATE TABLE IF NOT EXISTS script_types (code UTINYINT PRIMARY KEY, name VARCHAR NOT NULL);',
    t('blocks', BLOCK_COLUMNS),
    t('transactions', TX_COLUMNS),
    t('inputs', INPUT_COLUMNS),
    t('outputs', OUTPUT_COLUMNS),
    t('addresses', ADDRESS_COLUMNS),
    t('pending_spends', PENDING_SPEND_COLUMNS),
    t('pending_seen', PENDING_SEEN_COLUMNS),
  ].join('\n');
}

function tsString(v: DuckDBValue | undefined): string {
  // TIMESTAMP values print as `2009-01-03 18:15:05`; ISO 8601 with Z reads unambiguously.
  return `${String(v).replace(' ', 'T')}Z`;
}

export class DuckDbStore implements ChainStore {
  private constructor(
    readonly db: Database,
    private readonly compressStrings = false,
  ) {}

  /**
   * Opens (or creates) a DuckDB chain store.
   * @param options.readOnly open for queries only; fails with LH_DB_MISSING when the file does not exist.
   * @param options.memoryLimit DuckDB memory_limit when writable (default 1GB).
   * @param options.compressStrings let DuckDB try FSST on the string columns while batches are loaded
   *   (see appendBatch): a smaller file, a slower load.
   */
  static async open(path: string, options: { readOnly?: boolean; memoryLimit?: string; compressStrings?: boolean } = {}): Promise<DuckDbStore> {
    const db = await Database.open(path, options.readOnly === undefined ? {} : { readOnly: options.readOnly });
    if (!options.readOnly) {
      // Fewer, larger checkpoints during bulk loads (default 16 MB of WAL).
      await db.run("SET checkpoint_threshold = '512MB'");
      // DuckDB's buffer pool defaults to 80% of RAM and keeps the blocks ingest writes cached, so the
      // process grew with the chain (2.7 GB RSS on the 2 GB bench chain); a fixed cap keeps it flat
      // (larger joins spill to DuckDB's temp directory).
      await db.run(`SET memory_limit = '${(options.memoryLimit ?? '1GB').replace(/[^0-9A-Za-z.]/g, '')}'`);
    }
    return new DuckDbStore(db, options.compressStrings === true);
  }

  /** Opens an existing, ingested database read-only; clear errors when it is missing or empty. */
  static async openForQuery(path: string): Promise<DuckDbStore> {
    const store = await DuckDbStore.open(path, { readOnly: true });
    const t = await store.db.one<{ n: bigint }>(
      "SELECT count(*) n FROM information_schema.tables WHERE table_name IN ('meta', 'blocks', 'transactions')",
    );
    if (num(t?.n) < 3) {
      store.close();
      throw new LedgerhoundError('LH_DB_EMPTY', `database ${path} holds no ingested chain`, {
        details: { path },
        hint: 'Run `ledgerhound ingest bitcoin --blocks-dir DIR` first, or pass --db.',
      });
    }
    return store;
  }

  async init(network: Network): Promise<StoreState> {
    await this.db.run(schemaDdl());
    const meta = await this.meta();
    const version = meta.get('schema_version');
    if (version !== undefined && version !== String(SCHEMA_VERSION)) {
      throw new LedgerhoundError('LH_DB_SCHEMA', `database ${this.db.path} has schema version ${version}, this build uses ${SCHEMA_VERSION}`, {
        details: { path: this.db.path, version },
        hint: 'Ingest into a new --db file.',
      });
    }
    const stored = meta.get('network');
    if (stored !== undefined && stored !== network) {
      throw new LedgerhoundError('LH_NETWORK_MISMATCH', `database ${this.db.path} holds the ${stored} chain, not ${network}`, {
        details: { path: this.db.path, stored, network },
        hint: 'Use the same --network as before or another --db.',
      });
    }
    if (stored === undefined) {
      await this.db.transaction(async () => {
        await this.setMeta({ schema_version: String(SCHEMA_VERSION), network });
        await this.db.run('DELETE FROM script_types');
        await this.db.run(`INSERT INTO script_types VALUES ${SCRIPT_TYPES.map((n, i) => `(${i}, '${n}')`).join(', ')}`);
      });
    }
    return this.state();
  }

  private async meta(): Promise<Map<string, string>> {
    const rows = await this.db.all<{ key: string; value: string }>('SELECT key, value FROM meta');
    return new Map(rows.map((r) => [r.key, r.value]));
  }

  private async setMeta(values: Record<string, string | number | null>): Promise<void> {
    const entries = Object.entries(values);
    const params: DuckDBValue[] = [];
    for (const [k, v] of entries) params.push(k, v === null ? '' : String(v));
    await this.db.run(`INSERT OR REPLACE INTO meta VALUES ${entries.map(() => '(?, ?)').join(', ')}`, params);
  }

  async state(): Promise<StoreState> {
    const m = await this.meta();
    const n = (k: string, d: number) => {
      const v = m.get(k);
      return v === undefined || v === '' ? d : Number(v);
    };
    const root = m.get('root_height');
    return {
      network: (m.get('network') as Network | undefined) ?? null,
      tipHeight: n('tip_height', -1),
      tipHash: m.get('tip_hash') || null,
      rootHeight: root === undefined || root === '' ? null : Number(root),
      nextTxId: n('next_tx_id', 0),
      nextInputId: n('next_input_id', 0),
      nextOutputId: n('next_output_id', 0),
      nextAddressId: n('next_address_id', 0),
      linkedInputId: n('linked_input_id', 0),
      linkedOutputId: n('linked_output_id', 0),
      forwardLinks: n('forward_links', 0) === 1,
    };
  }

  async mainChainHashes(): Promise<Map<number, string>> {
    const rows = await this.db.all<{ height: number; hash: string }>('SELECT height, hash FROM blocks WHERE NOT stale ORDER BY height');
    return new Map(rows.map((r) => [r.height, r.hash]));
  }

  /** A batch transaction left open by appendBatch(…, { commit: false }). */
  private openBatchTx = false;
  /**
   * DuckDB's `threads` and `disabled_compression_methods` before bulk loading changed them (restored by the
   * set-based passes), or null when not bulk loading.
   */
  private bulkBefore: { threads: string; disabled: string } | null = null;

  /**
   * Appends a batch (see ChainStore.appendBatch). While batches are loaded:
   * - DuckDB runs with one thread: its appends and commits then run on the calling thread and the thread of
   *   the async COMMIT, leaving the other cores to the parse and linking workers (A/B on the replay chain's
   *   batches: store CPU -25%; with commits every 4 batches of 64 MiB, -30-35% and the final checkpoint
   *   2.1 -> 0.2 s);
   * - dictionary compression is not tried: every string column of the chain tables holds hashes or
   *   addresses, distinct by nature, and its analysis (a hash table of every string of a segment) was
   *   wasted work (replay chain: 44.3 -> 40.2 CPU-s in all, the file 769 -> 760 MB);
   * - nor FSST, unless the store was opened with `compressStrings`: it only exploits the 4 bits per
   *   character of hex (and a little of Base58), and its analysis and compression sit on the ingest thread,
   *   the one that appends the last held batches alone at the end of a run (simulator chain, 3 pairs
   *   alternating: 21.1-25.0 s against 22.7-27.1 s; the file 1.09 -> 1.28 GB).
   */
  async appendBatch(batch: ChainBatch, options: { commit?: boolean } = {}): Promise<void> {
    if (this.bulkBefore === null) {
      const t = await this.db.one<{ t: string; d: string }>(
        "SELECT current_setting('threads')::VARCHAR t, current_setting('disabled_compression_methods')::VARCHAR d",
      );
      this.bulkBefore = { threads: t?.t ?? '', disabled: t?.d ?? '' };
      await this.db.run('SET threads = 1');
      const skip = this.compressStrings ? ['dictionary'] : ['dictionary', 'fsst'];
      const disabled = [...new Set([...this.bulkBefore.disabled.toLowerCase().split(',').map((m) => m.trim()).filter(Boolean), ...skip])].join(',');
      await this.db.run('SET disabled_compression_methods = $d', { d: disabled });
    }
    if (!this.openBatchTx) {
      await this.db.run('BEGIN TRANSACTION');
      this.openBatchTx = true;
    }
    try {
      const tables: [string, TableBatch][] = [
        ['blocks', batch.blocks],
        ['transactions', batch.transactions],
        ['inputs', batch.inputs],
        ['outputs', batch.outputs],
        ['addresses', batch.addresses],
        ['pending_spends', batch.spends],
        ['pending_seen', batch.seen],
      ];
      for (const [name, rows] of tables) {
        if (rows.rows === 0) continue;
        const app = await this.db.appender(name);
        try {
          appendBatch(app, rows);
          app.flushSync();
        } catch (err) {
          // Closing an appender whose append failed fails too ("Current transaction is aborted"):
          // report the first error, which names the cause.
          try {
            app.closeSync();
          } catch {}
          throw new LedgerhoundError('LH_STORE_APPEND', `appending ${rows.rows} rows to ${name} failed: ${err instanceof Error ? err.message : String(err)}`, {
            cause: err,
            details: { table: name, rows: rows.rows },
          });
        }
        app.closeSync();
      }
      await this.setMeta({
        tip_height: batch.state.tipHeight,
        tip_hash: batch.state.tipHash,
        next_tx_id: batch.state.nextTxId,
        next_input_id: batch.state.nextInputId,
        next_output_id: batch.state.nextOutputId,
        next_address_id: batch.state.nextAddressId,
        root_height: batch.state.rootHeight,
        // The batch's links are applied (same-batch spends) or staged in the pending tables.
        linked_input_id: batch.state.nextInputId,
        linked_output_id: batch.state.nextOutputId,
        forward_links: batch.state.forwardLinks ? 1 : 0,
      });
    } catch (err) {
      this.openBatchTx = false;
      await this.db.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
    if (options.commit !== false) await this.commitPending();
  }

  async commitPending(): Promise<void> {
    if (!this.openBatchTx) return;
    this.openBatchTx = false;
    try {
      await this.db.run('COMMIT');
    } catch (err) {
      await this.db.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /** Ends bulk loading before a set-based pass: commits open batches, restores DuckDB's settings. */
  private async endBulk(): Promise<void> {
    await this.commitPending();
    if (this.bulkBefore !== null) {
      const before = this.bulkBefore;
      this.bulkBefore = null;
      const n = Number(before.threads);
      if (Number.isInteger(n) && n > 0) await this.db.run(`SET threads = ${n}`);
      await this.db.run('SET disabled_compression_methods = $d', { d: before.disabled });
    }
  }

  /**
   * Applies the staged spend links and address sightings (the pending tables) and empties them. A database
   * an older build left mid-run (inputs above linked_input_id, nothing staged) is linked from its rows.
   */
  async linkPending(): Promise<void> {
    await this.endBulk();
    const s = await this.state();
    const unstaged = s.linkedInputId < s.nextInputId || s.linkedOutputId < s.nextOutputId;
    const staged = await this.db.one<{ spends: bigint; seen: bigint }>(
      'SELECT (SELECT count(*) FROM pending_spends) spends, (SELECT count(*) FROM pending_seen) seen',
    );
    const spends = num(staged?.spends);
    const seen = num(staged?.seen);
    if (!unstaged && spends === 0 && seen === 0) return;
    await this.db.transaction(async () => {
      if (unstaged) await this.linkUnstaged(s.linkedInputId, s.linkedOutputId);
      if (spends > 0) {
        await this.db.run(
          `UPDATE outputs SET spending_input_id = p.input_id, spending_tx_id = p.tx_id
             FROM pending_spends p WHERE outputs.output_id = p.output_id`,
        );
        await this.db.run('DELETE FROM pending_spends');
      }
      if (seen > 0) {
        await this.db.run(
          `UPDATE addresses SET last_seen_height = s.h
             FROM (SELECT address_id, max(height) h FROM pending_seen GROUP BY address_id) s
            WHERE addresses.address_id = s.address_id AND s.h > addresses.last_seen_height`,
        );
        await this.db.run('DELETE FROM pending_seen');
      }
      if (unstaged) await this.setMeta({ linked_input_id: s.nextInputId, linked_output_id: s.nextOutputId });
    });
  }

  /** Links inputs from `mi` and outputs from `mo` from their rows (a database of an older build, mid-run). */
  private async linkUnstaged(mi: number, mo: number): Promise<void> {
    await this.db.run(
      `UPDATE outputs SET spending_input_id = i.input_id, spending_tx_id = i.tx_id
         FROM (SELECT input_id, tx_id, spent_output_id FROM inputs WHERE input_id >= $mi AND spent_output_id IS NOT NULL) i
        WHERE outputs.output_id = i.spent_output_id`,
      { mi },
    );
    await this.db.run(
      `UPDATE addresses SET last_seen_height = s.h
         FROM (SELECT address_id, max(height) h FROM (
                 SELECT address_id, height FROM outputs WHERE output_id >= $mo AND address_id IS NOT NULL
                 UNION ALL
                 SELECT address_id, height FROM inputs WHERE input_id >= $mi AND address_id IS NOT NULL)
               GROUP BY address_id) s
        WHERE addresses.address_id = s.address_id AND s.h > addresses.last_seen_height`,
      { mi, mo },
    );
  }

  async clearForwardLinks(): Promise<void> {
    const s = await this.state();
    if (!s.forwardLinks) return;
    await this.endBulk();
    await this.db.transaction(async () => {
      await this.db.run('UPDATE outputs SET spending_input_id = NULL, spending_tx_id = NULL WHERE spending_input_id >= $ni', { ni: s.nextInputId });
      await this.recomputeLastSeenAbove(s.tipHeight);
      await this.setMeta({ forward_links: 0 });
    });
  }

  /** Sets each address's last-seen height above `height` to the highest height its stored rows give. */
  private async recomputeLastSeenAbove(height: number): Promise<void> {
    await this.db.run(
      `UPDATE addresses SET last_seen_height = greatest(
          (SELECT max(height) FROM outputs o WHERE o.address_id = addresses.address_id),
          coalesce((SELECT max(height) FROM inputs i WHERE i.address_id = addresses.address_id), 0))
        WHERE last_seen_height > $h`,
      { h: height },
    );
  }

  async rollbackTo(height: number): Promise<void> {
    await this.endBulk();
    await this.db.transaction(async () => {
      const s = await this.state();
      const first = await this.db.one<{ t: bigint; i: bigint; o: bigint }>(
        'SELECT first_tx_id t, first_input_id i, first_output_id o FROM blocks WHERE NOT stale AND height > $h ORDER BY height LIMIT 1',
        { h: height },
      );
      if (!first) return;
      const fi = num(first.i);
      const fo = num(first.o);
      const ft = num(first.t);
      const tip = await this.db.one<{ hash: string }>('SELECT hash FROM blocks WHERE NOT stale AND height = $h', { h: height });
      const na = await this.db.one<{ n: bigint }>('SELECT count(*) n FROM addresses WHERE first_seen_height <= $h', { h: height });
      await this.db.run('UPDATE outputs SET spending_input_id = NULL, spending_tx_id = NULL WHERE spending_input_id >= $fi', { fi });
      await this.db.run('DELETE FROM pending_spends WHERE input_id >= $fi', { fi });
      await this.db.run('DELETE FROM pending_seen WHERE height > $h', { h: height });
      await this.db.run('DELETE FROM inputs WHERE input_id >= $fi', { fi });
      await this.db.run('DELETE FROM outputs WHERE output_id >= $fo', { fo });
      await this.db.run('DELETE FROM transactions WHERE tx_id >= $ft', { ft });
      await this.db.run('DELETE FROM blocks WHERE NOT stale AND height > $h', { h: height });
      await this.db.run('DELETE FROM addresses WHERE first_seen_height > $h', { h: height });
      await this.recomputeLastSeenAbove(height);
      await this.setMeta({
        tip_height: tip ? height : -1,
        tip_hash: tip ? tip.hash : null,
        next_tx_id: ft,
        next_input_id: fi,
        next_output_id: fo,
        next_address_id: num(na?.n),
        linked_input_id: Math.min(s.linkedInputId, fi),
        linked_output_id: Math.min(s.linkedOutputId, fo),
        ...(tip ? {} : { root_height: null }),
      });
    });
  }

  async scanUnspent(cb: (txidHex: string, vout: number, outputId: number, value: number, addressId: number) => void): Promise<void> {
    await this.db.eachChunk(
      `SELECT t.txid, o.vout, o.output_id, o.value, coalesce(o.address_id, -1) address_id
         FROM outputs o JOIN transactions t ON t.tx_id = o.tx_id
        WHERE o.spending_input_id IS NULL AND o.script_type <> ${ST_NULLDATA}
        ORDER BY o.output_id`,
      (chunk, rows) => {
        const [txid, vout, id, value, addr] = chunk.getColumns() as [string[], number[], bigint[], bigint[], bigint[]];
        for (let r = 0; r < rows; r++) cb(txid[r] as string, vout[r] as number, Number(id[r]), Number(value[r]), Number(addr[r]));
      },
    );
  }

  async scanAddresses(cb: (addressId: number, address: string) => void): Promise<void> {
    await this.db.eachChunk('SELECT address_id, address FROM addresses ORDER BY address_id', (chunk, rows) => {
      const [id, addr] = chunk.getColumns() as [bigint[], string[]];
      for (let r = 0; r < rows; r++) cb(Number(id[r]), addr[r] as string);
    });
  }

  async replaceStaleBlocks(blocks: TableBatch): Promise<void> {
    await this.endBulk();
    await this.db.transaction(async () => {
      await this.db.run('DELETE FROM blocks WHERE stale');
      if (blocks.rows === 0) return;
      const app = await this.db.appender('blocks');
      try {
        appendBatch(app, blocks);
        app.flushSync();
      } finally {
        app.closeSync();
      }
    });
  }

  async totals(): Promise<ChainTotals> {
    const r = await this.db.one<Record<string, bigint>>(
      `SELECT (SELECT count(*) FROM blocks WHERE NOT stale) blocks,
              (SELECT count(*) FROM blocks WHERE stale) stale,
              (SELECT count(*) FROM transactions) txs,
              (SELECT count(*) FROM inputs) inputs,
              (SELECT count(*) FROM inputs WHERE unresolved) unresolved,
              (SELECT count(*) FROM outputs) outputs,
              (SELECT count(*) FROM addresses) addresses`,
    );
    return {
      blocks: num(r?.blocks),
      transactions: num(r?.txs),
      inputs: num(r?.inputs),
      outputs: num(r?.outputs),
      addresses: num(r?.addresses),
      unresolvedInputs: num(r?.unresolved),
      staleBlocks: num(r?.stale),
    };
  }

  async getTx(txid: string): Promise<TxView[]> {
    const txs = await this.db.all(
      `SELECT t.*, b.hash block_hash FROM transactions t JOIN blocks b ON b.height = t.height AND NOT b.stale
        WHERE t.txid = $txid ORDER BY t.tx_id`,
      { txid },
    );
    const out: TxView[] = [];
    for (const t of txs) {
      const txId = num(t.tx_id);
      const ins = await this.db.all(
        `SELECT i.*, coalesce(pt.txid, i.prev_txid) ptxid, a.address
           FROM inputs i
           LEFT JOIN outputs po ON po.output_id = i.spent_output_id
           LEFT JOIN transactions pt ON pt.tx_id = po.tx_id
           LEFT JOIN addresses a ON a.address_id = i.address_id
          WHERE i.tx_id = $id ORDER BY i.input_id`,
        { id: txId },
      );
      const outs = await this.db.all(
        `SELECT o.*, a.address, st.name script_name, si.vin spent_vin, stx.txid spent_txid
           FROM outputs o
           JOIN script_types st ON st.code = o.script_type
           LEFT JOIN addresses a ON a.address_id = o.address_id
           LEFT JOIN inputs si ON si.input_id = o.spending_input_id
           LEFT JOIN transactions stx ON stx.tx_id = o.spending_tx_id
          WHERE o.tx_id = $id ORDER BY o.output_id`,
        { id: txId },
      );
      const inputs: TxInputView[] = ins.map((i) => ({
        vin: num(i.vin),
        coinbase: i.coinbase === true,
        prevTxid: i.coinbase === true ? null : ((i.ptxid as string | null) ?? null),
        prevVout: i.coinbase === true ? null : num(i.prev_vout),
        sequence: num(i.sequence),
        value: numOrNull(i.value),
        address: (i.address as string | null) ?? null,
        spentOutputId: numOrNull(i.spent_output_id),
        unresolved: i.unresolved === true,
      }));
      const outputs: TxOutputView[] = outs.map((o) => ({
        vout: num(o.vout),
        outputId: num(o.output_id),
        value: num(o.value),
        scriptType: String(o.script_name),
        address: (o.address as string | null) ?? null,
        spentBy: o.spent_txid ? { txid: String(o.spent_txid), vin: num(o.spent_vin) } : null,
      }));
      out.push({
        txid: String(t.txid),
        wtxid: String(t.wtxid ?? t.txid),
        txId,
        height: num(t.height),
        blockHash: String(t.block_hash),
        position: num(t.position),
        time: tsString(t.time),
        version: num(t.version),
        locktime: num(t.locktime),
        size: num(t.size),
        vsize: num(t.vsize),
        weight: num(t.weight),
        segwit: t.segwit === true,
        coinbase: t.coinbase === true,
        inputValue: numOrNull(t.input_value),
        outputValue: num(t.output_value),
        fee: numOrNull(t.fee),
        inputs,
        outputs,
      });
    }
    return out;
  }

  async getAddress(address: string, limit = 25): Promise<AddressView | null> {
    const a = await this.db.one(
      `SELECT a.*, st.name type_name FROM addresses a JOIN script_types st ON st.code = a.script_type WHERE a.address = $address`,
      { address },
    );
    if (!a) return null;
    const id = num(a.address_id);
    const agg = await this.db.one(
      `SELECT count(*) n, count(spending_input_id) spent, coalesce(sum(value), 0) received,
              coalesce(sum(value) FILTER (WHERE spending_input_id IS NOT NULL), 0) sent
         FROM outputs WHERE address_id = $id`,
      { id },
    );
    const txc = await this.db.one<{ n: bigint }>(
      `SELECT count(DISTINCT tx_id) n FROM (
         SELECT tx_id FROM outputs WHERE address_id = $id UNION ALL SELECT tx_id FROM inputs WHERE address_id = $id)`,
      { id },
    );
    const recent = await this.db.all(
      `SELECT t.txid, o.vout, o.height, o.value, st.txid spent_txid
         FROM outputs o JOIN transactions t ON t.tx_id = o.tx_id
         LEFT JOIN transactions st ON st.tx_id = o.spending_tx_id
        WHERE o.address_id = $id ORDER BY o.output_id DESC LIMIT $limit`,
      { id, limit },
    );
    const received = num(agg?.received);
    const sent = num(agg?.sent);
    return {
      address: String(a.address),
      addressId: id,
      type: String(a.type_name),
      cluster: a.cluster === undefined || a.cluster === null ? null : num(a.cluster),
      firstSeenHeight: num(a.first_seen_height),
      lastSeenHeight: num(a.last_seen_height),
      outputCount: num(agg?.n),
      spentCount: num(agg?.spent),
      received,
      sent,
      balance: received - sent,
      txCount: num(txc?.n),
      outputs: recent.map((r) => ({
        txid: String(r.txid),
        vout: num(r.vout),
        height: num(r.height),
        value: num(r.value),
        spentByTxid: (r.spent_txid as string | null) ?? null,
      })),
    };
  }

  async getBlock(heightOrHash: number | string): Promise<BlockView | null> {
    const b =
      typeof heightOrHash === 'number'
        ? await this.db.one('SELECT * FROM blocks WHERE height = $h AND NOT stale', { h: heightOrHash })
        : await this.db.one('SELECT * FROM blocks WHERE hash = $h', { h: heightOrHash });
    if (!b) return null;
    const stale = b.stale === true;
    const txs = stale
      ? []
      : await this.db.all<{ txid: string; fee: bigint | null }>('SELECT txid, fee FROM transactions WHERE height = $h ORDER BY tx_id', {
          h: num(b.height),
        });
    return {
      height: num(b.height),
      hash: String(b.hash),
      prevHash: String(b.prev_hash),
      stale,
      time: tsString(b.time),
      version: num(b.version),
      merkleRoot: String(b.merkle_root),
      bits: num(b.bits),
      nonce: num(b.nonce),
      chainWork: String(b.chain_work),
      size: num(b.size),
      strippedSize: numOrNull(b.stripped_size),
      weight: numOrNull(b.weight),
      txCount: numOrNull(b.tx_count),
      fees: stale ? null : txs.reduce((s, t) => s + (t.fee === null ? 0 : Number(t.fee)), 0),
      fileNo: num(b.file_no),
      fileOffset: num(b.file_offset),
      txids: txs.map((t) => t.txid),
    };
  }

  close(): void {
    this.db.close();
  }
}
