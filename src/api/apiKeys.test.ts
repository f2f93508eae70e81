import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiKeyStore, createApiKey, listApiKeys, revokeApiKey } from './apiKeys.js';
import { RateLimiter } from './rateLimit.js';

const dir = mkdtempSync(join(tmpdir(), 'lh-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('API keys file', () => {
  it('stores only the hash, with owner-only permissions', () => {
    const path = join(dir, 'a.json');
    const { key, record } = createApiKey(path, 'ops', { ratePerSec: 10 });
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(key);
    expect(text).toContain(record.sha256);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(listApiKeys(path)).toHaveLength(1);
  });

  it('verifies keys; refuses unknown, tampered and revoked ones with distinct codes', () => {
    const path = join(dir, 'b.json');
    const { key, record } = createApiKey(path, 'ops');
    const store = new ApiKeyStore(path, 0);
    expect(store.verify(key)).toMatchObject({ keyId: record.id, name: 'ops' });
    const tampered = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    expect(() => store.verify(tampered)).toThrow(expect.objectContaining({ code: 'LH_AUTH_INVALID' }));
    expect(() => store.verify('lh_zz')).toThrow(expect.objectContaining({ code: 'LH_AUTH_INVALID' }));
    revokeApiKey(path, record.id);
    expect(() => store.verify(key)).toThrow(expect.objectContaining({ code: 'LH_AUTH_REVOKED' }));
    expect(() => revokeApiKey(path, 'deadbeef')).toThrow(expect.objectContaining({ code: 'LH_NOT_FOUND' }));
  });

  it('refuses a bad name or rate', () => {
    const path = join(dir, 'c.json');
    expect(() => createApiKey(path, '  ')).toThrow(/1 to 100 characters/);
    expect(() => createApiKey(path, 'x', { ratePerSec: 0 })).toThrow(/--rate must be a positive number/);
  });
});

describe('token bucket', () => {
  it('allows the burst, then the refill rate, and says when to retry', () => {
    let now = 0;
    const rl = new RateLimiter(() => now);
    for (let i = 0; i < 5; i++) rl.take('k', 2, 5);
    expect(() => rl.take('k', 2, 5)).toThrow(expect.objectContaining({ code: 'LH_RATE_LIMITED', details: expect.objectContaining({ retryAfterSec: 1 }) }));
    now = 1000; // one second: two tokens back
    rl.take('k', 2, 5);
    rl.take('k', 2, 5);
    expect(() => rl.take('k', 2, 5)).toThrow(expect.objectContaining({ code: 'LH_RATE_LIMITED' }));
    expect(() => rl.take('other', 2, 5, 6)).toThrow(expect.objectContaining({ code: 'LH_RATE_LIMITED' }));
  });
});
