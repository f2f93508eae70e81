/**
 * Cases: an investigator's saved work on a trace (title, incident, taint policy and notes on graph
 * nodes), stored in the database next to the chain so a case survives restarts and travels with the
 * database file. Table `cases` (one row per case; `notes` is a JSON object node id → text; `created_by`
 * is the API key that created it, for accountability).
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../core/index.js';
import type { Database } from '../store/index.js';

export type CasePolicy = 'poison' | 'haircut' | 'fifo';

export interface CaseInput {
  title: string;
  incidentId: string | null;
  policy: CasePolicy;
  notes: Record<string, string>;
}

export interface StoredCase extends CaseInput {
  id: string;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

const DDL = `CREATE TABLE IF NOT EXISTS cases (
  case_id VARCHAR PRIMARY KEY,
  title VARCHAR NOT NULL,
  incident_id VARCHAR,
  policy VARCHAR NOT NULL,
  notes VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL,
  created_by VARCHAR NOT NULL
)`;

interface Row {
  case_id: string;
  title: string;
  incident_id: string | null;
  policy: string;
  notes: string;
  created_at: string;
  updated_at: string;
  created_by: string;
}

const SELECT = `SELECT case_id, title, incident_id, policy, notes, strftime(created_at, '%Y-%m-%dT%H:%M:%S.%gZ') created_at,
  strftime(updated_at, '%Y-%m-%dT%H:%M:%S.%gZ') updated_at, created_by FROM cases`;

function fromRow(r: Row): StoredCase {
  return {
    id: r.case_id,
    title: r.title,
    incidentId: r.incident_id,
    policy: r.policy as CasePolicy,
    notes: JSON.parse(r.notes) as Record<string, string>,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    createdBy: r.created_by,
  };
}

/** Case storage over one database; callers serialise access (the API runs it under its DbLock). */
export class CaseStore {
  private ready = false;
  constructor(private readonly db: Database) {}

  private async ensure(): Promise<void> {
    if (this.ready) return;
    await this.db.run(DDL);
    this.ready = true;
  }

  /** Every case, most recently updated first. */
  async list(): Promise<StoredCase[]> {
    await this.ensure();
    return (await this.db.all<Row>(`${SELECT} ORDER BY updated_at DESC, case_id`)).map(fromRow);
  }

  /** @throws NotFoundError for an unknown id. */
  async get(id: string): Promise<StoredCase> {
    await this.ensure();
    const r = await this.db.one<Row>(`${SELECT} WHERE case_id = $1`, [id]);
    if (!r) throw new NotFoundError('case', id);
    return fromRow(r);
  }

  async create(input: CaseInput, createdBy: string): Promise<StoredCase> {
    await this.ensure();
    const id = randomUUID();
    await this.db.run(
      `INSERT INTO cases VALUES ($1, $2, $3, $4, $5, now()::TIMESTAMP, now()::TIMESTAMP, $6)`,
      [id, input.title, input.incidentId, input.policy, JSON.stringify(input.notes), createdBy],
    );
    return this.get(id);
  }

  /** Replaces title, incident, policy and notes. @throws NotFoundError for an unknown id. */
  async update(id: string, input: CaseInput): Promise<StoredCase> {
    await this.get(id);
    await this.db.run(
      'UPDATE cases SET title = $2, incident_id = $3, policy = $4, notes = $5, updated_at = now()::TIMESTAMP WHERE case_id = $1',
      [id, input.title, input.incidentId, input.policy, JSON.stringify(input.notes)],
    );
    return this.get(id);
  }
}
