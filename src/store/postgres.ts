/**
 * The shared store: Postgres through the `pg` driver, chosen with
 * DATABASE_URL=postgres://… so several workers keep one state.
 *
 * It answers exactly as the SQLite store does (same order, same visibility,
 * ids never reused) from the same migrations (`migrationSql(m, 'postgres')`).
 * Each change is one statement or one transaction, committed before its
 * promise resolves; the SQL is the store's own (./sql/), and this file is the
 * driver: connecting, binding, error mapping.
 */
import pg from 'pg';
import type { ClientConfig, CustomTypesConfig, PoolClient, QueryResultRow } from 'pg';
import { createHash } from 'node:crypto';
import { LATEST_VERSION, migrate } from './migrations.ts';
import type { SqlDriver, SqlParameters, SqlRunner } from './sql/driver.ts';
import { SqlStore } from './sql/store.ts';
import { StoreOpenError, StoreWriteError } from './types.ts';

export interface PostgresStoreOptions {
  /** Keeps every table in this schema (it must exist): tests give each store a fresh one. */
  schema?: string;
  /** Connections kept open (default 10). */
  poolSize?: number;
  /** How long to wait for a connection before giving up (default 5 s). */
  connectTimeoutMs?: number;
}

/**
 * How long a write waits for a row another process has locked before failing
 * as 'busy' (55P03), as SQLite's busy timeout does; our own writes hold a lock
 * for well under a millisecond.
 */
const LOCK_TIMEOUT_MS = 2_000;
const DEFAULT_POOL_SIZE = 10;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** Connections kept open however idle the bot is, and how long the others stay after their last query. */
const WARM_CONNECTIONS = 2;
const IDLE_TIMEOUT_MS = 60_000;

const INT8 = 20;
const NUMERIC = 1700;

/** BIGINT columns (times, ids) and sums come back as strings by default; every one of ours fits a double. */
const NUMBERS: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

/** Where a postgres:// URL points, as "host:port/database": what messages name, never the user or password. */
export function describeDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreOpenError('DATABASE_URL is not a valid URL; expected postgres://user:password@host:5432/database.');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new StoreOpenError(`DATABASE_URL must start with postgres:// or postgresql://, not ${parsed.protocol}//.`);
  }
  const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
  const port = parsed.port || parsed.searchParams.get('port') || '5432';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username) || 'postgres';
  return `${host}:${port}/${database}`;
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

/** A short reason for a failed connection, in words, on one line. */
function connectionProblem(error: unknown): string {
  const first = error instanceof AggregateError && error.errors.length > 0 ? (error.errors[0] as unknown) : error;
  const code = typeof first === 'object' && first !== null && 'code' in first ? String((first as { code: unknown }).code) : '';
  const message = first instanceof Error ? first.message : String(first);
  switch (code) {
    case 'ECONNREFUSED':
      return 'nothing is listening there (connection refused)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name is unknown';
    case 'ETIMEDOUT':
      return 'no answer (timed out)';
    case '28P01':
      return 'the server refused the user name or password (28P01)';
    case '28000':
      return `the server does not let this user in (${message})`;
    case '3D000':
      return `the database does not exist (${message})`;
  }
  if (/timeout/i.test(message)) return 'no answer in time (timed out)';
  return (message || code || 'unknown error').replace(/\s+/g, ' ');
}

/** True for a driver or network error, as opposed to one of our own (a RangeError) that must pass on unchanged. */
function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && /^E[A-Z]+$/.test(code)) || /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(error.message);
}

/** A failed write as the StoreWriteError commands understand; anything that is not the database's passes on. */
export function writeError(target: string, error: unknown): unknown {
  if (error instanceof StoreWriteError) return error;
  if (error instanceof pg.DatabaseError) {
    const code = error.code ?? '';
    const detail = `${error.message} (${code})`;
    if (code === '53100') return new StoreWriteError('full', `Cannot save to ${target}: the database's disk is full. ${detail}`);
    if (code === '25006') return new StoreWriteError('read-only', `Cannot save to ${target}: the database is read-only. ${detail}`);
    if (code === '40001' || code === '40P01' || code === '55P03') {
      return new StoreWriteError('busy', `Cannot save to ${target}: another writer holds what this write needs. ${detail}`);
    }
    return new StoreWriteError('other', `Cannot save to ${target}: ${detail}`);
  }
  if (isConnectionError(error)) return new StoreWriteError('unreachable', `Cannot reach ${target}: ${connectionProblem(error)}.`);
  return error;
}

/**
 * The store's SQL in Postgres's words: SQLite's `INDEXED BY` hints are dropped
 * (Postgres plans by its statistics), and `@name` parameters become `$1…`,
 * each name bound once however often it appears.
 */
