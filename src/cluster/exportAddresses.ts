/**
 * `ledgerhound export addresses`: one row per address with its cluster, written by DuckDB's COPY
 * (csv with header, jsonl = newline-delimited JSON, parquet) to a temporary file renamed into place, so a
 * failed export leaves no half-written file.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LedgerhoundError, UsageError } from '../core/index.js';
import type { Database } from '../store/index.js';

export const EXPORT_FORMATS = ['csv', 'jsonl', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Columns: address, cluster (NULL until clustered), script_type, first_height, last_height, received, balance (satoshis). */
export function addressExportSql(hasCluster: boolean): string {
  return `SELECT a.address, ${hasCluster ? 'a.cluster' : 'CAST(NULL AS BIGINT)'} AS cluster, st.name AS script_type,
                 a.first_seen_height AS first_height, a.last_seen_height AS last_height,
                 coalesce(o.received, 0) AS received, coalesce(o.balance, 0) AS balance
            FROM addresses a
            JOIN script_types st ON st.code = a.script_type
            LEFT JOIN (SELECT address_id, CAST(sum(value) AS BIGINT) received,
                              CAST(sum(CASE WHEN spending_input_id IS NULL THEN value ELSE 0 END) AS BIGINT) balance
                         FROM outputs WHERE address_id IS NOT NULL GROUP BY address_id) o
              ON o.address_id = a.address_id
           ORDER BY a.address_id`;
}

export function parseExportFormat(f: string): ExportFormat {
  if (!(EXPORT_FORMATS as readonly string[]).includes(f)) {
    throw new UsageError(`unknown --format "${f}"`, { format: f, valid: EXPORT_FORMATS }, `Use one of: ${EXPORT_FORMATS.join(', ')}.`);
  }
  return f as ExportFormat;
}

const copyOptions: Record<ExportFormat, string> = {
  csv: 'FORMAT csv, HEADER true',
  jsonl: 'FORMAT json',
  parquet: 'FORMAT parquet, COMPRESSION zstd',
};

/**
 * Writes the address export to `out` (atomically) and returns the number of rows.
 * @throws LedgerhoundError LH_EXPORT_WRITE naming the file when it cannot be written
 */
export async function exportAddresses(db: Database, format: ExportFormat, out: string): Promise<number> {
  const target = resolve(out);
  if (!existsSync(dirname(target))) {
    throw new UsageError(`cannot write ${target}: directory ${dirname(target)} does not exist`, { out: target });
  }
  const hasCluster =
    Number(
      (
        await db.one<{ n: bigint }>(
          "SELECT count(*) n FROM information_schema.columns WHERE table_name = 'addresses' AND column_name = 'cluster'",
        )
      )?.n ?? 0,
    ) > 0;
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    await db.run(`COPY (${addressExportSql(hasCluster)}) TO '${tmp.replaceAll("'", "''")}' (${copyOptions[format]})`);
    renameSync(tmp, target);
  } catch (cause) {
    rmSync(tmp, { force: true });
    throw new LedgerhoundError('LH_EXPORT_WRITE', `cannot write ${target}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
      details: { out: target, format },
    });
  }
  const n = await db.one<{ n: bigint }>('SELECT count(*) n FROM addresses');
  return Number(n?.n ?? 0);
}
