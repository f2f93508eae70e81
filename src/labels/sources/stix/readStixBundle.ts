import { LabelInputError } from '../../errors.js';
import { type ActorInput, type ActorRefInput, actorIdFor, countSkip, emptyBatch, type SourceBatch } from '../../model.js';
import { jsonErrorLine, lineOfOffset } from '../jsonPosition.js';
import type { SourceFile } from '../readSourceFile.js';

interface StixObject {
  type?: unknown;
  id?: unknown;
  name?: unknown;
  aliases?: unknown;
  description?: unknown;
  revoked?: unknown;
  x_mitre_deprecated?: unknown;
  external_references?: unknown;
  relationship_type?: unknown;
  source_ref?: unknown;
  target_ref?: unknown;
  first_seen?: unknown;
  last_seen?: unknown;
}

interface ExternalRef {
  source_name?: string;
  external_id?: string;
  url?: string;
  description?: string;
}

const ID = /^[a-z][a-z0-9-]*--[0-9a-fA-F-]{36}$/;

/** The ATT&CK (or other) external id of a STIX object: `G0032`, `S0584`, `C0022`. */
function externalId(o: StixObject): { id: string | null; url: string | null; source: string | null } {
  const refs = Array.isArray(o.external_references) ? (o.external_references as ExternalRef[]) : [];
  const r = refs.find((x) => typeof x.external_id === 'string');
  return { id: r?.external_id ?? null, url: r?.url ?? null, source: r?.source_name ?? null };
}

/**
 * Reads a STIX 2.x bundle (2.0 or 2.1, JSON): every `intrusion-set` becomes an actor with its aliases, its
 * external id (kind = the reference's source, e.g. `mitre-attack` G0032) and cited references with URLs; the
 * malware and tools it `uses` (FALLCHILL, AppleJeus, ...) and campaigns `attributed-to` it are listed as actor
 * references with their own external ids; software a campaign of the set uses is listed too, named "X (via campaign)". Revoked or deprecated intrusion sets are skipped and counted.
 *
 * @throws LabelInputError for malformed JSON (line, column), a file that is not a bundle, or an object without
 *   a valid `type`/`id` (line of the object, field `objects[i].id`).
 */
