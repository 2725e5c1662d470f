/**
 * The shared store: Postgres through the `pg` driver, chosen with
 * DATABASE_URL=postgres://… so several workers keep one state.
 *
 * It answers exactly as the SQLite store does (same order, same visibility,
 * ids never reused) from the same migrations (`migrationSql(m, 'postgres')`).
 * Each change is one statement or one transaction, committed before its
 * promise resolves; the tables live in ./postgres-tables.ts.
 */
import pg from 'pg';
import type { ClientConfig, CustomTypesConfig, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { createHash } from 'node:crypto';
import { LATEST_VERSION, migrationSql, unappliedMigrations } from './migrations.ts';
import {
  PostgresConversations,
  PostgresCounters,
  PostgresDiscussions,
  PostgresNotes,
  PostgresOpenQuestions,
  PostgresQuizzes,
  PostgresRateLimits,
  PostgresReadingPlans,
} from './postgres-tables.ts';
import {
  StoreOpenError,
  StoreWriteError,
  type ConversationStore,
  type CounterStore,
  type DiscussionStore,
  type NoteStore,
  type OpenQuestionStore,
  type QuizStore,
  type RateLimitStore,
  type ReadingPlanStore,
  type Store,
} from './types.ts';
import type { ImportedNote } from './sqlite.ts';

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
/** First key of the advisory lock that one process holds while it migrates (the second is the schema's). */
const MIGRATION_LOCK = 0x466e6f74; // "Fnot"

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
  if (isConnectionError(error)) return new StoreWriteError('other', `Cannot save to ${target}: the database cannot be reached (${connectionProblem(error)}).`);
  return error;
}

/** Every query of the store goes through here: reads, single-statement writes and transactions. */
export class PostgresDatabase {
  private readonly names = new Map<string, string>();

  constructor(
    readonly pool: pg.Pool,
    readonly target: string,
  ) {}

