/**
 * An open-loop HTTP/1.1 load generator for bench/api.ts: requests are scheduled at a fixed rate (request k
 * is due at start + k/rate), whatever the server's speed, and each latency is measured from the time the
 * request was DUE, not from when a free connection finally sent it (wrk2's correction for coordinated
 * omission). A client that needs 10,000 screens/s sees exactly these latencies.
 *
 * Why not autocannon's `overallRate`: autocannon lets each connection send flat out until it has made its
 * share of the second's requests, then pauses until the next second (autocannon 9 lib/httpClient.js
 * `reqsMadeThisSecond`), so "10,000/s" is a closed-loop burst at full speed for most of each second and the
 * latencies are those of a saturated server.
 *
 * Keep-alive connections, no pipelining: a due request waits in a client-side queue while every
 * connection has a request in flight (that wait counts in its latency). Responses must carry
 * Content-Length (fastify's do).
 */
import { connect, type Socket } from 'node:net';

export interface OpenLoopOptions {
  /** `http://127.0.0.1:PORT` */
  base: string;
  /** Requests per second offered. */
  rate: number;
  seconds: number;
  connections: number;
  /** The path of the k-th request. */
  path: (k: number) => string;
  headers?: Record<string, string>;
}

export interface OpenLoopResult {
  offeredPerSec: number;
  /** Responses per second, over the scheduled duration or until the last response when that came later. */
  completedPerSec: number;
  sent: number;
  completed: number;
  non2xx: number;
  errors: number;
  /** Requests still unanswered 2 s after the last was due (counted as errors). */
  unanswered: number;
  /** Most requests waiting for a free connection at once. */
  maxQueued: number;
  /** ms, from the time each request was due. */
  latency: { p50: number; p90: number; p99: number; p999: number; max: number };
}

interface Conn {
  sock: Socket;
  /** Due time (performance.now()) of the request in flight, or -1 when idle. */
  dueAt: number;
  buf: Buffer | null;
}

/** Runs the load and resolves with its figures. */
export function openLoop(opts: OpenLoopOptions): Promise<OpenLoopResult> {
  const url = new URL(opts.base);
  const port = Number(url.port);
  const headerText = Object.entries({ host: url.host, ...(opts.headers ?? {}) })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const total = Math.round(opts.rate * opts.seconds);
  const lat = new Float64Array(total);
  const intervalMs = 1000 / opts.rate;
  let issued = 0;
  let completed = 0;
  let non2xx = 0;
  let errors = 0;
  let maxQueued = 0;
  let lastDoneAt = 0;
  /** Due times of requests no connection could take yet, FIFO from `qHead`. */
  const queue: number[] = [];
  let qHead = 0;
  let pathK = 0;
  const idle: Conn[] = [];
  const conns: Conn[] = [];
  let start = 0;
  let finish: (() => void) | null = null;

  const send = (c: Conn, dueAt: number) => {
    c.dueAt = dueAt;
    c.sock.write(`GET ${opts.path(pathK++)} HTTP/1.1\r\n${headerText}\r\n`, 'latin1');
  };
  const done = (c: Conn, status: number) => {
    lastDoneAt = performance.now();
    lat[completed++] = lastDoneAt - c.dueAt;
    if (status < 200 || status > 299) non2xx++;
    c.dueAt = -1;
    if (qHead < queue.length) {
      send(c, queue[qHead++] as number);
      if (qHead === queue.length) {
        queue.length = 0;
        qHead = 0;
      }
    } else idle.push(c);
    if (completed + errors >= total && finish) finish();
  };
  // Parsing on bytes (no header strings): the client shares the 2 cores with the server, so its own
  // CPU per request is kept low (and printed by bench/api.ts).
  const CRLF2 = Buffer.from('\r\n\r\n');
  const CL = Buffer.from('\r\ncontent-length:');
  const onData = (c: Conn, chunk: Buffer) => {
    let b = c.buf === null ? chunk : Buffer.concat([c.buf, chunk]);
    for (;;) {
      const he = b.indexOf(CRLF2);
      if (he < 0) break;
      // "HTTP/1.1 200": the status is bytes 9-11.
      const status = ((b[9] as number) - 48) * 100 + ((b[10] as number) - 48) * 10 + ((b[11] as number) - 48);
      let len = 0;
      let at = b.indexOf(CL);
      if (at < 0 || at > he) at = b.subarray(0, he).toString('latin1').toLowerCase().indexOf('\r\ncontent-length:');
      if (at >= 0 && at < he) {
        let i = at + CL.length;
        while (b[i] === 32) i++;
        for (let d = b[i] as number; d >= 48 && d <= 57; d = b[++i] as number) len = len * 10 + d - 48;
      }
      if (b.length < he + 4 + len) break;
      b = b.subarray(he + 4 + len);
      done(c, status);
    }
    c.buf = b.length > 0 ? b : null;
  };

  return new Promise<OpenLoopResult>((resolveRun, rejectRun) => {
    let opened = 0;
    for (let i = 0; i < opts.connections; i++) {
      const c: Conn = { sock: connect({ host: url.hostname, port, noDelay: true }), dueAt: -1, buf: null };
      c.sock.on('data', (d: Buffer) => onData(c, d));
      c.sock.on('error', () => {
        if (c.dueAt >= 0) errors++;
        c.dueAt = -1;
      });
      c.sock.once('connect', () => {
        idle.push(c);
        if (++opened === opts.connections) begin();
      });
      conns.push(c);
    }
    const connectTimeout = setTimeout(() => rejectRun(new Error(`open-loop load: could not open ${opts.connections} connections to ${opts.base}`)), 5000);

    function begin() {
      clearTimeout(connectTimeout);
      start = performance.now();
      const tick = setInterval(() => {
        const now = performance.now();
        const due = Math.min(total, Math.floor((now - start) / intervalMs) + 1);
        while (issued < due) {
          const dueAt = start + issued * intervalMs;
          const c = idle.pop();
          if (c) send(c, dueAt);
          else queue.push(dueAt);
          issued++;
        }
        if (queue.length - qHead > maxQueued) maxQueued = queue.length - qHead;
        if (issued >= total) clearInterval(tick);
      }, 1);
      const end = () => {
        clearTimeout(hardStop);
        for (const c of conns) c.sock.destroy();
        const n = completed;
        const sorted = lat.subarray(0, n).sort();
        const q = (p: number) => (n === 0 ? Number.NaN : (sorted[Math.min(n - 1, Math.floor(n * p))] as number));
        const unanswered = total - completed - errors;
        resolveRun({
          offeredPerSec: opts.rate,
          completedPerSec: n / Math.max(opts.seconds, (lastDoneAt - start) / 1000),
          sent: issued,
          completed: n,
          non2xx,
          errors: errors + unanswered,
          unanswered,
          maxQueued,
          latency: { p50: q(0.5), p90: q(0.9), p99: q(0.99), p999: q(0.999), max: n === 0 ? Number.NaN : (sorted[n - 1] as number) },
        });
      };
      // Stop 2 s after the last request was due, answered or not.
      const hardStop = setTimeout(end, opts.seconds * 1000 + 2000);
      finish = end;
    }
  });
}
