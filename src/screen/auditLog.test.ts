import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../store/index.js';
import { AuditLog, type AuditEntry } from './auditLog.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function entry(i: number, over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    requestId: `req-${i}`,
    channel: 'api',
    actor: 'k1',
    actorName: i % 3 === 0 ? null : 'Ana Müller',
    action: 'screen.address',
    subject: `bc1q${i}`,
    score: i % 4 === 0 ? null : i % 101,
    level: i % 5 === 0 ? null : 'low',
    ruleSet: i % 7 === 0 ? null : 'default@1#abcdef123456',
    result: { i, name: 'Кузнецов "квоты"' },
    atMs: Date.UTC(2026, 0, 2, 3, 4, 5) + i,
    ...over,
  };
}

describe('AuditLog', () => {
  it('writes every queued row with nulls, text and timestamps intact, ids dense across flushes and reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lh-audit-'));
    dirs.push(dir);
    const path = join(dir, 'a.duckdb');
    let db = await Database.open(path);
    let log = await AuditLog.open(db, { flushMs: 10_000, maxRows: 500 });
    // 2,100 rows: most flush on their own (size trigger, 500 rows), the rest on close().
    for (let i = 0; i < 2100; i++) log.record(entry(i, { summarize: (r) => ({ summarized: (r as { i: number }).i }) }));
    await log.close();
    expect(log.written).toBe(2100);
    db.close();
    db = await Database.open(path);
    log = await AuditLog.open(db);
    log.record(entry(2100, { actorName: null, score: null, level: null, ruleSet: null }));
    await log.flush();
    const rows = await db.allJson<Record<string, unknown>>(
      'select audit_id, cast(screened_at as varchar) screened, request_id, actor_name, subject, score, level, rule_set, result from screen_audit_log order by audit_id',
    );
    db.close();
    expect(rows).toHaveLength(2101);
    rows.forEach((r, i) => {
      expect(Number(r.audit_id)).toBe(i);
      expect(r.request_id).toBe(`req-${i}`);
      expect(r.subject).toBe(`bc1q${i}`);
    });
    expect(rows[3]).toMatchObject({ actor_name: null, score: 3, level: 'low', rule_set: 'default@1#abcdef123456' });
    expect(rows[4]).toMatchObject({ actor_name: 'Ana Müller', score: null, level: 'low' });
    expect(rows[35]).toMatchObject({ level: null, rule_set: null });
    expect(rows[7]?.screened).toBe('2026-01-02 03:04:05.007');
    expect(JSON.parse(rows[1]?.result as string)).toEqual({ summarized: 1 });
    expect(rows[2100]).toMatchObject({ actor_name: null, score: null, level: null, rule_set: null });
    expect(JSON.parse(rows[2100]?.result as string)).toEqual({ i: 2100, name: 'Кузнецов "квоты"' });
  });
});

describe('AuditLog with hostile text', () => {
  it('stores quotes, backslashes, control characters and emoji as sent, and a lone surrogate as U+FFFD (the flush never fails on text)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lh-audit-'));
    dirs.push(dir);
    const db = await Database.open(join(dir, 'a.duckdb'));
    const log = await AuditLog.open(db, { flushMs: 10_000 });
    const subjects = ['a"b\\c\n\t\u0000d', 'lone \ud800 high', 'lone \udc00 low', 'pair \u{1F600} ok', '[["not","rows"]]'];
    subjects.forEach((subject, i) => {
      log.record(entry(i, { subject, actorName: subject, result: { subject } }));
    });
    await log.flush();
    expect(log.lastError).toBeNull();
    const rows = await db.all<{ subject: string; actor_name: string; result: string }>('select subject, actor_name, result from screen_audit_log order by audit_id');
    await log.close();
    db.close();
    const expected = ['a"b\\c\n\t\u0000d', 'lone \ufffd high', 'lone \ufffd low', 'pair \u{1F600} ok', '[["not","rows"]]'];
    expect(rows.map((r) => r.subject)).toEqual(expected);
    expect(rows.map((r) => r.actor_name)).toEqual(expected);
    // The result column is the JSON text of the answer (JSON.stringify escapes a lone surrogate as \\udXXX).
    expect(rows.map((r) => JSON.parse(r.result).subject)).toEqual(subjects);
  });
});

describe('AuditLog queue', () => {
  it('keeps order and content of 3,000 queued rows written in one flush, a 400 KB row among them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lh-audit-'));
    dirs.push(dir);
    const db = await Database.open(join(dir, 'a.duckdb'));
    const log = await AuditLog.open(db, { flushMs: 10_000, maxRows: 100_000 });
    const big = 'é'.repeat(200_000); // 400,000 UTF-8 bytes
    for (let i = 0; i < 3000; i++) {
      log.record(entry(i, { result: { i, pad: 'x'.repeat(150) }, ...(i === 1234 ? { subject: big } : {}) }));
    }
    await log.close();
    expect(log.written).toBe(3000);
    const rows = await db.all<{ audit_id: bigint; request_id: string; n: bigint; result: string }>(
      'select audit_id, request_id, length(subject) n, result from screen_audit_log order by audit_id',
    );
    db.close();
    expect(rows.map((r) => r.request_id)).toEqual(Array.from({ length: 3000 }, (_, i) => `req-${i}`));
    expect(Number(rows[1234]?.n)).toBe(200_000);
    expect(JSON.parse(rows[2999]?.result as string)).toEqual({ i: 2999, pad: 'x'.repeat(150) });
  });
});

describe('AuditLog when the database write fails', () => {
  it('keeps the rows, reports the error and writes them on the next try (no crash, no gap)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lh-audit-'));
    dirs.push(dir);
    const db = await Database.open(join(dir, 'a.duckdb'));
    let failNext = 0;
    const run = async <T>(fn: () => Promise<T>): Promise<T> => {
      if (failNext-- > 0) throw new Error('disk full (simulated)');
      return fn();
    };
    const log = await AuditLog.open(db, { flushMs: 20, run });
    failNext = 1;
    const errors: unknown[] = [];
    log.onError = (e) => errors.push(e);
    for (let i = 0; i < 10; i++) log.record(entry(i));
    // The timer's flush fails (nothing awaits it: it must not become an unhandled rejection) …
    await expect.poll(() => errors.length, { timeout: 5_000 }).toBe(1);
    expect(String(errors[0])).toMatch(/disk full/);
    // … and the rows are written by the retry, in order, ids dense.
    await expect.poll(() => log.written, { timeout: 5_000 }).toBe(10);
    expect(log.lastError).toBeNull();
    const rows = await db.all<{ audit_id: bigint; request_id: string }>('select audit_id, request_id from screen_audit_log order by audit_id');
    expect(rows.map((r) => [Number(r.audit_id), r.request_id])).toEqual(Array.from({ length: 10 }, (_, i) => [i, `req-${i}`]));
    await log.close();
    db.close();
  });
});
