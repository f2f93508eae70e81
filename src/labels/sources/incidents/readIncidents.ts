import { parse } from 'csv-parse/sync';
import type { Database } from '../../../store/index.js';
import { LabelInputError } from '../../errors.js';
import { actorIdFor, countSkip, emptyBatch, type IncidentInput, type SourceBatch, type SourceImportResult } from '../../model.js';
import { normalizeAddress } from '../../normalizeAddress.js';
import { conceptWithNarrower, resolveConfidence } from '../../taxonomy/taxonomy.js';
import { type ImportOptions, importSources } from '../../writeSources.js';
import { listSourceFiles, readSourceFile, type SourceFile } from '../readSourceFile.js';
import { isYamlName } from '../tagpack/importTagPacks.js';
import { parseYamlSource, str } from '../yamlSource.js';

/** Abuse concepts that make a tag part of a theft/hack incident (GraphSense `hacking` subtree). */
const HACK_CONCEPTS = new Set(conceptWithNarrower('hacking'));

/**
 * The incident a theft label names, and the role of the address in it. Labels name the victim and the thief's
 * role: "Ronin Bridge Exploiter 3" → victim "Ronin Bridge", role "exploiter 3"; "Bitfinex hack" → "Bitfinex", "hack".
 * This is a text rule over the source's own label, recorded as such (the role keeps the removed words).
 */
export function incidentOfLabel(label: string): { victim: string; role: string } {
  const l = label.trim().replace(/\s+-\s+Contract$/i, '');
  const m = /^(.*?)[\s(]+((?:flash ?loan |flashloan |multisig |exploit |approval |liquidity |front end |fuse )?(?:exploiter|exploit abuser|exploit funder|exploit|hacker|attacker|drainer|hack|rug pull|rug)(?: \(contract deployer\))?)\)?(?:\s+(\d+))?$/i.exec(l);
  if (m?.[1] && m[1].trim() !== '') return { victim: m[1].trim(), role: `${m[2]?.toLowerCase() ?? ''}${m[3] ? ` ${m[3]}` : ''}` };
  return { victim: l.replace(/\s+\d+$/, ''), role: 'tagged' };
}

/** Incident id: lower-case letters and digits of the victim ("Ronin Bridge" → "roninbridge"). */
export const incidentIdFor = actorIdFor;

type Group = IncidentInput & { confidence: string | null };

function group(map: Map<string, Group>, key: string, make: () => Group): Group {
  let g = map.get(key);
  if (g === undefined) {
    g = make();
    map.set(key, g);
  }
  return g;
}

function finish(b: SourceBatch, groups: Map<string, Group>): SourceBatch {
  for (const g of groups.values()) {
    const { confidence, ...inc } = g;
    if (inc.actorId !== null) inc.attributionConfidence = confidence;
    b.incidents.push(inc);
  }
  return b;
}

/**
 * GraphSense-derived theft CSV (`address,currency,label,category,actor,abuse,source,tagpack_file`): one incident per
 * label of hacks.yaml ("Bitfinex hack"), and per (label, pack) for the DPRK packs, whose actor becomes the
 * attribution (confidence authority_data: OFAC/FBI publications).
 */
function graphsenseCsv(file: SourceFile, rows: { record: Record<string, string>; info: { lines: number } }[]): SourceBatch {
  const b = emptyBatch('incidents', file.path, file.sha256, file.bytes);
  b.title = 'GraphSense theft and DPRK address tags (derived CSV)';
  const groups = new Map<string, Group>();
  for (const { record: r, info } of rows) {
    const label = r.label ?? '';
    const pack = r.tagpack_file ?? '';
    const norm = normalizeAddress(r.currency ?? '', r.address ?? '');
    if (!norm.ok) {
      b.problems.push({ file: file.path, line: info.lines, field: 'address', problem: norm.problem });
      continue;
    }
    const isHack = /\bhack$/i.test(label);
    const { victim } = isHack ? incidentOfLabel(label) : { victim: `${label} (${pack})` };
    const g = group(groups, `${label}\u0000${isHack ? '' : pack}`, () => ({
      incidentId: incidentIdFor(victim),
      name: isHack ? label : `${label} addresses (${pack})`,
      victim: isHack ? victim : null,
      date: null,
      chain: norm.currency,
      amount: null,
      amountUnit: null,
      actorId: r.actor ? actorIdFor(r.actor) : null,
      attributionConfidence: null,
      description: `Addresses GraphSense tags "${label}" (${r.abuse || r.category || 'tag'}) in ${pack}.`,
      refs: [],
      addresses: [],
      txs: [],
      confidence: r.actor ? 'authority_data' : null,
    }));
    if (r.source) g.refs.push(r.source);
    g.addresses.push({ currency: norm.currency, address: norm.address, label, role: isHack ? 'hack' : 'attributed', line: info.lines });
  }
  return finish(b, groups);
}

