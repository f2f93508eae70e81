/**
 * `ledgerhound screen address ADDR… | tx TXID | file FILE | precompute` (issue 7), attached to the `screen`
 * group that name screening creates (screen-name.ts, `screenGroup`).
 *
 * Each command builds the in-memory ScreeningIndex from --db (chain, clusters, labels; the precompute
 * sweep takes well under a second on the demo chain, see docs/SCREENING.md), answers, and writes every
 * screened subject to the audit log (`screen_audit_log`, channel `cli`, actor `cli:$USER`). The server
 * keeps its index in memory instead (`serve`).
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { LedgerhoundError, NotFoundError, UsageError } from '../../core/index.js';
import {
  type AddressRisk,
  AuditLog,
  checkTxid,
  loadRules,
  ruleSetTag,
  ScreeningIndex,
  screenTransaction,
} from '../../screen/index.js';
import { DuckDbStore } from '../../store/index.js';
import { globalOptions, printErr, printJson, printLine } from '../context.js';

/**
 * The shared `screen` group: the existing one (created by screen-name.ts for name screening) or a new one;
 * the same contract as screen-name.ts's `screenGroup`, so registration order does not matter.
 */
function screenGroup(program: Command): Command {
  const existing = program.commands.find((c) => c.name() === 'screen');
  if (existing) return existing;
  return program.command('screen').description('screen addresses, transactions and names (risk, sanctions)');
}

interface Opened {
  store: DuckDbStore;
  index: ScreeningIndex;
  audit: AuditLog;
  actor: string;
  requestId: string;
}

let cliRequests = 0;

async function open(cmd: Command, rulesPath: string | undefined): Promise<Opened> {
  const g = globalOptions(cmd);
  const rules = loadRules(rulesPath);
  // Opening read-write would create an empty file: refuse a missing database instead.
  if (!existsSync(g.db)) {
    throw new LedgerhoundError('LH_DB_MISSING', `database ${g.db} does not exist`, {
      details: { path: g.db },
      hint: 'Run `ledgerhound ingest bitcoin --blocks-dir DIR` first, or pass --db.',
    });
  }
  const store = await DuckDbStore.open(g.db);
  try {
    const index = await ScreeningIndex.build(store.db, rules);
    const audit = await AuditLog.open(store.db);
    let user = 'unknown';
    try {
      user = userInfo().username;
    } catch {
      // no passwd entry (containers): keep "unknown"
    }
    return { store, index, audit, actor: `cli:${user}`, requestId: `cli-${process.pid}-${Date.now()}-${cliRequests++}` };
  } catch (err) {
    store.close();
    throw err;
  }
}

async function close(o: Opened): Promise<void> {
  await o.audit.close();
  o.store.close();
}

function auditAddress(o: Opened, r: AddressRisk, action: string): void {
  o.audit.record({
    requestId: o.requestId,
    channel: 'cli',
    actor: o.actor,
    actorName: null,
    action,
    subject: r.address,
    score: r.score,
    level: r.level,
    ruleSet: ruleSetTag(r.ruleSet),
    result: {
      score: r.score,
      level: r.level,
      direct: r.direct.map((d) => d.category),
      received: r.indirect.received.categories.filter((c) => c.score > 0).map((c) => [c.category, c.exposure]),
      sent: r.indirect.sent.categories.filter((c) => c.score > 0).map((c) => [c.category, c.exposure]),
    },
  });
}

