#!/usr/bin/env node
/**
 * The `ledgerhound` command line. Each command lives in `commands/<name>.ts` and exports
 * `register(program)`; this file only wires them and turns errors into exit codes.
 */
import { Command, CommanderError } from 'commander';
import { LedgerhoundError } from '../core/index.js';
import { defaultDbPath } from './context.js';

export function buildProgram(): Command {
  const program = new Command('ledgerhound')
    .description('Crypto-forensics workbench: ingest, cluster, attribute, trace and screen.')
    .version('0.1.0')
    .option('--db <path>', 'DuckDB database file (env LEDGERHOUND_DB)', defaultDbPath())
    .option('--json', 'machine-readable JSON on stdout (progress and logs go to stderr)', false)
    .option('--debug', 'print stack traces on errors', false)
    .showHelpAfterError()
    .exitOverride();
  return program;
}

/** Exit codes: 0 ok, 1 failure (bad data, not found), 2 usage error. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const { registerAll } = await import('./commands/index.js');
  registerAll(program);
  const debug = argv.includes('--debug');
  // `ledgerhound … | head`: a closed pipe ends the command quietly, as for any Unix tool.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    return reportError(err, debug);
  }
}

function reportError(err: unknown, debug: boolean): number {
  if (err instanceof CommanderError) {
    // commander already printed help/version or the usage problem.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof LedgerhoundError) {
    process.stderr.write(`error [${err.code}]: ${err.message}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.code === 'LH_USAGE' ? 2 : 1;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`internal error: ${e.message}\n`);
  if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
  else process.stderr.write('(run with --debug for the stack trace; please report this as a bug)\n');
  return 70;
}

const isEntry = process.argv[1] !== undefined && /[\\/]cli[\\/]main\.(ts|js)$/.test(process.argv[1]);
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`internal error: ${String(err)}\n`);
      process.exitCode = 70;
    },
  );
}