  /** A prepared statement per distinct text, so each connection parses and plans it once. */
  private statement(text: string, values: readonly unknown[]): { name: string; text: string; values: unknown[] } {
    let name = this.names.get(text);
    if (name === undefined) {
      name = `fn_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
      this.names.set(text, name);
    }
    return { name, text, values: [...values] };
  }

  async read<R extends QueryResultRow>(text: string, values: readonly unknown[] = [], client?: PoolClient): Promise<R[]> {
    return (await (client ?? this.pool).query<R>(this.statement(text, values))).rows;
  }

  /** One statement, hence one transaction; its failure is a StoreWriteError. */
  async write<R extends QueryResultRow>(text: string, values: readonly unknown[] = []): Promise<QueryResult<R>> {
    try {
      return await this.pool.query<R>(this.statement(text, values));
    } catch (error) {
      throw writeError(this.target, error);
    }
  }

  /** Statements that must commit together: all or none. */
  async transaction<T>(run: (query: <R extends QueryResultRow>(text: string, values?: readonly unknown[]) => Promise<QueryResult<R>>) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw writeError(this.target, error);
    }
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await run((text, values = []) => client.query(this.statement(text, values)));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackFailed: unknown) => {
        broken = rollbackFailed instanceof Error ? rollbackFailed : new Error(String(rollbackFailed));
      });
      throw writeError(this.target, error);
    } finally {
      // A connection that could not roll back is dropped, not handed to the next caller mid-transaction.
      client.release(broken);
    }
  }
}

async function appliedVersions(client: pg.Client): Promise<Set<number>> {
  const exists = await client.query<{ found: string | null }>("SELECT to_regclass('schema_version')::text AS found");
  if (exists.rows[0]?.found == null) return new Set();
  return new Set((await client.query<{ version: number }>('SELECT version FROM schema_version')).rows.map((row) => Number(row.version)));
}

/**
 * Applies every migration the database has not recorded, each in its own
 * transaction with its row in schema_version. An advisory lock held for the
 * whole run makes a second process that starts at the same time wait, then
 * find nothing left to do.
 */
async function migrate(client: pg.Client, target: string): Promise<void> {
  await client.query("SELECT pg_advisory_lock($1, hashtext(COALESCE(current_schema(), '')))", [MIGRATION_LOCK]);
  try {
    const applied = await appliedVersions(client);
    const newest = Math.max(0, ...applied);
    if (newest > LATEST_VERSION) {
      throw new StoreOpenError(
        `The database ${target} was written by a newer Footnote (schema version ${newest}; this one knows up to ${LATEST_VERSION}). Update Footnote, or point DATABASE_URL at a database of this version.`,
      );
    }
    for (const migration of unappliedMigrations(applied)) {
      try {
        await client.query('BEGIN');
        await client.query(migrationSql(migration, 'postgres'));
        await client.query('INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)', [migration.version, Date.now()]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        const reason = error instanceof Error ? error.message : String(error);
        throw new StoreOpenError(`Cannot upgrade ${target} to schema version ${migration.version}: ${reason}. The database was left as it was.`);
      }
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1, hashtext(COALESCE(current_schema(), '')))", [MIGRATION_LOCK]).catch(() => {});
  }
}

export class PostgresStore implements Store {
  readonly description: string;
  readonly notes: NoteStore;
  readonly openQuestions: OpenQuestionStore;
  readonly discussions: DiscussionStore;
  readonly counters: CounterStore;
  readonly readingPlans: ReadingPlanStore;
  readonly quizzes: QuizStore;
  readonly rateLimits: RateLimitStore;
  readonly conversations: ConversationStore;
  private readonly db: PostgresDatabase;
  private readonly postgresNotes: PostgresNotes;
  private closing: Promise<void> | undefined;

  private constructor(
    pool: pg.Pool,
    readonly target: string,
  ) {
    this.description = `postgres:${target}`;
    this.db = new PostgresDatabase(pool, target);
    this.postgresNotes = new PostgresNotes(this.db);
    this.notes = this.postgresNotes;
    this.openQuestions = new PostgresOpenQuestions(this.db);
    this.discussions = new PostgresDiscussions(this.db);
    this.counters = new PostgresCounters(this.db);
    this.readingPlans = new PostgresReadingPlans(this.db);
    this.quizzes = new PostgresQuizzes(this.db);
    this.rateLimits = new PostgresRateLimits(this.db);
    this.conversations = new PostgresConversations(this.db);
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

    // No lock timeout while migrating: a second process waits for the first one's migrations, however long they take.
    const { lock_timeout: _lockTimeout, ...migratorConfig } = config;
    const migrator = new pg.Client(migratorConfig);
    // Errors of an idle connection (a server restart) surface on the next query; unheard, they would end the process.
    migrator.on('error', () => {});
    try {
      await migrator.connect();
    } catch (error) {
      await migrator.end().catch(() => {});
      throw new StoreOpenError(hide(`Cannot connect to Postgres at ${target}: ${connectionProblem(error)}. Check DATABASE_URL and that the server is running.`));
    }
    try {
      await migrate(migrator, target);
    } catch (error) {
      if (error instanceof StoreOpenError) throw new StoreOpenError(hide(error.message));
      throw new StoreOpenError(hide(`Cannot prepare ${target}: ${connectionProblem(error)}.`));
    } finally {
      await migrator.end().catch(() => {});
    }

    // A few connections stay open and are opened now: each new one costs a password exchange (SCRAM), which
    // an event should not wait for.
    const size = options.poolSize ?? DEFAULT_POOL_SIZE;
    const warm = Math.min(WARM_CONNECTIONS, size);
    const pool = new pg.Pool({ ...config, max: size, min: warm, idleTimeoutMillis: IDLE_TIMEOUT_MS });
    pool.on('error', () => {});
    try {
      const clients = await Promise.all(Array.from({ length: warm }, () => pool.connect()));
      for (const client of clients) client.release();
    } catch (error) {
      await pool.end().catch(() => {});
      throw new StoreOpenError(hide(`Cannot connect to Postgres at ${target}: ${connectionProblem(error)}. Check DATABASE_URL and that the server is running.`));
    }
    return new PostgresStore(pool, target);
  }

  /** Stores many notes, each with its own time, in one transaction (imports; the bench's fill). Returns their ids. */
  async importNotes(notes: readonly ImportedNote[]): Promise<number[]> {
    return this.postgresNotes.addMany(notes);
  }

  /** The highest schema version recorded in the database. */
  async schemaVersion(): Promise<number> {
    const [row] = await this.db.read<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_version');
    return Number(row?.version ?? 0);
  }

  async close(): Promise<void> {
    this.closing ??= this.db.pool.end();
    await this.closing;
  }
}
