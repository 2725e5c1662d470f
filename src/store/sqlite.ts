/**
 * The embedded store: one SQLite file, `footnote.db`, in the data folder
 * (better-sqlite3), or a database in memory that keeps nothing (tests,
 * `DATA_DIR=:memory:`). The SQL is the store's own (./sql/); this file is the
 * driver: opening and checking the file, binding, error mapping, backups.
 *
 * better-sqlite3 is synchronous; a transaction's work is async (the same
 * record code runs on Postgres), so the connection is taken in turns: while a
 * transaction is open, every other call waits for it to end.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LATEST_VERSION, migrate, unappliedMigrations } from './migrations.ts';
import type { SqlDriver, SqlParameters, SqlRunner } from './sql/driver.ts';
import { SqlStore } from './sql/store.ts';
import { StoreOpenError, StoreWriteError } from './types.ts';

export type { ImportedNote } from './sql/notes.ts';

export const DATABASE_FILE = 'footnote.db';
const IN_MEMORY = ':memory:';

/**
 * How long a write waits for another process's lock before failing as 'busy'.
 * The wait blocks the event loop, so it is kept short; our own writes take well
 * under a millisecond.
 */
const BUSY_TIMEOUT_MS = 2_000;

/** The most pages better-sqlite3 copies in one backup step. */
const ALL_PAGES = 0x7fffffff;

export interface SqliteStoreOptions {
  /** Opens without writing anything (no migration, no WAL switch); every write fails as 'read-only'. */
  readonly?: boolean;
  /** Caps the file at this many pages; a write past it fails as 'full' (how tests fill the disk). */
  maxPageCount?: number;
  /** NORMAL (default) survives a killed process; FULL also a power cut, at an fsync per commit (see `configure`). */
  synchronous?: 'NORMAL' | 'FULL';
}

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, DATABASE_FILE);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function writeError(file: string, error: unknown): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  const code = error.code;
  const detail = `${error.message} (${code})`;
  if (code.startsWith('SQLITE_FULL')) return new StoreWriteError('full', `Cannot save to ${file}: the disk is full. ${detail}`);
  if (code.startsWith('SQLITE_READONLY')) return new StoreWriteError('read-only', `Cannot save to ${file}: it is read-only. ${detail}`);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreWriteError('busy', `Cannot save to ${file}: another process holds the database. ${detail}`);
  }
  return new StoreWriteError('other', `Cannot save to ${file}: ${detail}`);
}

const RESTORE_ADVICE = 'Restore it from a backup (npm run backup makes one) or move it away to start with an empty database.';

