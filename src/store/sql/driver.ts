/**
 * What the store's SQL runs on: SQLite (better-sqlite3) or Postgres (pg),
 * behind one small async interface. Each record kind (./notes.ts, …) writes
 * its statements once, with named parameters (`@scope`), in the SQL both
 * databases accept; a driver binds the names its own way and translates the
 * few words the two spell differently (see each driver's `translate`).
 *
 * A value is a string, a number or null: booleans are stored as 0 and 1, and
 * every BIGINT (times, ids) and COUNT comes back as a number.
 */

export type SqlValue = string | number | null;
export type SqlParameters = Readonly<Record<string, SqlValue>>;

export interface SqlRunner {
  /** Every row the statement returns. */
  all<R>(sql: string, parameters?: SqlParameters): Promise<R[]>;
  /** The first row, or undefined. */
  get<R>(sql: string, parameters?: SqlParameters): Promise<R | undefined>;
  /** A write; resolves with how many rows it changed, once it is committed (outside a transaction). */
  run(sql: string, parameters?: SqlParameters): Promise<number>;
  /** A script of statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlDriver extends SqlRunner {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Statements that commit together or not at all. The write lock is taken at
   * the start (SQLite's BEGIN IMMEDIATE; on Postgres, rows are locked as they
   * are written or read FOR SHARE), so a read-then-write inside cannot be
   * split by another writer in this process or another. Nothing else runs on
   * an embedded connection until it ends.
   */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** SQLite reads LIMIT -1 as "no limit"; the store refuses it, and any page that is not whole numbers. */
export function checkPage(limit: number, offset: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number ≥ 0, not ${limit}`);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`offset must be a whole number ≥ 0, not ${offset}`);
}
