/**
 * A generated trace result of a given size, in the tracer's `ledgerhound.trace` v1 shape (theft
 * transaction → addresses → transactions … → exchange and mixer entities), used to measure the flow
 * view on graphs larger than the demo (`#/lab/synthetic?nodes=2000`). Deterministic per size/policy.
 */

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number, len: number) => n.toString(16).padStart(len, '0').slice(-len);

/** A trace document with about `nodeCount` nodes (exactly, for counts ≥ 10). */
export function syntheticTrace(nodeCount: number, policy: 'poison' | 'haircut' | 'fifo' = 'poison'): unknown {
  const r = rng(nodeCount * 7919 + policy.length);
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const nodes: Record<string, unknown>[] = [];
  const edges: Record<string, unknown>[] = [];
  const entities = ['Exchange A', 'Exchange B', 'Exchange C', 'OTC desk', 'Mixer'].map((label, i) => ({
    id: `entity:e${i}`,
    kind: 'entity',
    label,
    category: label === 'Mixer' ? 'mixing_service' : 'exchange',
  }));
  nodes.push(...entities);
  const factor = policy === 'haircut' ? 0.93 : policy === 'fifo' ? 0.97 : 1;
  const endpointSat = new Map<string, { sat: number; first: number; last: number }>();
  let txn = 0;
  let addrn = 0;
  const tx = (hop: number, t: number, inSat: number) => {
    const id = `tx:${hex(++txn, 64)}`;
    nodes.push({ id, kind: 'tx', txid: id.slice(3), height: 100 + hop, time: new Date(t).toISOString(), hop, coinjoin: false, mixed: false, tracedInSat: inSat, tracedOutSat: inSat, feeSat: 0 });
    return id;
  };
  const reason = (kind: string, detail: string) => ({ kind, detail, confidence: 1 });
  const queue: { tx: string; hop: number; t: number; sat: number }[] = [{ tx: tx(0, t0, 1e12), hop: 0, t: t0, sat: 1e12 }];
  // Each transaction pays 2–4 addresses; an address is spent on (new transaction), deposited (entity) or left.
  while (queue.length > 0 && nodes.length < nodeCount) {
    const q = queue.shift() as (typeof queue)[number];
    const fan = 2 + Math.floor(r() * 3);
    for (let k = 0; k < fan && nodes.length < nodeCount; k++) {
      const a = `addr:bc1qsynth${hex(++addrn, 8)}`;
      const sat = Math.max(1000, Math.floor((q.sat / fan) * (0.8 + r() * 0.2) * factor));
      nodes.push({ id: a, kind: 'address', address: a.slice(5), cluster: null, entity: null });
      edges.push({ from: q.tx, to: a, tracedSat: sat, txid: q.tx.slice(3), vout: k, valueSat: sat, hop: q.hop, mixed: false, reason: reason('payment', `synthetic output ${k}`) });
      const roll = r();
      const t = q.t + Math.floor(r() * 36) * 3_600_000;
      if (roll < 0.12 && q.hop > 1) {
        const e = entities[Math.floor(r() * entities.length)] as { id: string };
        (nodes[nodes.length - 1] as Record<string, unknown>).entity = e.id;
        edges.push({ from: a, to: e.id, tracedSat: sat, txid: null, vout: null, valueSat: null, hop: q.hop, mixed: false, reason: reason('label', 'synthetic deposit') });
        const ep = endpointSat.get(e.id) ?? { sat: 0, first: q.t, last: q.t };
        ep.sat += sat;
        ep.first = Math.min(ep.first, q.t);
        ep.last = Math.max(ep.last, q.t);
        endpointSat.set(e.id, ep);
      } else if (roll < 0.2) {
        // left unspent
      } else if (nodes.length < nodeCount) {
        const next = tx(q.hop + 1, t, sat);
        edges.push({ from: a, to: next, tracedSat: sat, txid: q.tx.slice(3), vout: k, valueSat: sat, hop: q.hop + 1, mixed: false, reason: reason('spend', 'synthetic spend') });
        queue.push({ tx: next, hop: q.hop + 1, t, sat });
      }
    }
  }
  const endpoints = entities
    .filter((e) => endpointSat.has(e.id))
    .map((e) => {
      const ep = endpointSat.get(e.id) as { sat: number; first: number; last: number };
      return {
        entity: { key: e.id.slice(7), label: e.label, category: e.category, source: 'synthetic', confidence: null, confidenceLevel: null },
        tracedSat: ep.sat,
        mixedSat: 0,
        outputs: 1,
        firstTime: new Date(ep.first).toISOString(),
        lastTime: new Date(ep.last).toISOString(),
        minHops: 1,
        maxHops: 1,
        via: ['address'],
        examples: [],
      };
    })
    .sort((a, b) => b.tracedSat - a.tracedSat);
  const endpointTotal = endpoints.reduce((a, e) => a + e.tracedSat, 0);
  return {
    schema: 'ledgerhound.trace',
    version: 1,
    direction: 'forward',
    policy: { name: policy, definition: `${policy} (synthetic)`, conserving: policy !== 'poison' },
    query: { from: [], incident: `Synthetic trace (${nodes.length} nodes)`, maxHops: 100, minValueSat: 0, maxTxs: 0, maxEdges: 0, untilHeight: null, untilTime: null, stopAt: [] },
    starts: [],
    totals: { startSat: 1e12, endpointSat: endpointTotal, unspentSat: 0, feeSat: 0, belowMinSat: 0, stoppedSat: 0, coinbaseSat: 0, mixedSat: 0, mixedEndpointSat: 0 },
    endpoints,
    deposits: [],
    unspent: { count: 0, outputs: [] },
    stopped: { count: 0, outputs: [] },
    limits: { hit: [], complete: true },
    coinjoin: { source: null, txs: [] },
    graph: { nodes, edges },
    stats: { txsVisited: txn, outputsTraced: addrn, edges: edges.length, walkMs: 0 },
    summary: 'Synthetic trace generated in the browser.',
  };
}
