/**
 * The embedded store: one SQLite file, `footnote.db`, in the data folder.
 *
 * better-sqlite3 is synchronous; the Store methods are async only so a shared
 * backend can stand in. Each change is one statement, hence one transaction,
 * committed before its promise resolves.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LATEST_VERSION, migrationSql, unappliedMigrations } from './migrations.ts';
import { checkRateLimit, takeFromWindow, windowFromRow } from './rate-window.ts';
import { checkPage, checkQuiz, toNote, toQuiz, toQuizScore, type NoteFilter, type NoteRow, type OpenQuestionRow, type QuizAnswerRow, type QuizRow, type QuizScoreRow, type ReadingPlanRow, toReadingPlan } from './rows.ts';
import {
  StoreOpenError,
  StoreWriteError,
  type ConversationStore,
  type CounterStore,
  type Discussion,
  type DiscussionStore,
  type NewNote,
  type NewOpenQuestion,
  type Note,
  type NoteQuery,
  type NoteStore,
  type OpenQuestion,
  type OpenQuestionStore,
  type NewQuiz,
  type Quiz,
  type QuizAnswer,
  type QuizAnswerOutcome,
  type QuizScore,
  type QuizStore,
  type QuizTally,
  type RateLimitStore,
  type RateLimitVerdict,
  type NewReadingPlan,
  type ReadingClaim,
  type ReadingPlan,
  type ReadingPlanStore,
  type ReadingProgress,
  type Scope,
  type Store,
  type StoredConversation,
} from './types.ts';

export const DATABASE_FILE = 'footnote.db';

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




function toOpenQuestion(row: OpenQuestionRow): OpenQuestion {
  return {
    id: row.id,
    scope: row.scope as Scope,
    question: row.question,
    askerId: row.asker_id,
    askerName: row.asker_name,
    confidence: row.confidence as OpenQuestion['confidence'],
    askedAt: row.asked_at,
  };
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

/** Connects, checks the file is sound and at a version this code knows, and migrates it. Never writes to a file it rejects. */
function connect(file: string, options: SqliteStoreOptions): Database.Database {
  const readonly = options.readonly === true;
  if (!readonly) {
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
    if (version > LATEST_VERSION) {
      throw new StoreOpenError(
        `${file} was written by a newer Footnote (schema version ${version}; this one knows up to ${LATEST_VERSION}). Update Footnote, or restore a backup made by this version.`,
      );
    }
    if (readonly) {
      if (unappliedMigrations(appliedVersions(db)).length > 0) {
        throw new StoreOpenError(`${file} is at schema version ${version} and needs upgrading to ${LATEST_VERSION}; start Footnote once (not read-only) to upgrade it.`);
      }
    } else {
      configure(db, file, options.synchronous ?? 'NORMAL');
      migrate(db, file);
    }
    if (options.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(options.maxPageCount)}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
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

/** Every version recorded in `schema_version`; none for a new database. */
function appliedVersions(db: Database.Database): Set<number> {
  if (!hasTable(db, 'schema_version')) return new Set();
  return new Set(db.prepare<[], number>('SELECT version FROM schema_version').pluck().all());
}

/** Runs every migration the file has not recorded, lower versions first (a gap left by a later-merged one included). */
function migrate(db: Database.Database, file: string): void {
  for (const migration of unappliedMigrations(appliedVersions(db))) {
    const apply = db.transaction(() => {
      // Another process may have applied it while this one waited for the lock.
      if (appliedVersions(db).has(migration.version)) return;
      db.exec(migrationSql(migration, 'sqlite'));
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(migration.version, Date.now());
    });
    try {
      apply.immediate();
    } catch (error) {
      // The transaction rolled back: the file is as it was before this start.
      throw new StoreOpenError(
        `Cannot upgrade ${file} to schema version ${migration.version}: ${errorMessage(error)}. The file was left as it was; free disk space or fix its permissions and start again.`,
      );
    }
  }
}


/** Conditions of the filters given, after the scope and visibility ones. */
function filterConditions(filter: Omit<NoteFilter, 'authorId'>): string {
  return (filter.article !== undefined ? ' AND article = @article' : '') + (filter.paragraph !== undefined ? ' AND paragraph = @paragraph' : '');
}

/**
 * The index that holds a page's notes in page order. Named, not left to the
 * planner: without table statistics it may pick one that needs a sort of every
 * note in the server, and statistics change as data grows.
 */
function pageIndex(filter: NoteFilter): string {
  if (filter.authorId !== undefined) return 'notes_by_author_time';
  if (filter.article === undefined) return 'notes_by_scope_time';
  return filter.paragraph === undefined ? 'notes_by_article_time' : 'notes_by_paragraph_time';
}

function pageSql(filter: NoteFilter): string {
  const author = filter.authorId !== undefined ? ' AND author_id = @authorId' : '';
  return (
    `SELECT * FROM notes INDEXED BY ${pageIndex(filter)} WHERE scope = @scope AND (private = 0 OR author_id = @viewerId)${filterConditions(filter)}${author}` +
    ' ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset'
  );
}

/**
 * One author's notes are counted directly; everyone's are the kept public
 * counts plus the viewer's own private notes, both small reads however many
 * notes the server has.
 */
function totalSql(filter: NoteFilter): string {
  const conditions = filterConditions(filter);
  if (filter.authorId !== undefined) {
    return `SELECT COUNT(*) FROM notes INDEXED BY notes_by_author_time WHERE author_id = @authorId AND scope = @scope AND (private = 0 OR author_id = @viewerId)${conditions}`;
  }
  return (
    `SELECT (SELECT COALESCE(SUM(public_notes), 0) FROM note_counts WHERE scope = @scope${conditions})` +
    ` + (SELECT COUNT(*) FROM notes INDEXED BY notes_by_author_time WHERE author_id = @viewerId AND scope = @scope AND private = 1${conditions})`
  );
}

/** Which filters a query uses: one prepared pair of statements per combination. */
function filterKey(filter: NoteFilter): number {
  return (filter.article !== undefined ? 1 : 0) | (filter.paragraph !== undefined ? 2 : 0) | (filter.authorId !== undefined ? 4 : 0);
}

interface ListStatements {
  page: Database.Statement<[Record<string, string | number>], NoteRow>;
  total: Database.Statement<[Record<string, string | number>], number>;
}

/** A note as stored, with the time it was written: what `importNotes` takes. */
export type ImportedNote = NewNote & { createdAt: number };

class SqliteNotes implements NoteStore {
  private readonly insert;
  private readonly countPublic;
  private readonly byId;
  private readonly perParagraph;
  private readonly byAuthorSince;
  private readonly remove;
  private readonly uncountPublic;
  private readonly lists = new Map<number, ListStatements>();
  private readonly listTransaction;
  private readonly addTransaction;
  private readonly deleteTransaction;

  constructor(
    db: Database.Database,
    private readonly file: string,
  ) {
    this.insert = db.prepare<[string, string, number, string, string, string, number, number]>(
      'INSERT INTO notes (scope, article, paragraph, author_id, author_name, text, private, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.countPublic = db.prepare<[string, string, number]>(
      'INSERT INTO note_counts (scope, article, paragraph, public_notes) VALUES (?, ?, ?, 1) ON CONFLICT (scope, article, paragraph) DO UPDATE SET public_notes = note_counts.public_notes + 1',
    );
    this.byId = db.prepare<[string, number], NoteRow>('SELECT * FROM notes WHERE scope = ? AND id = ?');
    this.perParagraph = db.prepare<{ scope: string; viewerId: string; article: string }, { paragraph: number; n: number }>(
      'SELECT paragraph, SUM(n) AS n FROM (' +
        'SELECT paragraph, public_notes AS n FROM note_counts WHERE scope = @scope AND article = @article AND public_notes > 0' +
        ' UNION ALL SELECT paragraph, 1 AS n FROM notes INDEXED BY notes_by_author_time WHERE author_id = @viewerId AND scope = @scope AND private = 1 AND article = @article' +
        ') GROUP BY paragraph ORDER BY paragraph',
    );
    this.byAuthorSince = db.prepare<[string, number], number>('SELECT COUNT(*) FROM notes INDEXED BY notes_by_author_time WHERE author_id = ? AND created_at >= ?').pluck();
    this.remove = db.prepare<[string, number], { article: string; paragraph: number; private: number }>(
      'DELETE FROM notes WHERE scope = ? AND id = ? RETURNING article, paragraph, private',
    );
    this.uncountPublic = db.prepare<[string, string, number]>('UPDATE note_counts SET public_notes = public_notes - 1 WHERE scope = ? AND article = ? AND paragraph = ?');
    for (let key = 0; key < 8; key += 1) {
      const filter: NoteFilter = { article: key & 1 ? '' : undefined, paragraph: key & 2 ? 0 : undefined, authorId: key & 4 ? '' : undefined };
      this.lists.set(key, {
        page: db.prepare<[Record<string, string | number>], NoteRow>(pageSql(filter)),
        total: db.prepare<[Record<string, string | number>], number>(totalSql(filter)).pluck(),
      });
    }
    // One read transaction, so the page and its total come from the same snapshot.
    this.listTransaction = db.transaction((query: NoteQuery) => {
      const statements = this.lists.get(filterKey(query)) as ListStatements;
      const parameters: Record<string, string | number> = { scope: query.scope, viewerId: query.viewerId };
      if (query.article !== undefined) parameters.article = query.article;
      if (query.paragraph !== undefined) parameters.paragraph = query.paragraph;
      if (query.authorId !== undefined) parameters.authorId = query.authorId;
      const rows = statements.page.all({ ...parameters, limit: query.limit, offset: query.offset ?? 0 });
      return { notes: rows.map(toNote), total: statements.total.get(parameters) as number };
    });
    this.addTransaction = db.transaction((notes: readonly ImportedNote[]) =>
      notes.map((note) => {
        const { lastInsertRowid } = this.insert.run(note.scope, note.article, note.paragraph, note.authorId, note.authorName, note.text, note.private ? 1 : 0, note.createdAt);
        if (!note.private) this.countPublic.run(note.scope, note.article, note.paragraph);
        return Number(lastInsertRowid);
      }),
    );
    this.deleteTransaction = db.transaction((scope: Scope, id: number) => {
      const deleted = this.remove.get(scope, id);
      if (deleted !== undefined && deleted.private === 0) this.uncountPublic.run(scope, deleted.article, deleted.paragraph);
      return deleted !== undefined;
    });
  }

  async add(note: NewNote, now: number): Promise<Note> {
    const [id] = this.addMany([{ ...note, createdAt: now }]);
    return {
      id: id as number,
      scope: note.scope,
      article: note.article,
      paragraph: note.paragraph,
      authorId: note.authorId,
      authorName: note.authorName,
      text: note.text,
      private: note.private,
      createdAt: now,
    };
  }

  /** Stores the notes in one transaction: all or none. Returns their ids. */
  addMany(notes: readonly ImportedNote[]): number[] {
    try {
      return this.addTransaction.immediate(notes);
    } catch (error) {
      throw writeError(this.file, error);
    }
  }

  async get(scope: Scope, id: number): Promise<Note | undefined> {
    const row = this.byId.get(scope, id);
    return row === undefined ? undefined : toNote(row);
  }

  async list(query: NoteQuery): Promise<{ notes: Note[]; total: number }> {
    checkPage(query.limit, query.offset ?? 0);
    return this.listTransaction.deferred(query);
  }

  async countByParagraph(scope: Scope, viewerId: string, article: string): Promise<Map<number, number>> {
    return new Map(this.perParagraph.all({ scope, viewerId, article }).map((row) => [row.paragraph, row.n]));
  }

  async countByAuthorSince(authorId: string, since: number): Promise<number> {
    return this.byAuthorSince.get(authorId, since) as number;
  }

  async delete(scope: Scope, id: number): Promise<boolean> {
    try {
      return this.deleteTransaction.immediate(scope, id);
    } catch (error) {
      throw writeError(this.file, error);
    }
  }
}

class SqliteOpenQuestions implements OpenQuestionStore {
  private readonly insert;
  private readonly page;
  private readonly total;
  private readonly remove;
  private readonly listTransaction;

  constructor(
    db: Database.Database,
    private readonly file: string,
  ) {
    this.insert = db.prepare<[string, string, string, string, string, number]>(
      'INSERT INTO open_questions (scope, question, asker_id, asker_name, confidence, asked_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.page = db.prepare<[string, number, number], OpenQuestionRow>('SELECT * FROM open_questions WHERE scope = ? ORDER BY asked_at DESC, id DESC LIMIT ? OFFSET ?');
    this.total = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM open_questions WHERE scope = ?');
    this.remove = db.prepare<[string]>('DELETE FROM open_questions WHERE scope = ?');
    this.listTransaction = db.transaction((scope: Scope, limit: number, offset: number) => ({
      questions: this.page.all(scope, limit, offset).map(toOpenQuestion),
      total: (this.total.get(scope) as { n: number }).n,
    }));
  }

  async add(question: NewOpenQuestion, now: number): Promise<OpenQuestion> {
    try {
      const result = this.insert.run(question.scope, question.question, question.askerId, question.askerName, question.confidence, now);
      return {
        id: Number(result.lastInsertRowid),
        scope: question.scope,
        question: question.question,
        askerId: question.askerId,
        askerName: question.askerName,
        confidence: question.confidence,
        askedAt: now,
      };
    } catch (error) {
      throw writeError(this.file, error);
    }
  }

  async list(scope: Scope, limit: number, offset = 0): Promise<{ questions: OpenQuestion[]; total: number }> {
    checkPage(limit, offset);
    return this.listTransaction.deferred(scope, limit, offset);
  }

  async clear(scope: Scope): Promise<number> {
    try {
      return this.remove.run(scope).changes;
    } catch (error) {
      throw writeError(this.file, error);
    }
  }
}

class SqliteCounters implements CounterStore {
  private readonly read;
  private readonly bump;

  constructor(
    db: Database.Database,
    private readonly file: string,
  ) {
    this.read = db.prepare<[string, string], { value: number }>('SELECT value FROM counters WHERE scope = ? AND name = ?');
    // One statement: the read and the write cannot be split by another writer.
    this.bump = db.prepare<[string, string, number], { value: number }>(
      'INSERT INTO counters (scope, name, value) VALUES (?, ?, ?) ON CONFLICT (scope, name) DO UPDATE SET value = counters.value + excluded.value RETURNING value',
    );
  }

  async get(scope: Scope, name: string): Promise<number> {
    return this.read.get(scope, name)?.value ?? 0;
  }

  async increment(scope: Scope, name: string, by = 1): Promise<number> {
    if (!Number.isSafeInteger(by)) throw new RangeError(`a counter moves by whole numbers, not ${by}`);
    try {
      return (this.bump.get(scope, name, by) as { value: number }).value;
    } catch (error) {
      throw writeError(this.file, error);
    }
  }
}

interface DiscussionRow {
  scope: Scope;
  thread_id: string;
  article: string;
  paragraph: number;
  started_by: string;
  created_at: number;
}

class SqliteDiscussions implements DiscussionStore {
  private readonly upsert;
  private readonly read;

  constructor(
    db: Database.Database,
    private readonly file: string,
  ) {
    this.upsert = db.prepare<[string, string, string, number, string, number]>(
      'INSERT INTO discussions (scope, thread_id, article, paragraph, started_by, created_at) VALUES (?, ?, ?, ?, ?, ?)' +
        ' ON CONFLICT (scope, thread_id) DO UPDATE SET article = excluded.article, paragraph = excluded.paragraph, started_by = excluded.started_by, created_at = excluded.created_at',
    );
    this.read = db.prepare<[string, string], DiscussionRow>('SELECT * FROM discussions WHERE scope = ? AND thread_id = ?');
  }

  async add(discussion: Omit<Discussion, 'createdAt'>, now: number): Promise<void> {
    try {
      this.upsert.run(discussion.scope, discussion.threadId, discussion.article, discussion.paragraph, discussion.startedBy, now);
    } catch (error) {
      throw writeError(this.file, error);
    }
  }

  async get(scope: Scope, threadId: string): Promise<Discussion | undefined> {
    const row = this.read.get(scope, threadId);
    return row && { scope: row.scope, threadId: row.thread_id, article: row.article, paragraph: row.paragraph, startedBy: row.started_by, createdAt: row.created_at };
  }
}



/** The claim a write names, as WHERE conditions: only the holder of that very claim may complete or release it. */
const HOLDS_CLAIM = 'scope = @scope AND claim_part = @part AND claim_from = @from AND claim_to = @to AND claimed_at = @claimedAt';
const NO_CLAIM = 'claim_part = NULL, claim_from = NULL, claim_to = NULL, claim_due_at = NULL, claimed_at = NULL';

class SqliteReadingPlans implements ReadingPlanStore {
  private readonly insert;
  private readonly read;
  private readonly dueRows;
  private readonly earliest;
  private readonly claimRow;
  private readonly completeRow;
  private readonly releaseRow;
  private readonly pauseRow;
  private readonly resumeRow;
  private readonly postNowRow;
  private readonly remove;

  constructor(
    db: Database.Database,
    private readonly file: string,
  ) {
    // A finished plan is replaced; an active or paused one stays, and nothing is returned.
    this.insert = db.prepare<Record<string, string | number>, ReadingPlanRow>(
      'INSERT INTO reading_plans (scope, channel_id, article, paragraphs_per_part, cadence, local_time, time_zone, weekday, started_by, started_by_name, status, paused_reason, next_paragraph, parts_posted, next_due_at, created_at)' +
        " VALUES (@scope, @channelId, @article, @paragraphsPerPart, @every, @at, @timeZone, @weekday, @startedBy, @startedByName, 'active', NULL, 1, 0, @nextDueAt, @now)" +
        ' ON CONFLICT (scope) DO UPDATE SET channel_id = excluded.channel_id, article = excluded.article, paragraphs_per_part = excluded.paragraphs_per_part,' +
        ' cadence = excluded.cadence, local_time = excluded.local_time, time_zone = excluded.time_zone, weekday = excluded.weekday, started_by = excluded.started_by,' +
        " started_by_name = excluded.started_by_name, status = 'active', paused_reason = NULL, next_paragraph = 1, parts_posted = 0, next_due_at = excluded.next_due_at," +
        ` ${NO_CLAIM}, created_at = excluded.created_at WHERE reading_plans.status = 'finished' RETURNING *`,
    );
    this.read = db.prepare<[string], ReadingPlanRow>('SELECT * FROM reading_plans WHERE scope = ?');
    this.dueRows = db.prepare<{ now: number }, ReadingPlanRow>(
      "SELECT * FROM reading_plans WHERE status = 'active' AND next_due_at <= @now UNION SELECT * FROM reading_plans WHERE claimed_at IS NOT NULL ORDER BY next_due_at, scope",
    );
    this.earliest = db
      .prepare<[], number | null>(
        "SELECT MIN(due) FROM (SELECT MIN(next_due_at) AS due FROM reading_plans WHERE status = 'active' UNION ALL SELECT MIN(claimed_at) FROM reading_plans WHERE claimed_at IS NOT NULL)",
      )
      .pluck();
    this.claimRow = db.prepare<Record<string, string | number>>(
      'UPDATE reading_plans SET claim_part = @part, claim_from = @from, claim_to = @to, claim_due_at = @dueAt, claimed_at = @claimedAt' +
        " WHERE scope = @scope AND status = 'active' AND claimed_at IS NULL AND next_paragraph = @from AND next_due_at <= @claimedAt",
    );
    this.completeRow = db.prepare<Record<string, string | number>>(
      `UPDATE reading_plans SET next_paragraph = @to + 1, parts_posted = CASE WHEN @partDone = 1 THEN @part ELSE parts_posted END, next_due_at = @nextDueAt,` +
        ` status = CASE WHEN @finished = 1 THEN 'finished' ELSE status END, ${NO_CLAIM} WHERE ${HOLDS_CLAIM}`,
    );
    this.releaseRow = db.prepare<Record<string, string | number>>(`UPDATE reading_plans SET next_due_at = @retryAt, ${NO_CLAIM} WHERE ${HOLDS_CLAIM}`);
    this.pauseRow = db.prepare<[string, string]>("UPDATE reading_plans SET status = 'paused', paused_reason = ? WHERE scope = ? AND status = 'active'");
    this.resumeRow = db.prepare<[number, string]>("UPDATE reading_plans SET status = 'active', paused_reason = NULL, next_due_at = ? WHERE scope = ? AND status = 'paused'");
    this.postNowRow = db.prepare<[number, string]>("UPDATE reading_plans SET next_due_at = MIN(next_due_at, ?) WHERE scope = ? AND status = 'active'");
    this.remove = db.prepare<[string]>('DELETE FROM reading_plans WHERE scope = ?');
  }

  private write<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw writeError(this.file, error);
    }
  }

  async start(plan: NewReadingPlan, now: number): Promise<ReadingPlan | undefined> {
    const row = this.write(() =>
      this.insert.get({
        scope: plan.scope,
        channelId: plan.channelId,
        article: plan.article,
        paragraphsPerPart: plan.paragraphsPerPart,
        every: plan.every,
        at: plan.at,
        timeZone: plan.timeZone,
        weekday: plan.weekday,
        startedBy: plan.startedBy,
        startedByName: plan.startedByName,
        nextDueAt: plan.nextDueAt,
        now,
      }),
    );
    return row === undefined ? undefined : toReadingPlan(row);
  }

  async get(scope: Scope): Promise<ReadingPlan | undefined> {
    const row = this.read.get(scope);
    return row === undefined ? undefined : toReadingPlan(row);
  }

  async due(now: number): Promise<ReadingPlan[]> {
    return this.dueRows.all({ now }).map(toReadingPlan);
  }

  async nextDueAt(): Promise<number | undefined> {
    return this.earliest.get() ?? undefined;
  }

  async claim(scope: Scope, claim: ReadingClaim): Promise<boolean> {
    return this.write(() => this.claimRow.run({ scope, ...claim }).changes === 1);
  }

  async complete(scope: Scope, claim: ReadingClaim, progress: ReadingProgress): Promise<boolean> {
    const { part, from, to, claimedAt } = claim;
    return this.write(
      () =>
        this.completeRow.run({ scope, part, from, to, claimedAt, partDone: progress.partDone ? 1 : 0, finished: progress.finished ? 1 : 0, nextDueAt: progress.nextDueAt }).changes === 1,
    );
  }

  async release(scope: Scope, claim: ReadingClaim, retryAt: number): Promise<boolean> {
    const { part, from, to, claimedAt } = claim;
    return this.write(() => this.releaseRow.run({ scope, part, from, to, claimedAt, retryAt }).changes === 1);
  }

  async pause(scope: Scope, reason: string): Promise<boolean> {
    return this.write(() => this.pauseRow.run(reason, scope).changes === 1);
  }

  async resume(scope: Scope, nextDueAt: number): Promise<boolean> {
    return this.write(() => this.resumeRow.run(nextDueAt, scope).changes === 1);
  }

  async postNow(scope: Scope, now: number): Promise<boolean> {
    return this.write(() => this.postNowRow.run(now, scope).changes === 1);
  }

  async stop(scope: Scope): Promise<boolean> {
    return this.write(() => this.remove.run(scope).changes === 1);
  }
}





function toQuizAnswer(row: QuizAnswerRow): QuizAnswer {
  return { quizId: row.quiz_id, userId: row.user_id, choice: row.choice, correct: row.correct === 1, answeredAt: row.answered_at };
}



interface Who {
  userId: string;
  displayName: string;
}

class SqliteQuizzes implements QuizStore {
  private readonly insert;
  private readonly byId;
  private readonly insertAnswer;
  private readonly answerOf;
  private readonly addScore;
  private readonly tallyOf;
  private readonly revealRow;
  private readonly top;
  private readonly scoreOf;
  private readonly ahead;
  private readonly removeAnswers;
  private readonly removeScore;
  private readonly answerTransaction;
  private readonly standingTransaction;
  private readonly forgetTransaction;

  constructor(
    db: Database.Database,
    private readonly file: string,
  ) {
    this.insert = db.prepare<[string, string, string, number, string, string, string, number, string, number]>(
      'INSERT INTO quizzes (scope, article, kind, paragraph, sentence, prompt, options, answer, started_by, revealed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)',
    );
    this.byId = db.prepare<[string, number], QuizRow>('SELECT * FROM quizzes WHERE scope = ? AND id = ?');
    // The first answer stands: a second click changes nothing.
    this.insertAnswer = db.prepare<[number, string, string, number, number, number]>(
      'INSERT INTO quiz_answers (quiz_id, user_id, scope, choice, correct, answered_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (quiz_id, user_id) DO NOTHING',
    );
    this.answerOf = db.prepare<[number, string], QuizAnswerRow>('SELECT * FROM quiz_answers WHERE quiz_id = ? AND user_id = ?');
    this.addScore = db.prepare<[string, string, string, number]>(
      'INSERT INTO quiz_scores (scope, user_id, display_name, answered, correct) VALUES (?, ?, ?, 1, ?)' +
        ' ON CONFLICT (scope, user_id) DO UPDATE SET display_name = excluded.display_name, answered = quiz_scores.answered + 1, correct = quiz_scores.correct + excluded.correct',
    );
    this.tallyOf = db.prepare<[number], QuizTally>('SELECT COUNT(*) AS answered, COALESCE(SUM(correct), 0) AS correct FROM quiz_answers WHERE quiz_id = ?');
    this.revealRow = db.prepare<[string, number]>('UPDATE quizzes SET revealed = 1 WHERE scope = ? AND id = ?');
    this.top = db.prepare<[string, number], QuizScoreRow>(
      'SELECT user_id, display_name, answered, correct FROM quiz_scores INDEXED BY quiz_scores_by_rank WHERE scope = ? ORDER BY correct DESC, answered, user_id LIMIT ?',
    );
    this.scoreOf = db.prepare<[string, string], QuizScoreRow>('SELECT user_id, display_name, answered, correct FROM quiz_scores WHERE scope = ? AND user_id = ?');
    this.ahead = db
      .prepare<{ scope: string; correct: number; answered: number }, number>(
        'SELECT COUNT(*) FROM quiz_scores INDEXED BY quiz_scores_by_rank WHERE scope = @scope AND (correct > @correct OR (correct = @correct AND answered < @answered))',
      )
      .pluck();
    this.removeAnswers = db.prepare<[string, string]>('DELETE FROM quiz_answers WHERE scope = ? AND user_id = ?');
    this.removeScore = db.prepare<[string, string]>('DELETE FROM quiz_scores WHERE scope = ? AND user_id = ?');

    // One transaction per click: the answer, the score and the tally agree, and a crash keeps all or none.
    this.answerTransaction = db.transaction((scope: Scope, quizId: number, who: Who, choice: number, now: number): QuizAnswerOutcome => {
      const row = this.byId.get(scope, quizId);
      if (row === undefined) return { status: 'missing' };
      const quiz = toQuiz(row);
      if (quiz.revealed) return { status: 'revealed', quiz, tally: this.tallyOf.get(quizId) as QuizTally };
      if (!Number.isSafeInteger(choice) || choice < 0 || choice >= quiz.options.length) throw new RangeError(`choice ${choice} is not one of the ${quiz.options.length} options`);
      const correct = choice === quiz.answer ? 1 : 0;
      const recorded = this.insertAnswer.run(quizId, who.userId, scope, choice, correct, now).changes === 1;
      if (recorded) this.addScore.run(scope, who.userId, who.displayName, correct);
      const answer = toQuizAnswer(this.answerOf.get(quizId, who.userId) as QuizAnswerRow);
      return { status: recorded ? 'recorded' : 'already', quiz, answer, tally: this.tallyOf.get(quizId) as QuizTally };
    });
    this.standingTransaction = db.transaction((scope: Scope, userId: string) => {
      const row = this.scoreOf.get(scope, userId);
      if (row === undefined) return undefined;
      return { score: toQuizScore(row), rank: (this.ahead.get({ scope, correct: row.correct, answered: row.answered }) as number) + 1 };
    });
    this.forgetTransaction = db.transaction((scope: Scope, userId: string) => {
      const forgotten = this.removeAnswers.run(scope, userId).changes;
      this.removeScore.run(scope, userId);
      return forgotten;
    });
  }

  private write<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw writeError(this.file, error);
    }
  }

  async create(quiz: NewQuiz, now: number): Promise<Quiz> {
    checkQuiz(quiz);
    const { scope, article, kind, paragraph, sentence, prompt, options, answer, startedBy } = quiz;
    const result = this.write(() => this.insert.run(scope, article, kind, paragraph, sentence, prompt, JSON.stringify(options), answer, startedBy, now));
    return { id: Number(result.lastInsertRowid), scope, article, kind, paragraph, sentence, prompt, options: [...options], answer, startedBy, revealed: false, createdAt: now };
  }

  async get(scope: Scope, id: number): Promise<Quiz | undefined> {
    const row = this.byId.get(scope, id);
    return row === undefined ? undefined : toQuiz(row);
  }

  async answer(scope: Scope, quizId: number, who: Who, choice: number, now: number): Promise<QuizAnswerOutcome> {
    return this.write(() => this.answerTransaction.immediate(scope, quizId, { userId: who.userId, displayName: who.displayName }, choice, now));
  }

  async tally(scope: Scope, quizId: number): Promise<QuizTally> {
    return this.byId.get(scope, quizId) === undefined ? { answered: 0, correct: 0 } : (this.tallyOf.get(quizId) as QuizTally);
  }

  async reveal(scope: Scope, quizId: number): Promise<boolean> {
    return this.write(() => this.revealRow.run(scope, quizId).changes === 1);
  }

  async leaderboard(scope: Scope, limit: number): Promise<QuizScore[]> {
    checkPage(limit, 0);
    return this.top.all(scope, limit).map(toQuizScore);
  }

  async standing(scope: Scope, userId: string): Promise<{ score: QuizScore; rank: number } | undefined> {
    return this.standingTransaction.deferred(scope, userId);
  }

  async forget(scope: Scope, userId: string): Promise<number> {
    return this.write(() => this.forgetTransaction.immediate(scope, userId));
  }
}