/** One-line reasons for a risk: direct categories, then indirect exposures with their share. */
export function reasons(r: AddressRisk): string {
  const parts: string[] = [];
  for (const d of r.direct) parts.push(`${d.category} (label${d.labels.some((l) => l.onAddress) ? '' : ' on cluster'}: ${d.labels[0]?.label ?? ''})`);
  for (const c of r.indirect.received.categories) if (c.score > 0) parts.push(`received ${(c.exposure * 100).toFixed(2)}% ${c.category}`);
  for (const c of r.indirect.sent.categories) if (c.score > 0) parts.push(`sent ${(c.exposure * 100).toFixed(2)}% ${c.category}`);
  return parts.join('; ') || 'no risk found';
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const CSV_HEADER = ['line', 'address', 'score', 'level', 'direct', 'received', 'sent', 'cluster', 'rule_set', 'error'];

export function register(program: Command): void {
  const screen = screenGroup(program);

  screen
    .command('address <addresses...>')
    .description('risk score, level and breakdown of one or more addresses (direct labels, indirect exposure)')
    .option('--rules <file>', 'risk rules file (default config/risk-rules.yaml)')
    .action(async (addresses: string[], o: { rules?: string }, cmd: Command) => {
      const opened = await open(cmd, o.rules);
      try {
        const results = addresses.map((a) => {
          const r = opened.index.screenAddress(a);
          auditAddress(opened, r, 'screen.address');
          return r;
        });
        if (globalOptions(cmd).json) printJson(results.length === 1 ? results[0] : results);
        else {
          const info = opened.index.rules.info;
          printLine(`rule set ${info.id} ${info.version} (sha256 ${info.sha256.slice(0, 12)}), chain screened through height ${opened.index.screenedThroughHeight}`);
          for (const r of results) {
            printLine(`${r.address}  ${String(r.score).padStart(3)}  ${r.level.padEnd(6)}  ${reasons(r)}`);
            for (const side of ['received', 'sent'] as const) {
              for (const c of r.indirect[side].categories.slice(0, 3)) {
                if (c.score === 0) continue;
                const tx = c.txs[0];
                printLine(`    ${side} ${c.category}: by hop ${c.byHop.map((x) => `${(x * 100).toFixed(2)}%`).join(' / ')}${tx ? `, e.g. tx ${tx.txid} (hop ${tx.hop})` : ''}`);
              }
            }
          }
        }
      } finally {
        await close(opened);
      }
    });

  screen
    .command('tx <txid>')
    .description('KYT: risk of the counterparties and of the source of funds of a transaction')
    .option('--customer <address>', "the customer's address in the transaction")
    .option('--direction <dir>', 'received (deposit) or sent (withdrawal); default from where the customer appears')
    .option('--rules <file>', 'risk rules file (default config/risk-rules.yaml)')
    .action(async (txidArg: string, o: { customer?: string; direction?: string; rules?: string }, cmd: Command) => {
      const txid = checkTxid(txidArg);
      if (o.direction !== undefined && o.direction !== 'received' && o.direction !== 'sent') {
        throw new UsageError(`--direction must be received or sent, got ${JSON.stringify(o.direction)}`);
      }
      const opened = await open(cmd, o.rules);
      try {
        const txs = await opened.store.getTx(txid);
        const tx = txs[txs.length - 1];
        if (tx === undefined) throw new NotFoundError('transaction', txid);
        const r = screenTransaction(opened.index, tx, {
          customerAddress: o.customer ?? null,
          direction: (o.direction as 'received' | 'sent' | undefined) ?? null,
        });
        opened.audit.record({
          requestId: opened.requestId,
          channel: 'cli',
          actor: opened.actor,
          actorName: null,
          action: 'screen.tx',
          subject: o.customer ? `${txid} ${o.customer}` : txid,
          score: r.score,
          level: r.level,
          ruleSet: ruleSetTag(r.ruleSet),
          result: { score: r.score, level: r.level, direction: r.direction },
        });
        if (globalOptions(cmd).json) printJson(r);
        else {
          printLine(`tx ${r.txid} (height ${r.height}) ${r.direction}: score ${r.score} ${r.level}  [rule set ${r.ruleSet.id} ${r.ruleSet.version}]`);
          for (const [name, side] of [
            ['source of funds', r.sourceOfFunds],
            ['destination', r.destination],
          ] as const) {
            if (side === null) continue;
            printLine(`  ${name}: weighted ${side.weightedScore}, riskiest ${side.maxScore}`);
            for (const c of side.counterparties.slice(0, 10)) {
              printLine(`    ${c.address}  ${(c.valueSat / 1e8).toFixed(8)} BTC  ${String(c.score).padStart(3)} ${c.level.padEnd(6)} ${reasons(c.risk)}`);
            }
          }
        }
      } finally {
        await close(opened);
      }
    });

  screen
    .command('file <file>')
    .description('screen one address per line (blank lines and # comments skipped); CSV on stdout')
    .option('--rules <file>', 'risk rules file (default config/risk-rules.yaml)')
    .action(async (file: string, o: { rules?: string }, cmd: Command) => {
      const input = createReadStream(file);
      const ready = new Promise<void>((resolve, reject) => {
        input.once('open', () => resolve());
        input.once('error', (cause) => reject(new LedgerhoundError('LH_FILE', `cannot read ${file}: ${cause.message}`, { cause, details: { file } })));
      });
      await ready;
      const opened = await open(cmd, o.rules);
      let n = 0;
      let bad = 0;
      try {
        process.stdout.write(`${CSV_HEADER.join(',')}\n`);
        const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
        let line = 0;
        const tag = ruleSetTag(opened.index.rules.info);
        for await (const raw of rl) {
          line++;
          const text = raw.trim();
          if (text === '' || text.startsWith('#')) continue;
          n++;
          let row: (string | number)[];
          try {
            const r = opened.index.screenAddress(text);
            auditAddress(opened, r, 'screen.file');
            row = [
              line,
              r.address,
              r.score,
              r.level,
              r.direct.map((d) => d.category).join(' '),
              r.indirect.received.categories.filter((c) => c.score > 0).map((c) => `${c.category}:${c.exposure}`).join(' '),
              r.indirect.sent.categories.filter((c) => c.score > 0).map((c) => `${c.category}:${c.exposure}`).join(' '),
              r.cluster?.id ?? '',
              tag,
              '',
            ];
          } catch (err) {
            if (!(err instanceof LedgerhoundError) || err.code !== 'LH_BAD_ADDRESS') throw err;
            bad++;
            row = [line, text.slice(0, 100), '', '', '', '', '', '', tag, `${err.code}: ${err.shortMessage}`];
          }
          process.stdout.write(`${row.map(csvCell).join(',')}\n`);
        }
      } finally {
        await close(opened);
      }
      printErr(`screened ${n} address(es) from ${file}${bad ? `, ${bad} invalid (see the error column)` : ''}`);
    });

  screen
    .command('precompute')
    .description('build the per-cluster exposure index and report what it holds and how long it took')
    .option('--rules <file>', 'risk rules file (default config/risk-rules.yaml)')
    .action(async (o: { rules?: string }, cmd: Command) => {
      const opened = await open(cmd, o.rules);
      try {
        const i = opened.index;
        const summary = {
          ruleSet: i.rules.info,
          transactions: i.txCount,
          addresses: i.addressCount,
          labelled: i.labelledCount,
          coinjoinFlags: i.coinjoinSource,
          screenedThroughHeight: i.screenedThroughHeight,
          timings: i.timings,
        };
        if (globalOptions(cmd).json) printJson(summary);
        else {
          printLine(`exposure index: ${summary.transactions} txs, ${summary.addresses} addresses, ${summary.labelled.addresses} risky-labelled addresses in ${summary.labelled.clusters} clusters`);
          printLine(`load ${i.timings.loadMs.toFixed(0)} ms, sweeps ${i.timings.sweepMs.toFixed(0)} ms; CoinJoin flags from ${i.coinjoinSource}; through height ${i.screenedThroughHeight}`);
        }
      } finally {
        await close(opened);
      }
    });
}
