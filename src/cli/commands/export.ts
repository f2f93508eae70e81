/**
 * `ledgerhound export addresses --format csv|jsonl|parquet [--out FILE]`: one row per address
 * (address, cluster, script_type, first_height, last_height, received, balance).
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { exportAddresses, parseExportFormat } from '../../cluster/index.js';
import { LedgerhoundError, UsageError } from '../../core/index.js';
import { Database } from '../../store/index.js';
import { globalOptions, printErr, printJson } from '../context.js';

export function register(program: Command): void {
  const exp = program.command('export').description('export derived data');
  exp
    .command('addresses')
    .description('every address with its cluster, type, first/last height, received and balance (satoshis)')
    .requiredOption('--format <format>', 'csv, jsonl or parquet')
    .option('--out <file>', 'output file (default: stdout; parquet needs --out)')
    .action(async (o: { format: string; out?: string }, cmd: Command) => {
      const format = parseExportFormat(o.format);
      if (format === 'parquet' && o.out === undefined) throw new UsageError('--format parquet needs --out FILE (binary output)');
      const g = globalOptions(cmd);
      const db = await Database.open(g.db, { readOnly: true });
      try {
        const t = await db.one<{ n: bigint }>("SELECT count(*) n FROM information_schema.tables WHERE table_name = 'addresses'");
        if (Number(t?.n ?? 0) === 0) {
          throw new LedgerhoundError('LH_DB_EMPTY', `database ${g.db} holds no ingested chain`, {
            hint: 'Run `ledgerhound ingest bitcoin --blocks-dir DIR` first, or pass --db.',
          });
        }
        if (o.out !== undefined) {
          const rows = await exportAddresses(db, format, o.out);
          if (g.json) printJson({ out: o.out, format, rows });
          else printErr(`wrote ${rows} addresses to ${o.out}`);
          return;
        }
        const dir = mkdtempSync(join(tmpdir(), 'lh-export-'));
        try {
          const file = join(dir, `addresses.${format}`);
          await exportAddresses(db, format, file);
          await pipeline(createReadStream(file), process.stdout, { end: false });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      } finally {
        db.close();
      }
    });
}
