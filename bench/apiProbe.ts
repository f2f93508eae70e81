/**
 * Loaded into the `serve` child by bench/api.ts (`node --import tsx --import ./bench/apiProbe.ts …`): measures
 * what a latency tail is made of, inside the server process, per bench phase.
 *
 * On SIGUSR2 it writes one stderr line `LHPROBE {json}` with what happened since the previous signal, then
 * starts over:
 * - `eld`: event-loop delay (perf_hooks.monitorEventLoopDelay, 1 ms resolution), p50/p99/max in ms: how
 *   long a ready request could wait because the JavaScript thread was busy with something else;
 * - `gc`: garbage collections seen by a PerformanceObserver, by kind (scavenge = young generation, mark =
 *   full), count, total and longest pause in ms;
 * - `cpuMs`: CPU time of the whole process (all threads: JavaScript, DuckDB, libuv) and `wallMs`.
 * Nothing here changes what the server does; without this file the server runs exactly the same.
 */
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

const eld = monitorEventLoopDelay({ resolution: 1 });
eld.enable();
let gc: Record<string, { n: number; totalMs: number; maxMs: number }> = {};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = KINDS[((e as unknown as { detail?: { kind?: number } }).detail?.kind ?? -1) as number] ?? 'other';
    gc[kind] ??= { n: 0, totalMs: 0, maxMs: 0 };
    const g = gc[kind] as { n: number; totalMs: number; maxMs: number };
    g.n++;
    g.totalMs += e.duration;
    g.maxMs = Math.max(g.maxMs, e.duration);
  }
}).observe({ entryTypes: ['gc'] });
let cpu = process.cpuUsage();
let wall = performance.now();

process.on('SIGUSR2', () => {
  const c = process.cpuUsage(cpu);
  const round = (x: number) => Math.round(x * 100) / 100;
  const out = {
    wallMs: round(performance.now() - wall),
    cpuMs: round((c.user + c.system) / 1000),
    eld: { p50: round(eld.percentile(50) / 1e6), p99: round(eld.percentile(99) / 1e6), max: round(eld.max / 1e6) },
    gc: Object.fromEntries(Object.entries(gc).map(([k, v]) => [k, { n: v.n, totalMs: round(v.totalMs), maxMs: round(v.maxMs) }])),
  };
  process.stderr.write(`LHPROBE ${JSON.stringify(out)}\n`);
  eld.reset();
  gc = {};
  cpu = process.cpuUsage();
  wall = performance.now();
});