function compile(sql: string): { text: string; names: string[] } {
  const names: string[] = [];
  const text = sql.replace(/ INDEXED BY \w+/g, '').replace(/@(\w+)/g, (_, name: string) => {
    let index = names.indexOf(name);
    if (index === -1) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  return { text, names };
}

/** Statements that change data: their failures are StoreWriteErrors. */
const WRITES = /^\s*(INSERT|UPDATE|DELETE|WITH)\b/i;

interface Compiled {
  name: string;
  text: string;
  names: string[];
  writes: boolean;
}

type Queryable = Pick<pg.Pool, 'query'> | PoolClient;

/** Every query of the store goes through here: reads, single-statement writes and transactions. */
export class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres';
  private readonly compiled = new Map<string, Compiled>();
  private readonly direct: SqlRunner;
  private closing: Promise<void> | undefined;

  constructor(
    readonly pool: pg.Pool,
    readonly target: string,
  ) {
    this.direct = this.runner(pool);
  }

  /** Compiled once per distinct text, and prepared under its own name, so each connection parses and plans it once. */
  private statement(sql: string, parameters: SqlParameters = {}): { name: string; text: string; values: unknown[]; writes: boolean } {
    let compiled = this.compiled.get(sql);
    if (compiled === undefined) {
      const { text, names } = compile(sql);
      compiled = { name: `fn_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text, names, writes: WRITES.test(text) };
      this.compiled.set(sql, compiled);
    }
    const values = compiled.names.map((name) => {
      if (!(name in parameters)) throw new Error(`no value for @${name}`);
      return parameters[name];
    });
    return { name: compiled.name, text: compiled.text, values, writes: compiled.writes };
  }

  private async query<R extends QueryResultRow>(on: Queryable, sql: string, parameters?: SqlParameters): Promise<{ rows: R[]; rowCount: number }> {
    const { writes, ...statement } = this.statement(sql, parameters);
    try {
      const result = await on.query<R>(statement);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    } catch (error) {
      // A database out of reach is said plainly for reads too; other read errors are the code's, and pass on.
      throw writes || isConnectionError(error) ? writeError(this.target, error) : error;
    }
  }

  private runner(on: Queryable): SqlRunner {
    return {
      all: async <R>(sql: string, parameters?: SqlParameters) => (await this.query<QueryResultRow>(on, sql, parameters)).rows as R[],
      get: async <R>(sql: string, parameters?: SqlParameters) => (await this.query<QueryResultRow>(on, sql, parameters)).rows[0] as R | undefined,
      run: async (sql: string, parameters?: SqlParameters) => (await this.query(on, sql, parameters)).rowCount,
      exec: async (sql: string) => {
        try {
          // No name and no values: the simple protocol, which takes a script of several statements.
          await on.query(sql);
        } catch (error) {
          throw writeError(this.target, error);
        }
      },
    };
  }

  all<R>(sql: string, parameters?: SqlParameters): Promise<R[]> {
    return this.direct.all<R>(sql, parameters);
  }

  get<R>(sql: string, parameters?: SqlParameters): Promise<R | undefined> {
    return this.direct.get<R>(sql, parameters);
  }

  run(sql: string, parameters?: SqlParameters): Promise<number> {
    return this.direct.run(sql, parameters);
  }

  exec(sql: string): Promise<void> {
    return this.direct.exec(sql);
  }

  /** Statements that must commit together, on one connection: all or none. */
  async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw writeError(this.target, error);
    }
    let broken: Error | undefined;
    // A connection that drops while held here makes the client emit 'error' (the query in progress fails with it
    // too); unheard, that event would end the process. The pool listens only while a client is idle.
    const dropped = (error: Error) => {
      broken = error;
    };
    client.on('error', dropped);
    try {
      await client.query('BEGIN');
      const result = await work(this.runner(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackFailed: unknown) => {
        broken = rollbackFailed instanceof Error ? rollbackFailed : new Error(String(rollbackFailed));
      });
      throw writeError(this.target, error);
    } finally {
      // A connection that dropped or could not roll back is discarded, not handed to the next caller mid-transaction.
      client.removeListener('error', dropped);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    this.closing ??= this.pool.end();
    await this.closing;
  }
}

export class PostgresStore extends SqlStore {
  private constructor(
    private readonly driver: PostgresDriver,
    readonly target: string,
  ) {
    super(driver, `postgres:${target}`);
  }

  /**
   * Connects to `url` (postgres://user:password@host:port/database), refuses
   * a database of a newer schema, and migrates it. Throws StoreOpenError with
   * one line naming host:port/database, never the password.
   */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const target = describeDatabaseUrl(url);
    const password = passwordOf(url);
    const hide = (text: string) => (password.length >= 3 ? text.replaceAll(password, '***') : text);
    if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new RangeError(`not a plain schema name: ${options.schema}`);
    const config: ClientConfig = {
      connectionString: url,
      connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      lock_timeout: LOCK_TIMEOUT_MS,
      application_name: 'footnote',
      types: NUMBERS,
      ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
    };

    // A few connections stay open and are opened now: each new one costs a password exchange (SCRAM), which
    // an event should not wait for.
    const size = options.poolSize ?? DEFAULT_POOL_SIZE;
    const warm = Math.min(WARM_CONNECTIONS, size);
    const pool = new pg.Pool({ ...config, max: size, min: warm, idleTimeoutMillis: IDLE_TIMEOUT_MS });
    // Errors of an idle connection (a server restart) surface on the next query; unheard, they would end the process.
    pool.on('error', () => {});
    try {
      const clients = await Promise.all(Array.from({ length: warm }, () => pool.connect()));
      for (const client of clients) client.release();
    } catch (error) {
      await pool.end().catch(() => {});
      throw new StoreOpenError(hide(`Cannot connect to Postgres at ${target}: ${connectionProblem(error)}. Check DATABASE_URL and that the server is running.`));
    }
    const driver = new PostgresDriver(pool, target);
    try {
      await migrate(driver, {
        newer: (version) => `The database ${target} was written by a newer Footnote (schema version ${version}; this one knows up to ${LATEST_VERSION}). Update Footnote, or point DATABASE_URL at a database of this version.`,
        failed: (version, reason) => `Cannot upgrade ${target} to schema version ${version}: ${reason}. The database was left as it was.`,
      });
    } catch (error) {
      await driver.close().catch(() => {});
      if (error instanceof StoreOpenError) throw new StoreOpenError(hide(error.message));
      throw new StoreOpenError(hide(`Cannot prepare ${target}: ${connectionProblem(error)}.`));
    }
    return new PostgresStore(driver, target);
  }

  /** The highest schema version recorded in the database. */
  async schemaVersion(): Promise<number> {
    const row = await this.driver.get<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_version');
    return Number(row?.version ?? 0);
  }
}
