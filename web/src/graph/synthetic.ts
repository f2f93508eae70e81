/**
 * A generated trace of a given size (a theft fanning out through peel chains into exchanges and a
 * mixer), used to measure the flow view on graphs larger than the demo (`#/lab/synthetic?nodes=2000`).
 * Deterministic: the same size gives the same graph.
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

/**
 * A trace document (same JSON shape the API returns) with `nodeCount` nodes: one source, a tree of
 * attacker addresses with fan-out 2–4, leaves at exchanges (60%), a mixer (20%) or unknown.
 */
export function syntheticTrace(nodeCount: number, policy = 'poison'): unknown {
  const r = rng(nodeCount * 7919 + policy.length);
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const nodes: Record<string, unknown>[] = [
    { id: 'n0', kind: 'address', label: 'theft', category: 'victim', hop: 0, tracedSat: 1_000_000_000_000 },
  ];
  const edges: Record<string, unknown>[] = [];
  const frontier: { id: string; sat: number; hop: number; t: number }[] = [{ id: 'n0', sat: 1_000_000_000_000, hop: 0, t: t0 }];
  let next = 1;
  const factor = policy === 'haircut' ? 0.9 : policy === 'fifo' ? 0.95 : 1;
  while (next < nodeCount && frontier.length > 0) {
    const parent = frontier.shift() as { id: string; sat: number; hop: number; t: number };
    const fan = 2 + Math.floor(r() * 3);
    for (let k = 0; k < fan && next < nodeCount; k++) {
      const id = `n${next++}`;
      const sat = Math.max(1000, Math.floor((parent.sat / fan) * (0.8 + r() * 0.2) * factor));
      const t = parent.t + Math.floor(r() * 36) * 3_600_000;
      const leafRoll = r();
      const isLeaf = nodeCount - next < frontier.length + fan || leafRoll < 0.15;
      const category = isLeaf ? (leafRoll < 0.09 ? 'exchange' : leafRoll < 0.12 ? 'mixer' : 'unknown') : 'attacker';
      nodes.push({
        id,
        kind: 'address',
        label: isLeaf && category !== 'unknown' ? `${category} ${next % 7}` : `addr${next}`,
        category,
        hop: parent.hop + 1,
        tracedSat: sat,
        firstTime: new Date(t).toISOString(),
        lastTime: new Date(t).toISOString(),
        endpoint: isLeaf,
      });
      edges.push({ source: parent.id, target: id, tracedSat: sat, time: new Date(t).toISOString(), reason: `${policy} split` });
      if (!isLeaf) frontier.push({ id, sat, hop: parent.hop + 1, t });
    }
  }
  return { schemaVersion: 1, policy, title: `Synthetic trace (${nodes.length} nodes)`, graph: { nodes, edges } };
}
