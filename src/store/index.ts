export { Database } from './duckdb/Database.js';
export type { SqlParams } from './duckdb/Database.js';