class SqliteRateLimits implements RateLimitStore {
  private readonly takeTransaction;
  private readonly remove;

  constructor(
    db: Database.Database,
    private readonly file: string,
  ) {
    const read = db.prepare<[string], { hits: string; warned: number }>('SELECT hits, warned FROM rate_limits WHERE limit_key = ?');
    const write = db.prepare<[string, string, number, number]>(
      'INSERT INTO rate_limits (limit_key, hits, warned, expires_at) VALUES (?, ?, ?, ?)' +
        ' ON CONFLICT (limit_key) DO UPDATE SET hits = excluded.hits, warned = excluded.warned, expires_at = excluded.expires_at',
    );
    // Read and write under one write lock (taken at BEGIN IMMEDIATE): another process's take waits for it.
    this.takeTransaction = db.transaction((key: string, limit: number, windowMs: number, now: number): RateLimitVerdict => {
      const row = read.get(key);
      const step = takeFromWindow(row && windowFromRow(row.hits, row.warned), limit, windowMs, now);
      write.run(key, JSON.stringify(step.window.hits), step.window.warned ? 1 : 0, step.expiresAt);
      return step.verdict;
    });
    this.remove = db.prepare<[number]>('DELETE FROM rate_limits WHERE expires_at <= ?');
  }

  async take(key: string, limit: number, windowMs: number, now: number): Promise<RateLimitVerdict> {
    checkRateLimit(limit, windowMs);
    try {
      return this.takeTransaction.immediate(key, limit, windowMs, now);
    } catch (error) {
      throw writeError(this.file, error);
    }
  }