/** Connects and checks the file is sound, Footnote's, and at a version this code knows. Never writes to a file it rejects. */
function connect(file: string, options: SqliteStoreOptions): Database.Database {
  const readonly = options.readonly === true;
  if (!readonly && file !== IN_MEMORY) {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
    } catch (error) {
      throw new StoreOpenError(`Cannot create the data folder ${path.dirname(file)}: ${errorMessage(error)}. Set DATA_DIR to a folder Footnote can write.`);
    }
  }
  let db: Database.Database;
  try {
    db = new Database(file, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new StoreOpenError(`Cannot open ${file}: ${errorMessage(error)}. Check that DATA_DIR points at a folder Footnote can read and write.`);
  }
  try {
    checkIntegrity(db, file);
    const version = schemaVersion(db, file);
    if (version > LATEST_VERSION) throw new StoreOpenError(newerMessage(file, version));
    if (readonly) {
      if (unappliedMigrations(recordedVersions(db)).length > 0) {
        throw new StoreOpenError(`${file} is at schema version ${version} and needs upgrading to ${LATEST_VERSION}; start Footnote once (not read-only) to upgrade it.`);
      }
    } else if (file !== IN_MEMORY) {
      configure(db, file, options.synchronous ?? 'NORMAL');
    }
    if (options.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(options.maxPageCount)}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function newerMessage(file: string, version: number): string {
  return `${file} was written by a newer Footnote (schema version ${version}; this one knows up to ${LATEST_VERSION}). Update Footnote, or restore a backup made by this version.`;
}

/** Reads every page's structure (not index contents; that is integrity_check, too slow for each start). */
function checkIntegrity(db: Database.Database, file: string): void {
  let problems: string[];
  try {
    problems = (db.pragma('quick_check') as { quick_check: string }[]).map((row) => row.quick_check);
  } catch (error) {
    throw new StoreOpenError(`${file} is damaged or not a database (${errorMessage(error)}). ${RESTORE_ADVICE}`);
  }
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new StoreOpenError(`${file} is damaged (${problems[0] ?? 'integrity check failed'}). ${RESTORE_ADVICE}`);
  }
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Versions recorded in the file, read before anything may be written (the runner's own read is async). */
function recordedVersions(db: Database.Database): Set<number> {
  if (!hasTable(db, 'schema_version')) return new Set();
  return new Set(db.prepare<[], number>('SELECT version FROM schema_version').pluck().all());
}

/** 0 for a new, empty database; refuses a database that belongs to something else. */
function schemaVersion(db: Database.Database, file: string): number {
  try {
    if (!hasTable(db, 'schema_version')) {
      const objects = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").get() as { n: number };
      if (objects.n > 0) throw new StoreOpenError(`${file} is a SQLite database but not Footnote's. Move it away, or set DATA_DIR to another folder.`);
      return 0;
    }
    const row = db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as { version: number | null };
    return row.version ?? 0;
  } catch (error) {
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(`${file} cannot be read (${errorMessage(error)}). ${RESTORE_ADVICE}`);
  }
}

/**
 * WAL: readers (a backup, a second look) never block the writer, and a commit
 * is one append to the log.
 *
 * synchronous = NORMAL: a commit is written to the log (the OS holds it) before
 * it returns, so an acknowledged note survives the process being killed
 * (tests/store-durability.test.ts kills it with SIGKILL). What NORMAL gives up
 * against FULL is an fsync per commit: after a power cut or an OS crash the
 * notes the OS had not yet written out (typically the last half-minute's) may
 * be missing; the file is never corrupted.
 * Measured with bench/store-bench.ts (100,000 notes, the same 1,000 adds to
 * both, interleaved): on a quiet machine NORMAL p50 0.08 ms / p99 0.3 ms, FULL
 * 0.26 / 0.6 ms; while other processes used the disk, NORMAL p99 0.5–1.5 ms,
 * FULL p50 0.3–3.5 ms and p99 8–21 ms, each fsync waiting behind everyone
 * else's writes. Only NORMAL keeps the 5 ms budget on a shared disk, and a
 * killed process is the failure a bot actually meets; `synchronous: 'FULL'`
 * is there for a disk of its own.
 *
 * wal_autocheckpoint = 4000 pages (16 MB of log): an add writes about nine
 * pages, so the default 1000 made every ~110th add copy the log back into the
 * file (with the fsyncs NORMAL leaves out) and set the p99 (4–5 ms on a busy
 * machine); at 4000 one add in ~450 pays it (p99 0.3–0.8 ms on the same machine).
 */
function configure(db: Database.Database, file: string, synchronous: 'NORMAL' | 'FULL'): void {
  try {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`journal mode is ${String(mode)}, not wal`);
    db.pragma(`synchronous = ${synchronous}`);
    db.pragma('wal_autocheckpoint = 4000');
  } catch (error) {
    throw new StoreOpenError(`Cannot prepare ${file} for writing: ${errorMessage(error)}. Check that the file and its folder are writable.`);
  }
}

/**
 * The store's SQL in SQLite's words: Postgres's row lock `FOR SHARE` is
 * dropped (SQLite's BEGIN IMMEDIATE already holds every row), and byte-order
 * text `COLLATE "C"` is SQLite's BINARY.
 */
function translate(sql: string): string {
  return sql.replaceAll(' FOR SHARE', '').replaceAll('COLLATE "C"', 'COLLATE BINARY');
}

type Statement = Database.Statement<unknown[], unknown>;

/**
 * The calls on the connection itself: the driver as seen by whoever holds its
 * turn (a transaction, or opening while the migrations run).
 */
class Connection implements SqlDriver {
  readonly dialect = 'sqlite';
  private readonly statements = new Map<string, Statement>();

  constructor(
    readonly db: Database.Database,
    readonly file: string,
  ) {}

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(translate(sql));
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `use` on the statement; a failed write is a StoreWriteError. */
  private with<T>(sql: string, use: (statement: Statement) => T): T {
    const statement = this.prepare(sql);
    try {
      return use(statement);
    } catch (error) {
      throw statement.readonly ? error : writeError(this.file, error);
    }
  }

  async all<R>(sql: string, parameters?: SqlParameters): Promise<R[]> {
    return this.with(sql, (statement) => (parameters === undefined ? statement.all() : statement.all(parameters)) as R[]);
  }

  async get<R>(sql: string, parameters?: SqlParameters): Promise<R | undefined> {
    return this.with(sql, (statement) => (parameters === undefined ? statement.get() : statement.get(parameters)) as R | undefined);
  }

  async run(sql: string, parameters?: SqlParameters): Promise<number> {
    return this.with(sql, (statement) => (parameters === undefined ? statement.run() : statement.run(parameters)).changes);
  }

  async exec(sql: string): Promise<void> {
    try {
      this.db.exec(sql);
    } catch (error) {
      throw writeError(this.file, error);
    }
  }

  /** The owner (SqliteDriver) closes the database; a turn's holder has nothing to close. */
  async close(): Promise<void> {}

  /** BEGIN IMMEDIATE takes the write lock at once (waiting up to the busy timeout for another process). */
  async transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    try {
      this.prepare('BEGIN IMMEDIATE').run();
    } catch (error) {
      throw writeError(this.file, error);
    }
    try {
      const result = await work(this);
      this.prepare('COMMIT').run();
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.prepare('ROLLBACK').run();
      throw writeError(this.file, error);
    }
  }
}

/**
 * Whose turn it is on one database file, shared by every connection this
 * process has to it: a transaction holds the turn across its awaits, and a
 * second connection's BEGIN IMMEDIATE would otherwise block the thread on a
 * lock that the first cannot release until the thread is free.
 */
class Turn {
  held: Promise<void> | undefined;
}

const turns = new Map<string, Turn>();

function turnFor(file: string): Turn {
  if (file === IN_MEMORY) return new Turn();
  const key = path.resolve(file);
  let turn = turns.get(key);
  if (turn === undefined) {
    turn = new Turn();
    turns.set(key, turn);
  }
  return turn;
}

/** The connection taken in turns: a transaction holds it until it ends, and every other call waits for that. */
export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite';
  private readonly turn: Turn;

  constructor(readonly connection: Connection) {
    this.turn = turnFor(connection.file);
  }

  /** Waits until no transaction holds the file, then takes it until `use` settles. */
  private async exclusive<T>(use: (connection: Connection) => Promise<T>): Promise<T> {
    while (this.turn.held !== undefined) await this.turn.held;
    let release = () => {};
    this.turn.held = new Promise((resolve) => (release = resolve));
    try {
      return await use(this.connection);
    } finally {
      this.turn.held = undefined;
      release();
    }
  }

  async all<R>(sql: string, parameters?: SqlParameters): Promise<R[]> {
    if (this.turn.held !== undefined) return this.exclusive((connection) => connection.all<R>(sql, parameters));
    return this.connection.all<R>(sql, parameters);
  }

  async get<R>(sql: string, parameters?: SqlParameters): Promise<R | undefined> {
    if (this.turn.held !== undefined) return this.exclusive((connection) => connection.get<R>(sql, parameters));
    return this.connection.get<R>(sql, parameters);
  }

  async run(sql: string, parameters?: SqlParameters): Promise<number> {
    if (this.turn.held !== undefined) return this.exclusive((connection) => connection.run(sql, parameters));
    return this.connection.run(sql, parameters);
  }

  exec(sql: string): Promise<void> {
    return this.exclusive((connection) => connection.exec(sql));
  }

  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.exclusive((connection) => connection.transaction(work));
  }

  /** Holds the connection for the whole of `use` (opening: no call runs before the migrations are in). */
  hold<T>(use: (driver: SqlDriver) => Promise<T>): Promise<T> {
    return this.exclusive((connection) => use(connection));
  }

  async close(): Promise<void> {
    while (this.turn.held !== undefined) await this.turn.held;
    if (this.connection.db.open) this.connection.db.close();
  }
}

