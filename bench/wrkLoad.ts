/**
 * Closed-loop load with wrk (Debian package `wrk`, C + LuaJIT) for bench/api.ts, when it is installed.
 *
 * Why offer it beside autocannon: the load generator runs on the same 2 cores as the server, and
 * autocannon (JavaScript) spends several times more CPU per request than wrk, CPU the server then lacks.
 * The bench names the client in every figure.
 *
 * One wrk thread, `connections` keep-alive connections, each sending its next request when the previous
 * answer arrives; latency from send to answer (wrk's own histogram, µs). Paths rotate through a list via a
 * Lua `request()` function; the figures come back from a Lua `done()` hook as one JSON line, together with
 * wrk's own CPU time (`os.clock()`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WrkResult {
  reqPerSec: number;
  /** ms */
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  /** CPU time wrk used (ms). */
  clientCpuMs: number;
}

/** True when a `wrk` binary is on PATH. */
export function wrkAvailable(): boolean {
  return spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;
}

/** Runs wrk against `base` for `seconds`, rotating through `paths`. */
export function wrk(opts: { base: string; paths: string[]; seconds: number; connections: number; headers?: Record<string, string> }): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lh-wrk-'));
  const script = join(dir, 'load.lua');
  const q = (s: string) => JSON.stringify(s); // a JSON string literal is a valid Lua string literal for these ASCII paths
  writeFileSync(
    script,
    `local paths = { ${opts.paths.map(q).join(', ')} }
local n = #paths
local i = 0
${Object.entries(opts.headers ?? {})
  .map(([k, v]) => `wrk.headers[${q(k)}] = ${q(v)}`)
  .join('\n')}
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % n) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests":%d,"durationUs":%d,"p50":%d,"p99":%d,"max":%d,"status":%d,"errors":%d,"cpuS":%.3f}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout, os.clock()))
end
`,
  );
  return new Promise<WrkResult>((ok, fail) => {
    const child = spawn('wrk', ['-t1', `-c${opts.connections}`, `-d${opts.seconds}s`, '--timeout', '5s', '-s', script, opts.base], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('error', fail);
    child.once('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      const m = /WRKJSON (\{.*\})/.exec(out);
      if (code !== 0 || !m) return fail(new Error(`wrk exited ${code}: ${out.slice(0, 2000)}`));
      const r = JSON.parse(m[1] as string) as { requests: number; durationUs: number; p50: number; p99: number; max: number; status: number; errors: number; cpuS: number };
      ok({
        reqPerSec: r.requests / (r.durationUs / 1e6),
        p50: r.p50 / 1000,
        p99: r.p99 / 1000,
        max: r.max / 1000,
        non2xx: r.status,
        errors: r.errors,
        clientCpuMs: r.cpuS * 1000,
      });
    });
  });
}