export function readStixBundle(file: SourceFile): SourceBatch {
  const b = emptyBatch('stix', file.path, file.sha256, file.bytes);
  let doc: unknown;
  try {
    doc = JSON.parse(file.text);
  } catch (cause) {
    const { line, column } = jsonErrorLine(file.text, cause);
    throw new LabelInputError({ file: file.path, line, field: `json (column ${column})` }, `malformed JSON: ${(cause as Error).message}`, {
      code: 'LH_LABEL_JSON',
      cause,
    });
  }
  const bundle = doc as { type?: unknown; objects?: unknown; spec_version?: unknown };
  if (bundle === null || typeof bundle !== 'object' || bundle.type !== 'bundle' || !Array.isArray(bundle.objects)) {
    throw new LabelInputError({ file: file.path, line: 1, field: 'type' }, 'not a STIX 2.x bundle (expected {"type": "bundle", "objects": [...]})', {
      code: 'LH_LABEL_STIX',
    });
  }
  b.title = `STIX ${typeof bundle.spec_version === 'string' ? bundle.spec_version : '2.1'} bundle`;
  const objects = bundle.objects as StixObject[];
  const lineOfId = (id: string): number => {
    const at = file.text.indexOf(`"${id}"`);
    return at < 0 ? 0 : lineOfOffset(file.text, at);
  };
  const byId = new Map<string, StixObject>();
  for (const [i, o] of objects.entries()) {
    if (o === null || typeof o !== 'object' || typeof o.type !== 'string' || typeof o.id !== 'string' || !ID.test(o.id)) {
      const id = o !== null && typeof o === 'object' && typeof o.id === 'string' ? o.id : null;
      b.problems.push({ file: file.path, line: id ? lineOfId(id) : 0, field: `objects[${i}].id`, problem: `a STIX object needs a string type and an id "<type>--<uuid>", got ${JSON.stringify(id)}` });
      continue;
    }
    byId.set(o.id, o);
  }
  const actorsBySet = new Map<string, ActorInput>();
  for (const [i, o] of objects.entries()) {
    if (o?.type !== 'intrusion-set' || typeof o.id !== 'string') continue;
    if (typeof o.name !== 'string' || o.name.trim() === '') {
      b.problems.push({ file: file.path, line: lineOfId(o.id), field: `objects[${i}].name`, problem: 'an intrusion-set needs a name' });
      continue;
    }
    if (o.revoked === true || o.x_mitre_deprecated === true) {
      countSkip(b.skipped, 'revoked or deprecated intrusion-set');
      continue;
    }
    const ext = externalId(o);
    const refs: ActorRefInput[] = [];
    if (ext.id !== null) refs.push({ kind: ext.source ?? 'external-id', refId: ext.id, name: o.name, url: ext.url });
    const extRefs = Array.isArray(o.external_references) ? (o.external_references as ExternalRef[]) : [];
    for (const r of extRefs) if (r.external_id === undefined && typeof r.url === 'string') refs.push({ kind: 'url', refId: null, name: r.source_name ?? null, url: r.url });
    const aliases = Array.isArray(o.aliases) ? (o.aliases as unknown[]).filter((x): x is string => typeof x === 'string' && x !== o.name) : [];
    const actor: ActorInput = {
      actorId: actorIdFor(o.name),
      name: o.name,
      type: 'intrusion-set',
      aliases,
      countries: [],
      categories: [],
      uri: ext.url,
      description: typeof o.description === 'string' ? o.description.split('\n')[0] ?? null : null,
      refs,
      context: JSON.stringify({ stix_id: o.id }),
      line: lineOfId(o.id),
    };
    actorsBySet.set(o.id, actor);
    b.actors.push(actor);
  }
  // Campaigns attributed to an intrusion set: their own `uses` of malware/tools count for the set too.
  const campaignOwner = new Map<string, ActorInput>();
  for (const o of objects) {
    if (o?.type === 'relationship' && o.relationship_type === 'attributed-to' && typeof o.source_ref === 'string' && typeof o.target_ref === 'string') {
      const set = actorsBySet.get(o.target_ref);
      if (set !== undefined) campaignOwner.set(o.source_ref, set);
    }
  }
  const addSoftware = (actor: ActorInput, targetRef: string, via: string | null): void => {
    const target = byId.get(targetRef);
    if (target === undefined || (target.type !== 'malware' && target.type !== 'tool') || typeof target.name !== 'string') return;
    const ext = externalId(target);
    const same = actor.refs.findIndex((r) => r.kind === target.type && (ext.id !== null ? r.refId === ext.id : r.name === target.name));
    if (same >= 0) {
      // A direct `uses` by the set outranks the same software reached through a campaign.
      if (via === null) actor.refs[same] = { kind: target.type, refId: ext.id, name: target.name, url: ext.url };
      return;
    }
    actor.refs.push({ kind: target.type, refId: ext.id, name: via === null ? target.name : `${target.name} (via ${via})`, url: ext.url });
  };
  for (const o of objects) {
    if (o?.type !== 'relationship' || typeof o.source_ref !== 'string' || typeof o.target_ref !== 'string') continue;
    const viaCampaign = campaignOwner.get(o.source_ref);
    if (o.relationship_type === 'uses' && viaCampaign !== undefined) {
      const campaign = byId.get(o.source_ref);
      addSoftware(viaCampaign, o.target_ref, typeof campaign?.name === 'string' ? campaign.name : 'campaign');
    }
    const rel = o.relationship_type;
    const fromSet = actorsBySet.get(o.source_ref);
    const toSet = actorsBySet.get(o.target_ref);
    if (rel === 'uses' && fromSet !== undefined) {
      addSoftware(fromSet, o.target_ref, null);
    } else if (rel === 'attributed-to' && toSet !== undefined) {
      const campaign = byId.get(o.source_ref);
      if (campaign?.type === 'campaign' && typeof campaign.name === 'string') {
        const ext = externalId(campaign);
        toSet.refs.push({ kind: 'campaign', refId: ext.id, name: campaign.name, url: ext.url });
      }
    }
  }
  return b;
}