/** Forta's Etherscan heist/exploit labels (`address,etherscan_tag,data_source`): one incident per victim named by the label. */
function fortaCsv(file: SourceFile, rows: { record: Record<string, string>; info: { lines: number } }[]): SourceBatch {
  const b = emptyBatch('incidents', file.path, file.sha256, file.bytes);
  b.title = 'Etherscan heist/exploit labels (Forta labelled datasets)';
  const groups = new Map<string, Group>();
  for (const { record: r, info } of rows) {
    const tag = (r.etherscan_tag ?? '').trim();
    if (tag === '') {
      // Etherscan lists the address as a heist/exploit address without naming the incident.
      countSkip(b.skipped, 'row without a label (no incident to attach it to)');
      continue;
    }
    const norm = normalizeAddress('ETH', r.address ?? '');
    if (!norm.ok) {
      b.problems.push({ file: file.path, line: info.lines, field: 'address', problem: norm.problem });
      continue;
    }
    const { victim, role } = incidentOfLabel(tag);
    const g = group(groups, incidentIdFor(victim), () => ({
      incidentId: incidentIdFor(victim),
      name: victim,
      victim,
      date: null,
      chain: 'ETH',
      amount: null,
      amountUnit: null,
      actorId: null,
      attributionConfidence: null,
      description: `Etherscan labels addresses of this incident (${r.data_source ?? 'etherscan'}).`,
      refs: [],
      addresses: [],
      txs: [],
      confidence: null,
    }));
    g.refs.push(`https://etherscan.io/address/${norm.address}`);
    g.addresses.push({ currency: 'ETH', address: norm.address, label: tag, role, line: info.lines });
  }
  return finish(b, groups);
}

/** A GraphSense TagPack's hack tags (abuse in the `hacking` subtree), grouped into incidents by victim. */
function tagPackIncidents(file: SourceFile): SourceBatch {
  const y = parseYamlSource(file);
  const b = emptyBatch('incidents', file.path, file.sha256, file.bytes);
  b.title = str(y.root.title);
  b.creator = str(y.root.creator);
  const tags = y.list('tags');
  const groups = new Map<string, Group>();
  tags.items.forEach((raw, i) => {
    if (raw === null || typeof raw !== 'object') return;
    const t = raw as Record<string, unknown>;
    const get = (k: string): string | null => str(t[k] !== undefined ? t[k] : y.root[k]);
    const abuse = get('abuse');
    const label = get('label');
    if (abuse === null || !HACK_CONCEPTS.has(abuse) || label === null) return;
    const norm = normalizeAddress(get('currency') ?? '', str(t.address) ?? '');
    if (!norm.ok) {
      b.problems.push({ file: file.path, line: tags.fieldLine(i, 'address'), field: `tags[${i}].address`, problem: norm.problem });
      return;
    }
    const { victim, role } = incidentOfLabel(label);
    const actor = get('actor');
    const g = group(groups, incidentIdFor(victim), () => ({
      incidentId: incidentIdFor(victim),
      name: /hack$/i.test(label) ? label : `${victim} hack`,
      victim,
      date: null,
      chain: norm.currency,
      amount: null,
      amountUnit: null,
      actorId: null,
      attributionConfidence: null,
      description: str(y.root.description),
      refs: [],
      addresses: [],
      txs: [],
      confidence: null,
    }));
    if (actor !== null && g.actorId === null && !/hack/i.test(actor)) {
      g.actorId = actorIdFor(actor);
      g.confidence = resolveConfidence(get('confidence') ?? '')?.id ?? 'unknown';
    }
    const src = get('source');
    if (src !== null) g.refs.push(src);
    g.addresses.push({ currency: norm.currency, address: norm.address, label, role, line: tags.itemLine(i) });
  });
  return finish(b, groups);
}

/**
 * Incident YAML (top-level `incidents:` list; format in docs/LABELS.md): name (required), victim, date
 * (yyyy-mm-dd), chain, amount (number) + amount_unit, actor + attribution_confidence (GraphSense confidence id),
 * description, refs (URLs), addresses ({currency, address, role, label}), txs ({chain, txid, role}).
 * Every field is checked; problems name file, line and field.
 */
