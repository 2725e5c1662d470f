/**
 * The database schema as an ordered list of migrations. Each one runs once,
 * in its own transaction, together with the row in `schema_version` that
 * records it; a database is at the highest version recorded there.
 *
 * The SQL is kept to what SQLite and Postgres both accept (INTEGER, BIGINT,
 * TEXT, CHECK, ON CONFLICT), so a Postgres store can run the same list. The one
 * thing that differs, the auto-numbered id column, is written `{{id}}` and
 * filled in by `migrationSql`.
 *
 * Never edit a migration that has shipped: add a new one with the next version.
 * `migrate` below is the one runner, for both databases.
 */
import type { SqlDriver, SqlRunner } from './sql/driver.ts';
import { StoreOpenError } from './types.ts';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export type Dialect = 'sqlite' | 'postgres';

/**
 * Ids are never reused, even after the newest row is deleted (SQLite's plain
 * INTEGER PRIMARY KEY would reuse it; AUTOINCREMENT and identity columns do not),
 * so a note id in an old message never points at a newer note.
 */
const ID_COLUMN: Record<Dialect, string> = {
  sqlite: 'INTEGER PRIMARY KEY AUTOINCREMENT',
  postgres: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
};

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'notes, open questions, counters',
    sql: `
      CREATE TABLE schema_version (
        version INTEGER PRIMARY KEY,
        applied_at BIGINT NOT NULL
      );

      CREATE TABLE notes (
        id {{id}},
        scope TEXT NOT NULL,
        article TEXT NOT NULL,
        paragraph INTEGER NOT NULL,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        text TEXT NOT NULL,
        private INTEGER NOT NULL CHECK (private IN (0, 1)),
        created_at BIGINT NOT NULL
      );
      -- One index per kind of page, each in page order (newest first), so a
      -- page reads its own rows and stops. The author index also serves the
      -- daily limit and each viewer's own private notes.
      CREATE INDEX notes_by_scope_time ON notes (scope, created_at);
      CREATE INDEX notes_by_article_time ON notes (scope, article, created_at);
      CREATE INDEX notes_by_paragraph_time ON notes (scope, article, paragraph, created_at);
      CREATE INDEX notes_by_author_time ON notes (author_id, scope, created_at);

      -- Public notes per paragraph, kept with every add and delete, so a total
      -- sums a few hundred rows instead of counting every note of a big server.
      CREATE TABLE note_counts (
        scope TEXT NOT NULL,
        article TEXT NOT NULL,
        paragraph INTEGER NOT NULL,
        public_notes BIGINT NOT NULL,
        PRIMARY KEY (scope, article, paragraph)
      );

      CREATE TABLE open_questions (
        id {{id}},
        scope TEXT NOT NULL,
        question TEXT NOT NULL,
        asker_id TEXT NOT NULL,
        asker_name TEXT NOT NULL,
        confidence TEXT NOT NULL CHECK (confidence IN ('none', 'low')),
        asked_at BIGINT NOT NULL
      );
      CREATE INDEX open_questions_by_scope_time ON open_questions (scope, asked_at);

      CREATE TABLE counters (
        scope TEXT NOT NULL,
        name TEXT NOT NULL,
        value BIGINT NOT NULL,
        PRIMARY KEY (scope, name)
      );
    `,
  },
  {
    version: 2,
    description: 'discussion threads',
    sql: `
      CREATE TABLE discussions (
        scope TEXT NOT NULL,
        thread_id TEXT NOT NULL,
        article TEXT NOT NULL,
        paragraph INTEGER NOT NULL,
        started_by TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (scope, thread_id)
      );
    `,
  },
  {
    version: 3,
    description: 'quizzes, their answers and scores',
    // A quiz keeps its question whole (options as a JSON array), so its buttons
    // work after a restart whatever the article becomes. Scores are kept with
    // every answer, so a leaderboard reads a few rows, never every answer.
    sql: `
      CREATE TABLE quizzes (
        id {{id}},
        scope TEXT NOT NULL,
        article TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('cloze', 'which-paragraph')),
        paragraph INTEGER NOT NULL,
        sentence TEXT NOT NULL,
        prompt TEXT NOT NULL,
        options TEXT NOT NULL,
        answer INTEGER NOT NULL,
        started_by TEXT NOT NULL,
        revealed INTEGER NOT NULL CHECK (revealed IN (0, 1)),
        created_at BIGINT NOT NULL
      );

      CREATE TABLE quiz_answers (
        quiz_id BIGINT NOT NULL,
        user_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        choice INTEGER NOT NULL,
        correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
        answered_at BIGINT NOT NULL,
        PRIMARY KEY (quiz_id, user_id)
      );
      CREATE INDEX quiz_answers_by_user ON quiz_answers (scope, user_id);

      CREATE TABLE quiz_scores (
        scope TEXT NOT NULL,
        user_id TEXT NOT NULL,
        display_name TEXT NOT NULL,
        answered BIGINT NOT NULL,
        correct BIGINT NOT NULL,
        PRIMARY KEY (scope, user_id)
      );
      CREATE INDEX quiz_scores_by_rank ON quiz_scores (scope, correct DESC, answered, user_id);
    `,
  },
  {
    version: 4,
    description: 'reading plans',
    // One plan per scope. The claim_* columns are set while a message is being
    // posted and cleared once it is confirmed (all or none of them).
    sql: `
      CREATE TABLE reading_plans (
        scope TEXT PRIMARY KEY,
        channel_id TEXT NOT NULL,
        article TEXT NOT NULL,
        paragraphs_per_part INTEGER NOT NULL CHECK (paragraphs_per_part >= 1),
        cadence TEXT NOT NULL CHECK (cadence IN ('day', 'weekday', 'week')),
        local_time TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        started_by TEXT NOT NULL,
        started_by_name TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'finished')),
        paused_reason TEXT,
        next_paragraph INTEGER NOT NULL,
        parts_posted INTEGER NOT NULL,
        next_due_at BIGINT NOT NULL,
        claim_part INTEGER,
        claim_from INTEGER,
        claim_to INTEGER,
        claim_due_at BIGINT,
        claimed_at BIGINT,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX reading_plans_by_due ON reading_plans (status, next_due_at);
      CREATE INDEX reading_plans_by_claim ON reading_plans (claimed_at);
    `,
  },
  {
    version: 5,
    description: 'shared rate limits and conversation context',
    // What one process used to keep in memory, kept here so workers sharing
    // the database enforce one limit and read one conversation. A rate limit's
    // requests in its window are a JSON array (at most its limit of them);
    // expires_at is when the newest leaves the window, after which the row
    // means nothing and is pruned.
    sql: `
      CREATE TABLE rate_limits (
        limit_key TEXT PRIMARY KEY,
        hits TEXT NOT NULL,
        warned INTEGER NOT NULL CHECK (warned IN (0, 1)),
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX rate_limits_by_expiry ON rate_limits (expires_at);

      CREATE TABLE conversations (
        conversation_key TEXT PRIMARY KEY,
        exchange TEXT NOT NULL,
        at BIGINT NOT NULL
      );
      CREATE INDEX conversations_by_time ON conversations (at);
    `,
  },
  {
    version: 6,
    description: 'texts a server brings (its library) and its default text',
    // A text is kept as its corpus-format file, exactly as it will be cited;
    // the counts are kept beside it so a list never reads the text itself.
    sql: `
      CREATE TABLE texts (
        id {{id}},
        scope TEXT NOT NULL,
        slug TEXT NOT NULL,
        title TEXT NOT NULL,
        author TEXT NOT NULL,
        source TEXT NOT NULL,
        markdown TEXT NOT NULL,
        paragraphs INTEGER NOT NULL,
        chars INTEGER NOT NULL,
        added_by TEXT NOT NULL,
        added_at BIGINT NOT NULL,
        UNIQUE (scope, slug)
      );

      CREATE TABLE text_defaults (
        scope TEXT PRIMARY KEY,
        slug TEXT NOT NULL
      );
    `,
  },
  {
    version: 7,
    description: 'note anchors and text versions, for re-imports',
    // A note keeps the start of its paragraph as it read, so a re-imported
    // text can put the note on the paragraph that still says it; paragraph 0
    // is a note whose paragraph is gone. Notes written before have no anchor.
    sql: `
      ALTER TABLE notes ADD COLUMN anchor TEXT NOT NULL DEFAULT '';
      ALTER TABLE texts ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 8,
    description: 'leases: one process at a time holds a role (the gateway of an application)',
    sql: `
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 9,
    description: 'review decks: cards per person and scope, their grades, daily reminders; quizzes by scope',
    // A card's schedule is the scheduler's state as JSON; its due time and
    // reps are kept beside it for the queries and the conditional grade.
    sql: `
      CREATE TABLE review_cards (
        id {{id}},
        scope TEXT NOT NULL,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        source_key TEXT NOT NULL,
        article TEXT NOT NULL,
        paragraph INTEGER NOT NULL,
        front TEXT NOT NULL,
        back TEXT NOT NULL,
        sentence TEXT NOT NULL,
        schedule TEXT NOT NULL,
        due_at BIGINT NOT NULL,
        reps INTEGER NOT NULL,
        created_at BIGINT NOT NULL,
        UNIQUE (scope, user_id, source_key)
      );
      CREATE INDEX review_cards_by_due ON review_cards (scope, user_id, due_at);
      CREATE INDEX review_cards_by_user_due ON review_cards (user_id, due_at);

      CREATE TABLE review_log (
        id {{id}},
        card_id BIGINT NOT NULL,
        scope TEXT NOT NULL,
        user_id TEXT NOT NULL,
        rating INTEGER NOT NULL,
        state INTEGER NOT NULL,
        reviewed_at BIGINT NOT NULL
      );
      CREATE INDEX review_log_by_deck_time ON review_log (scope, user_id, reviewed_at);

      CREATE TABLE review_reminders (
        user_id TEXT PRIMARY KEY,
        at_time TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        next_at BIGINT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'stopped')),
        stopped_reason TEXT,
        last_sent_at BIGINT
      );
      CREATE INDEX review_reminders_by_time ON review_reminders (status, next_at);

      -- A new quiz asks a sentence the scope's latest quizzes did not.
      CREATE INDEX quizzes_by_scope ON quizzes (scope, id);
    `,
  },
  {
    version: 10,
    description: 'the organizer: Helpful votes, confusing flags, assignments, answers per paragraph',
    // Each mark keeps the member's display name then, so a report names
    // people without asking the platform; answers per paragraph are counts.
    sql: `
      CREATE TABLE note_votes (
        note_id BIGINT NOT NULL,
        scope TEXT NOT NULL,
        user_id TEXT NOT NULL,
        display_name TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (note_id, user_id)
      );
      CREATE INDEX note_votes_by_member ON note_votes (scope, user_id);

      CREATE TABLE confusion_flags (
        scope TEXT NOT NULL,
        article TEXT NOT NULL,
        paragraph INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        display_name TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (scope, article, paragraph, user_id)
      );
      CREATE INDEX confusion_flags_by_member ON confusion_flags (scope, user_id);

      CREATE TABLE assignments (
        id {{id}},
        scope TEXT NOT NULL,
        source TEXT NOT NULL,
        article TEXT NOT NULL,
        from_paragraph INTEGER NOT NULL,
        to_paragraph INTEGER NOT NULL,
        due_at BIGINT NOT NULL,
        time_zone TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_by_name TEXT NOT NULL,
        remind_at BIGINT NOT NULL,
        reminded INTEGER NOT NULL CHECK (reminded IN (0, 1)),
        created_at BIGINT NOT NULL,
        UNIQUE (scope, source)
      );
      CREATE INDEX assignments_by_reminder ON assignments (reminded, remind_at);

      CREATE TABLE assignment_members (
        assignment_id BIGINT NOT NULL,
        scope TEXT NOT NULL,
        user_id TEXT NOT NULL,
        display_name TEXT NOT NULL,
        done_at BIGINT,
        wants_reminder INTEGER NOT NULL CHECK (wants_reminder IN (0, 1)),
        PRIMARY KEY (assignment_id, user_id)
      );
      CREATE INDEX assignment_members_by_member ON assignment_members (scope, user_id);

      CREATE TABLE paragraph_answers (
        scope TEXT NOT NULL,
        article TEXT NOT NULL,
        paragraph INTEGER NOT NULL,
        answered INTEGER NOT NULL,
        low INTEGER NOT NULL,
        PRIMARY KEY (scope, article, paragraph)
      );
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS.reduce((latest, migration) => Math.max(latest, migration.version), 0);

/** The migration's SQL for one database. */
export function migrationSql(migration: Migration, dialect: Dialect): string {
  return migration.sql.replaceAll('{{id}}', ID_COLUMN[dialect]);
}

/** Migrations a database at `version` still needs, in order. */
export function pendingMigrations(version: number): Migration[] {
  return MIGRATIONS.filter((migration) => migration.version > version).sort((a, b) => a.version - b.version);
}

/**
 * Migrations a database has not recorded, in order. Unlike `pendingMigrations`
 * it also finds one numbered below a version already applied: features built
 * side by side may land in either order (4 before 3), and a migration that
 * touches only its own tables can run after a higher one.
 */
export function unappliedMigrations(applied: ReadonlySet<number>): Migration[] {
  return MIGRATIONS.filter((migration) => !applied.has(migration.version)).sort((a, b) => a.version - b.version);
}

/**
 * Whether `schema_version` exists yet: each database's catalogue, asked in its
 * own words. On Postgres a query of pg_tables, not to_regclass: that reads a
 * per-connection cache which, inside a transaction that waited for the
 * migration lock, may still say "no such table" after another process made it.
 */
const HAS_VERSION_TABLE: Record<Dialect, string> = {
  sqlite: "SELECT COUNT(*) AS found FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
  postgres: "SELECT COUNT(*) AS found FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_version'",
};

/**
 * Taken first in each migration's transaction, so two processes that start at
 * once apply it once: SQLite's BEGIN IMMEDIATE already serialises writers;
 * Postgres takes an advisory lock for this schema, waiting however long the
 * other process's migration takes (no lock timeout while migrating).
 */
const MIGRATION_LOCK: Record<Dialect, string | undefined> = {
  sqlite: undefined,
  postgres: "SET LOCAL lock_timeout = 0; SELECT pg_advisory_xact_lock(1181642612, hashtext(COALESCE(current_schema(), '')))",
};

/** Every version recorded in `schema_version`; none for a new database. */
export async function appliedVersions(db: SqlRunner, dialect: Dialect): Promise<Set<number>> {
  const table = await db.get<{ found: number }>(HAS_VERSION_TABLE[dialect]);
  if (Number(table?.found ?? 0) === 0) return new Set();
  return new Set((await db.all<{ version: number }>('SELECT version FROM schema_version')).map((row) => Number(row.version)));
}

/** What a refusal says about the database, in its own terms (a file, or host:port/database). */
export interface MigrationMessages {
  newer(version: number): string;
  failed(version: number, reason: string): string;
}

/**
 * Applies every migration the database has not recorded, lower versions first,
 * each in its own transaction with its row in schema_version; refuses a
 * database written by a newer Footnote. Throws StoreOpenError; a failed
 * migration rolls back, leaving the database as it was before it.
 */
export async function migrate(db: SqlDriver, messages: MigrationMessages): Promise<void> {
  const applied = await appliedVersions(db, db.dialect);
  const newest = Math.max(0, ...applied);
  if (newest > LATEST_VERSION) throw new StoreOpenError(messages.newer(newest));
  for (const migration of unappliedMigrations(applied)) {
    try {
      await db.transaction(async (tx) => {
        const lock = MIGRATION_LOCK[db.dialect];
        if (lock !== undefined) await tx.exec(lock);
        // Another process may have applied it while this one waited for the lock.
        if ((await appliedVersions(tx, db.dialect)).has(migration.version)) return;
        await tx.exec(migrationSql(migration, db.dialect));
        await tx.run('INSERT INTO schema_version (version, applied_at) VALUES (@version, @now)', { version: migration.version, now: Date.now() });
      });
    } catch (error) {
      throw new StoreOpenError(messages.failed(migration.version, error instanceof Error ? error.message : String(error)));
    }
  }
}
