/**
 * API keys, stored hashed in a small JSON file next to the database (`<db>.apikeys.json`, mode 0600).
 *
 * Why a file and not a DuckDB table: DuckDB lets one process write a database file, and `serve` holds the
 * chain database. A key revoked with `ledgerhound apikey revoke` while the server runs must stop working
 * at once; the server re-reads this file when its modification time changes (checked at most once a
 * second), so revocation takes effect within a second without a restart.
 *
 * File layout (version 1):
 * `{ "format": "ledgerhound-apikeys", "version": 1, "keys": [ApiKeyRecord…] }`. Records are never deleted:
 * revoking sets `revokedAt`, so the audit log's key ids always resolve to a name.
 *
 * A key reads `lh_<id>_<secret>`: `id` is 8 hex digits (public, used for lookup and in the audit log),
 * `secret` 32 random bytes in base64url. Only SHA-256(key) is stored; with 256 bits of entropy a fast hash
 * is the standard choice for API tokens (a slow password hash protects low-entropy secrets only).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { LedgerhoundError, UsageError } from '../core/index.js';

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** hex SHA-256 of the whole key string. */
  sha256: string;
  createdAt: string;
  revokedAt: string | null;
  /** Sustained requests per second this key may make (token bucket refill). */
  ratePerSec: number;
  /** Requests that may arrive at once above the sustained rate (bucket size). */
  burst: number;
}

/** What a verified key tells the server. */
export interface ApiPrincipal {
  keyId: string;
  name: string;
  ratePerSec: number;
  burst: number;
}

interface KeyFile {
  format: 'ledgerhound-apikeys';
  version: 1;
  keys: ApiKeyRecord[];
}

/** Default sustained rate and burst of a new key. */
export const DEFAULT_RATE_PER_SEC = 200;
export const DEFAULT_BURST = 400;

const KEY_RE = /^lh_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

/** The keys file that belongs to a database file. */
export function keysPathFor(dbPath: string): string {
  return `${dbPath}.apikeys.json`;
}

function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

function readKeyFile(path: string): KeyFile {
  if (!existsSync(path)) return { format: 'ledgerhound-apikeys', version: 1, keys: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new LedgerhoundError('LH_APIKEYS_FILE', `API key file ${path} is not valid JSON`, { cause, details: { path } });
  }
  const f = parsed as Partial<KeyFile>;
  if (f.format !== 'ledgerhound-apikeys' || f.version !== 1 || !Array.isArray(f.keys)) {
    throw new LedgerhoundError('LH_APIKEYS_FILE', `API key file ${path} is not a ledgerhound-apikeys version 1 file`, {
      details: { path },
    });
  }
  return f as KeyFile;
}

function writeKeyFile(path: string, file: KeyFile): void {
  // Write then rename: a reader never sees half a file.
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * Creates a key and returns it in clear (shown once; only its hash is kept).
 * @throws UsageError on an empty name or a rate that is not a positive number
 */
export function createApiKey(
  path: string,
  name: string,
  opts: { ratePerSec?: number; burst?: number; now?: Date } = {},
): { key: string; record: ApiKeyRecord } {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 100) throw new UsageError('key name must be 1 to 100 characters', { name });
  const ratePerSec = opts.ratePerSec ?? DEFAULT_RATE_PER_SEC;
  const burst = opts.burst ?? Math.max(DEFAULT_BURST, ratePerSec * 2);
  if (!(ratePerSec > 0) || !Number.isFinite(ratePerSec)) throw new UsageError(`--rate must be a positive number, got ${ratePerSec}`);
  if (!(burst >= 1) || !Number.isFinite(burst)) throw new UsageError(`--burst must be at least 1, got ${burst}`);
  const file = readKeyFile(path);
  let id: string;
  do id = randomBytes(4).toString('hex');
  while (file.keys.some((k) => k.id === id));
  const key = `lh_${id}_${randomBytes(32).toString('base64url')}`;
  const record: ApiKeyRecord = {
    id,
    name: trimmed,
    sha256: sha256Hex(key),
    createdAt: (opts.now ?? new Date()).toISOString(),
    revokedAt: null,
    ratePerSec,
    burst,
  };
  file.keys.push(record);
  writeKeyFile(path, file);
  return { key, record };
}