function incidentYaml(file: SourceFile): SourceBatch {
  const y = parseYamlSource(file);
  const b = emptyBatch('incidents', file.path, file.sha256, file.bytes);
  b.title = str(y.root.title);
  b.creator = str(y.root.creator);
  const list = y.list('incidents');
  for (const [i, raw] of list.items.entries()) {
    const fail = (field: string, problem: string): void => {
      b.problems.push({ file: file.path, line: list.fieldLine(i, field.split(/[.[]/)[0] ?? field), field: `incidents[${i}].${field}`, problem });
    };
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      b.problems.push({ file: file.path, line: list.itemLine(i), field: `incidents[${i}]`, problem: 'an incident must be a mapping' });
      continue;
    }
    const r = raw as Record<string, unknown>;
    const name = str(r.name);
    if (name === null) {
      fail('name', 'missing incident name');
      continue;
    }
    const date = str(r.date);
    if (date !== null && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      fail('date', `expected yyyy-mm-dd, got ${JSON.stringify(date)}`);
      continue;
    }
    const amountRaw = str(r.amount);
    const amount = amountRaw === null ? null : Number(amountRaw);
    if (amount !== null && !Number.isFinite(amount)) {
      fail('amount', `expected a number, got ${JSON.stringify(amountRaw)}`);
      continue;
    }
    const conf = str(r.attribution_confidence);
    if (conf !== null && resolveConfidence(conf) === undefined) {
      fail('attribution_confidence', `unknown confidence ${JSON.stringify(conf)} (not a GraphSense confidence level)`);
      continue;
    }
    const actor = str(r.actor);
    const victim = str(r.victim);
    const inc: IncidentInput = {
      incidentId: incidentIdFor(victim ?? incidentOfLabel(name).victim),
      name,
      victim,
      date,
      chain: str(r.chain)?.toUpperCase() ?? null,
      amount,
      amountUnit: str(r.amount_unit),
      actorId: actor === null ? null : actorIdFor(actor),
      attributionConfidence: actor === null ? null : (conf ?? 'unknown'),
      description: str(r.description),
      refs: Array.isArray(r.refs) ? r.refs.map(str).filter((x): x is string => x !== null) : [],
      addresses: [],
      txs: [],
    };
    let ok = true;
    (Array.isArray(r.addresses) ? r.addresses : []).forEach((a: unknown, j: number) => {
      const o = (a ?? {}) as Record<string, unknown>;
      const norm = normalizeAddress(str(o.currency) ?? inc.chain ?? '', str(o.address) ?? '');
      if (!norm.ok) {
        fail(`addresses[${j}].address`, norm.problem);
        ok = false;
        return;
      }
      inc.addresses.push({ currency: norm.currency, address: norm.address, label: str(o.label), role: str(o.role) ?? 'involved', line: list.fieldLine(i, 'addresses') });
    });
    (Array.isArray(r.txs) ? r.txs : []).forEach((t: unknown, j: number) => {
      const o = (t ?? {}) as Record<string, unknown>;
      const txid = str(o.txid);
      if (txid === null || !/^(0x)?[0-9a-fA-F]{64}$/.test(txid)) {
        fail(`txs[${j}].txid`, `expected a 64-hex-digit transaction id, got ${JSON.stringify(txid)}`);
        ok = false;
        return;
      }
      inc.txs.push({ chain: str(o.chain)?.toUpperCase() ?? inc.chain ?? '', txid: txid.toLowerCase(), role: str(o.role) ?? 'involved' });
    });
    if (ok) b.incidents.push(inc);
  }
  return b;
}

/**
 * Reads one incident file, recognised by content: incident YAML (top-level `incidents:`), the GraphSense-derived theft CSV, Forta's Etherscan heist CSV, or
 * a GraphSense TagPack (hacks.yaml, ronin_bridge.yaml, ...).
 * @throws LabelInputError for malformed CSV/YAML or a CSV whose header is neither format.
 */
export function readIncidentFile(file: SourceFile): SourceBatch {
  if (isYamlName(file.path)) return /^incidents:/m.test(file.text) ? incidentYaml(file) : tagPackIncidents(file);
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(file.text, { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()), info: true, skip_empty_lines: true, bom: true, trim: true });
  } catch (cause) {
    const e = cause as { lines?: number; message?: string };
    throw new LabelInputError({ file: file.path, line: e.lines ?? 0, field: 'csv' }, `malformed CSV: ${e.message ?? String(cause)}`, { code: 'LH_LABEL_CSV', cause });
  }
  const header = (file.text.split('\n', 1)[0] ?? '').trim().toLowerCase().replace(/^\ufeff/, '');
  if (header === 'address,currency,label,category,actor,abuse,source,tagpack_file') return graphsenseCsv(file, rows);
  if (header === 'address,etherscan_tag,data_source') return fortaCsv(file, rows);
  throw new LabelInputError({ file: file.path, line: 1, field: 'header' }, `unknown incident CSV header ${JSON.stringify(header)}`, {
    code: 'LH_LABEL_CSV',
    hint: 'Expected the GraphSense theft CSV (address,currency,label,category,actor,abuse,source,tagpack_file) or Forta labels (address,etherscan_tag,data_source).',
  });
}

/** `incident import FILE|DIR`: every incident file (CSV, TagPack YAML) as its own source, in one transaction. */
export async function importIncidents(db: Database, path: string, options: ImportOptions = {}): Promise<SourceImportResult[]> {
  const files = listSourceFiles(path, (n) => /\.csv$/i.test(n) || isYamlName(n));
  return importSources(
    db,
    async (write) => {
      for (const f of files) await write(readIncidentFile(readSourceFile(f)));
    },
    options,
  );
}