export class SqliteStore extends SqlStore {
  readonly file: string;
  /** Settles once the migrations are in; rejects with a StoreOpenError when one failed. */
  readonly ready: Promise<void>;
  private readonly driver: SqliteDriver;

  /**
   * Opens (creating the folder and file if missing) `footnote.db` in `dataDir`,
   * or a database in memory for `:memory:`. Throws StoreOpenError for a file it
   * refuses; migrations run before any call is served (await `ready`, or use
   * `SqliteStore.open`, to learn of a failed one).
   */
  constructor(dataDir: string, options: SqliteStoreOptions = {}) {
    const file = dataDir === IN_MEMORY ? IN_MEMORY : databaseFile(dataDir);
    const driver = new SqliteDriver(new Connection(connect(file, options), file));
    super(driver, file === IN_MEMORY ? 'memory' : `sqlite:${file}`);
    this.file = file;
    this.driver = driver;
    this.ready =
      options.readonly === true
        ? Promise.resolve()
        : driver.hold((held) =>
            migrate(held, {
              newer: (version) => newerMessage(file, version),
              failed: (version, reason) =>
                `Cannot upgrade ${file} to schema version ${version}: ${reason}. The file was left as it was; free disk space or fix its permissions and start again.`,
            }),
          );
    // A failed migration is reported by `open` (or whoever awaits `ready`); the calls that waited for it fail on their own.
    this.ready.catch(() => {});
  }

  /** Opens the store and waits for its migrations; throws StoreOpenError. */
  static async open(dataDir: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
    const store = new SqliteStore(dataDir, options);
    try {
      await store.ready;
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /** The schema version recorded in the file. */
  schemaVersion(): number {
    return schemaVersion(this.driver.connection.db, this.file);
  }

  /**
   * A consistent copy of the database in `destination` (replaced if it
   * exists), made while the database stays in use. The copy is one step under
   * one read transaction: in WAL mode that never blocks writers, and no write
   * from another process can restart it (SQLite restarts a stepwise copy on
   * every such write, so a busy bot could keep one from ever finishing). It
   * holds this thread for the copy, about 0.1 s per 50 MB here.
   */
  async backup(destination: string): Promise<void> {
    await this.driver.hold(() => this.driver.connection.db.backup(destination, { progress: () => ALL_PAGES }).then(() => undefined));
  }
}