/** Every key record (revoked ones included), oldest first. */
export function listApiKeys(path: string): ApiKeyRecord[] {
  return readKeyFile(path).keys;
}

/**
 * Revokes a key by id (or by the full key string). Idempotent: revoking twice keeps the first time.
 * @throws NotFound-style LedgerhoundError when no key has that id
 */
export function revokeApiKey(path: string, idOrKey: string, now = new Date()): ApiKeyRecord {
  const m = KEY_RE.exec(idOrKey);
  const id = m ? (m[1] as string) : idOrKey.trim().toLowerCase();
  const file = readKeyFile(path);
  const rec = file.keys.find((k) => k.id === id);
  if (!rec) throw new LedgerhoundError('LH_NOT_FOUND', `API key ${id} not found`, { details: { what: 'API key', key: id } });
  if (rec.revokedAt === null) {
    rec.revokedAt = now.toISOString();
    writeKeyFile(path, file);
  }
  return rec;
}

/**
 * The server's view of the key file: verifies presented keys and re-reads the file when it changes.
 */
export class ApiKeyStore {
  private byId = new Map<string, ApiKeyRecord>();
  /** Keys verified since the last reload (skips the hash on the hot path); cleared on every reload. */
  private verified = new Map<string, ApiPrincipal>();
  private mtimeMs = -1;
  private size = -1;
  private checkedAt = 0;

  constructor(
    readonly path: string,
    private readonly recheckMs = 1000,
  ) {
    this.reload(true);
  }

  private reload(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.checkedAt < this.recheckMs) return;
    this.checkedAt = now;
    let mtimeMs = 0;
    let size = 0;
    try {
      const st = statSync(this.path);
      mtimeMs = st.mtimeMs;
      size = st.size;
    } catch {
      // No file: no keys (every request without --no-auth is refused).
    }
    if (!force && mtimeMs === this.mtimeMs && size === this.size) return;
    const file = readKeyFile(this.path);
    this.byId = new Map(file.keys.map((k) => [k.id, k]));
    this.verified = new Map();
    this.mtimeMs = mtimeMs;
    this.size = size;
  }

  /** Number of keys that are not revoked. */
  activeCount(): number {
    this.reload(false);
    let n = 0;
    for (const k of this.byId.values()) if (k.revokedAt === null) n++;
    return n;
  }

  /**
   * Checks a presented key.
   * @throws LedgerhoundError LH_AUTH_INVALID (malformed or unknown) or LH_AUTH_REVOKED
   */
  verify(presented: string): ApiPrincipal {
    try {
      this.reload(false);
    } catch {
      // A key file being edited by hand may be briefly invalid: keep the last good view.
    }
    const cached = this.verified.get(presented);
    if (cached !== undefined) return cached;
    const m = KEY_RE.exec(presented);
    const rec = m ? this.byId.get(m[1] as string) : undefined;
    if (!m || !rec) throw new LedgerhoundError('LH_AUTH_INVALID', 'the API key is not valid');
    const a = Buffer.from(rec.sha256, 'hex');
    const b = createHash('sha256').update(presented, 'utf8').digest();
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new LedgerhoundError('LH_AUTH_INVALID', 'the API key is not valid');
    if (rec.revokedAt !== null) {
      throw new LedgerhoundError('LH_AUTH_REVOKED', `the API key ${rec.id} was revoked at ${rec.revokedAt}`, {
        details: { keyId: rec.id, revokedAt: rec.revokedAt },
      });
    }
    const principal = { keyId: rec.id, name: rec.name, ratePerSec: rec.ratePerSec, burst: rec.burst };
    if (this.verified.size < 10_000) this.verified.set(presented, principal);
    return principal;
  }
}