  async prune(now: number): Promise<number> {
    try {
      return this.remove.run(now).changes;
    } catch (error) {
      throw writeError(this.file, error);
    }
  }
}

class SqliteConversations implements ConversationStore {
  private readonly read;
  private readonly upsert;
  private readonly remove;

  constructor(
    db: Database.Database,
    private readonly file: string,
  ) {
    this.read = db.prepare<[string, number], StoredConversation>('SELECT exchange AS data, at FROM conversations WHERE conversation_key = ? AND at >= ?');
    this.upsert = db.prepare<[string, string, number]>(
      'INSERT INTO conversations (conversation_key, exchange, at) VALUES (?, ?, ?)' +
        ' ON CONFLICT (conversation_key) DO UPDATE SET exchange = excluded.exchange, at = excluded.at WHERE conversations.at <= excluded.at',
    );
    this.remove = db.prepare<[number]>('DELETE FROM conversations WHERE at < ?');
  }

  async get(key: string, since: number): Promise<StoredConversation | undefined> {
    const row = this.read.get(key, since);
    return row && { data: row.data, at: row.at };
  }

  async put(key: string, conversation: StoredConversation): Promise<void> {
    try {
      this.upsert.run(key, conversation.data, conversation.at);
    } catch (error) {
      throw writeError(this.file, error);
    }
  }

  async prune(before: number): Promise<number> {
    try {
      return this.remove.run(before).changes;
    } catch (error) {
      throw writeError(this.file, error);
    }
  }
}

export class SqliteStore implements Store {
  readonly file: string;
  readonly description: string;
  readonly notes: NoteStore;
  readonly openQuestions: OpenQuestionStore;
  readonly discussions: DiscussionStore;
  readonly counters: CounterStore;
  readonly readingPlans: ReadingPlanStore;
  readonly quizzes: QuizStore;
  readonly rateLimits: RateLimitStore;
  readonly conversations: ConversationStore;
  private readonly db: Database.Database;
  private readonly sqliteNotes: SqliteNotes;

  /** Opens (creating the folder and file if missing) `footnote.db` in `dataDir`; throws StoreOpenError. */
  constructor(dataDir: string, options: SqliteStoreOptions = {}) {
    this.file = databaseFile(dataDir);
    this.description = `sqlite:${this.file}`;
    this.db = connect(this.file, options);
    this.sqliteNotes = new SqliteNotes(this.db, this.file);
    this.notes = this.sqliteNotes;
    this.openQuestions = new SqliteOpenQuestions(this.db, this.file);
    this.discussions = new SqliteDiscussions(this.db, this.file);
    this.counters = new SqliteCounters(this.db, this.file);
    this.readingPlans = new SqliteReadingPlans(this.db, this.file);
    this.quizzes = new SqliteQuizzes(this.db, this.file);
    this.rateLimits = new SqliteRateLimits(this.db, this.file);
    this.conversations = new SqliteConversations(this.db, this.file);
  }

  /** Stores many notes, each with its own time, in one transaction (imports; the bench's fill). Returns their ids. */
  async importNotes(notes: readonly ImportedNote[]): Promise<number[]> {
    return this.sqliteNotes.addMany(notes);
  }

  /** The schema version recorded in the file. */
  schemaVersion(): number {
    return schemaVersion(this.db, this.file);
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
    await this.db.backup(destination, { progress: () => ALL_PAGES });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
