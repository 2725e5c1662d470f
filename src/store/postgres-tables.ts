/**
 * The Postgres store's tables, one class per part of the Store. The SQL says
 * what the SQLite store's says, in Postgres's words: a change that touches two
 * tables is one statement (data-modifying WITH) or one transaction; text is
 * ordered with COLLATE "C" so ties break byte by byte as in SQLite and in
 * memory, whatever the database's locale.
 */
import type { PostgresDatabase } from './postgres.ts';
import { checkRateLimit, takeFromWindow, windowFromRow } from './rate-window.ts';
import type { ImportedNote } from './sqlite.ts';
import type {
  ConversationStore,
  CounterStore,
  Discussion,
  DiscussionStore,
  NewNote,
  NewOpenQuestion,
  NewQuiz,
  NewReadingPlan,
  Note,
  NoteQuery,
  NoteStore,
  OpenQuestion,
  OpenQuestionStore,
  Quiz,
  QuizAnswer,
  QuizAnswerOutcome,
  QuizScore,
  QuizStore,
  QuizTally,
  RateLimitStore,
  RateLimitVerdict,
  ReadingClaim,
  ReadingPlan,
  ReadingPlanStore,
  ReadingProgress,
  Scope,
  StoredConversation,
} from './types.ts';
import { checkPage, checkQuiz, toNote, toQuiz, toQuizScore, type NoteFilter, type NoteRow, type OpenQuestionRow, type QuizAnswerRow, type QuizRow, type QuizScoreRow, type ReadingPlanRow, toReadingPlan } from './rows.ts';


/** Named parameters (@name) as Postgres's positional ones, each name bound once however often it appears. */
function bind(sql: string, parameters: Record<string, unknown>): [string, unknown[]] {
  const order: string[] = [];
  const text = sql.replace(/@(\w+)/g, (_, name: string) => {
    if (!(name in parameters)) throw new Error(`no value for @${name}`);
    let index = order.indexOf(name);
    if (index === -1) index = order.push(name) - 1;
    return `$${index + 1}`;
  });
  return [text, order.map((name) => parameters[name])];
}

// ---- notes --------------------------------------------------------------------------




function filterConditions(filter: NoteFilter): string {
  return (filter.article !== undefined ? ' AND article = @article' : '') + (filter.paragraph !== undefined ? ' AND paragraph = @paragraph' : '');
}

/**
 * A page and its total in one statement, so both come from one snapshot. One
 * author's notes are counted directly; everyone's are the kept public counts
 * plus the viewer's own private notes, small reads however big the server.
 */
function listSql(filter: NoteFilter): string {
  const conditions = filterConditions(filter);
  const author = filter.authorId !== undefined ? ' AND author_id = @authorId' : '';
  const total =
    filter.authorId !== undefined
      ? `SELECT COUNT(*) FROM notes WHERE author_id = @authorId AND scope = @scope AND (private = 0 OR author_id = @viewerId)${conditions}`
      : `SELECT (SELECT COALESCE(SUM(public_notes), 0) FROM note_counts WHERE scope = @scope${conditions})` +
        ` + (SELECT COUNT(*) FROM notes WHERE author_id = @viewerId AND scope = @scope AND private = 1${conditions})`;
  return (
    `SELECT t.total, p.* FROM (${total}) AS t (total) LEFT JOIN LATERAL (` +
    `SELECT * FROM notes WHERE scope = @scope AND (private = 0 OR author_id = @viewerId)${conditions}${author}` +
    ' ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset) AS p ON true'
  );
}

/** Rows of notes given as parallel arrays: many notes in one statement. */
const UNNEST_NOTES =
  'SELECT * FROM unnest(@scopes::text[], @articles::text[], @paragraphs::int[], @authorIds::text[], @authorNames::text[], @texts::text[], @privates::int[], @times::bigint[]) WITH ORDINALITY' +
  ' AS n (scope, article, paragraph, author_id, author_name, text, private, created_at, position)';

export class PostgresNotes implements NoteStore {
  constructor(private readonly db: PostgresDatabase) {}

  async add(note: NewNote, now: number): Promise<Note> {
    // The note and its paragraph's public count in one statement: one commit, all or none.
    const [text, values] = bind(
      'WITH added AS (INSERT INTO notes (scope, article, paragraph, author_id, author_name, text, private, created_at)' +
        ' VALUES (@scope, @article, @paragraph, @authorId, @authorName, @text, @private, @now) RETURNING id),' +
        ' counted AS (INSERT INTO note_counts (scope, article, paragraph, public_notes) SELECT @scope, @article, @paragraph, 1 WHERE @private::int = 0' +
        ' ON CONFLICT (scope, article, paragraph) DO UPDATE SET public_notes = note_counts.public_notes + 1)' +
        ' SELECT id FROM added',
      { ...note, private: note.private ? 1 : 0, now },
    );
    const result = await this.db.write<{ id: number }>(text, values);
    return {
      id: (result.rows[0] as { id: number }).id,
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

  /** Stores the notes in one transaction, a thousand rows a statement. Returns their ids, in order. */
  async addMany(notes: readonly ImportedNote[]): Promise<number[]> {
    return this.db.transaction(async (query) => {
      const ids: number[] = [];
      for (let start = 0; start < notes.length; start += 1_000) {
        const batch = notes.slice(start, start + 1_000);
        const [text, values] = bind(
          `WITH rows AS (${UNNEST_NOTES}),` +
            ' added AS (INSERT INTO notes (scope, article, paragraph, author_id, author_name, text, private, created_at)' +
            ' SELECT scope, article, paragraph, author_id, author_name, text, private, created_at FROM rows ORDER BY position RETURNING id),' +
            ' counted AS (INSERT INTO note_counts (scope, article, paragraph, public_notes) SELECT scope, article, paragraph, COUNT(*) FROM rows WHERE private = 0 GROUP BY scope, article, paragraph' +
            ' ON CONFLICT (scope, article, paragraph) DO UPDATE SET public_notes = note_counts.public_notes + excluded.public_notes)' +
            ' SELECT id FROM added ORDER BY id',
          {
            scopes: batch.map((note) => note.scope),
            articles: batch.map((note) => note.article),
            paragraphs: batch.map((note) => note.paragraph),
            authorIds: batch.map((note) => note.authorId),
            authorNames: batch.map((note) => note.authorName),
            texts: batch.map((note) => note.text),
            privates: batch.map((note) => (note.private ? 1 : 0)),
            times: batch.map((note) => note.createdAt),
          },
        );
        // Identity values follow the insert's order, so ascending ids are the notes in the order given.
        ids.push(...(await query<{ id: number }>(text, values)).rows.map((row) => row.id));
      }
      return ids;
    });
  }

  async get(scope: Scope, id: number): Promise<Note | undefined> {
    const [row] = await this.db.read<NoteRow>('SELECT * FROM notes WHERE scope = $1 AND id = $2', [scope, id]);
    return row && toNote(row);
  }

  async list(query: NoteQuery): Promise<{ notes: Note[]; total: number }> {
    const offset = query.offset ?? 0;
    checkPage(query.limit, offset);
    const parameters: Record<string, unknown> = { scope: query.scope, viewerId: query.viewerId, limit: query.limit, offset };
    if (query.article !== undefined) parameters.article = query.article;
    if (query.paragraph !== undefined) parameters.paragraph = query.paragraph;
    if (query.authorId !== undefined) parameters.authorId = query.authorId;
    const rows = await this.db.read<NoteRow & { total: number }>(...bind(listSql(query), parameters));
    // The lateral join gives one row of NULL note columns when the page is empty.
    return { notes: rows.filter((row) => row.id !== null).map(toNote), total: Number(rows[0]?.total ?? 0) };
  }

  async countByParagraph(scope: Scope, viewerId: string, article: string): Promise<Map<number, number>> {
    const rows = await this.db.read<{ paragraph: number; n: number }>(
      'SELECT paragraph, SUM(n) AS n FROM (' +
        'SELECT paragraph, public_notes AS n FROM note_counts WHERE scope = $1 AND article = $3 AND public_notes > 0' +
        ' UNION ALL SELECT paragraph, 1 AS n FROM notes WHERE author_id = $2 AND scope = $1 AND private = 1 AND article = $3' +
        ') AS counted GROUP BY paragraph ORDER BY paragraph',
      [scope, viewerId, article],
    );
    return new Map(rows.map((row) => [row.paragraph, row.n]));
  }

  async countByAuthorSince(authorId: string, since: number): Promise<number> {
    const [row] = await this.db.read<{ n: number }>('SELECT COUNT(*) AS n FROM notes WHERE author_id = $1 AND created_at >= $2', [authorId, since]);
    return row?.n ?? 0;
  }

  async delete(scope: Scope, id: number): Promise<boolean> {
    const result = await this.db.write<{ n: number }>(
      'WITH gone AS (DELETE FROM notes WHERE scope = $1 AND id = $2 RETURNING article, paragraph, private),' +
        ' uncounted AS (UPDATE note_counts SET public_notes = note_counts.public_notes - 1 FROM gone' +
        ' WHERE gone.private = 0 AND note_counts.scope = $1 AND note_counts.article = gone.article AND note_counts.paragraph = gone.paragraph)' +
        ' SELECT COUNT(*) AS n FROM gone',
      [scope, id],
    );
    return (result.rows[0]?.n ?? 0) === 1;
  }
}

// ---- open questions, counters, discussions ----------------------------------------


export class PostgresOpenQuestions implements OpenQuestionStore {
  constructor(private readonly db: PostgresDatabase) {}

  async add(question: NewOpenQuestion, now: number): Promise<OpenQuestion> {
    const result = await this.db.write<{ id: number }>(
      'INSERT INTO open_questions (scope, question, asker_id, asker_name, confidence, asked_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
      [question.scope, question.question, question.askerId, question.askerName, question.confidence, now],
    );
    const { scope, askerId, askerName, confidence } = question;
    return { id: (result.rows[0] as { id: number }).id, scope, question: question.question, askerId, askerName, confidence, askedAt: now };
  }

  async list(scope: Scope, limit: number, offset = 0): Promise<{ questions: OpenQuestion[]; total: number }> {
    checkPage(limit, offset);
    const rows = await this.db.read<OpenQuestionRow & { total: number }>(
      'SELECT t.total, q.* FROM (SELECT COUNT(*) FROM open_questions WHERE scope = $1) AS t (total) LEFT JOIN LATERAL' +
        ' (SELECT * FROM open_questions WHERE scope = $1 ORDER BY asked_at DESC, id DESC LIMIT $2 OFFSET $3) AS q ON true',
      [scope, limit, offset],
    );
    return {
      questions: rows
        .filter((row) => row.id !== null)
        .map((row) => ({
          id: row.id,
          scope: row.scope as Scope,
          question: row.question,
          askerId: row.asker_id,
          askerName: row.asker_name,
          confidence: row.confidence as OpenQuestion['confidence'],
          askedAt: row.asked_at,
        })),
      total: Number(rows[0]?.total ?? 0),
    };
  }

  async clear(scope: Scope): Promise<number> {
    return (await this.db.write('DELETE FROM open_questions WHERE scope = $1', [scope])).rowCount ?? 0;
  }
}

export class PostgresCounters implements CounterStore {
  constructor(private readonly db: PostgresDatabase) {}

  async get(scope: Scope, name: string): Promise<number> {
    const [row] = await this.db.read<{ value: number }>('SELECT value FROM counters WHERE scope = $1 AND name = $2', [scope, name]);
    return row?.value ?? 0;
  }

  async increment(scope: Scope, name: string, by = 1): Promise<number> {
    if (!Number.isSafeInteger(by)) throw new RangeError(`a counter moves by whole numbers, not ${by}`);
    // One statement: the row is locked from the read to the write, so concurrent increments all count.
    const result = await this.db.write<{ value: number }>(
      'INSERT INTO counters (scope, name, value) VALUES ($1, $2, $3) ON CONFLICT (scope, name) DO UPDATE SET value = counters.value + excluded.value RETURNING value',
      [scope, name, by],
    );
    return (result.rows[0] as { value: number }).value;
  }
}

interface DiscussionRow {
  scope: string;
  thread_id: string;
  article: string;
  paragraph: number;
  started_by: string;
  created_at: number;
}

export class PostgresDiscussions implements DiscussionStore {
  constructor(private readonly db: PostgresDatabase) {}

  async add(discussion: Omit<Discussion, 'createdAt'>, now: number): Promise<void> {
    await this.db.write(
      'INSERT INTO discussions (scope, thread_id, article, paragraph, started_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)' +
        ' ON CONFLICT (scope, thread_id) DO UPDATE SET article = excluded.article, paragraph = excluded.paragraph, started_by = excluded.started_by, created_at = excluded.created_at',
      [discussion.scope, discussion.threadId, discussion.article, discussion.paragraph, discussion.startedBy, now],
    );
  }

  async get(scope: Scope, threadId: string): Promise<Discussion | undefined> {
    const [row] = await this.db.read<DiscussionRow>('SELECT * FROM discussions WHERE scope = $1 AND thread_id = $2', [scope, threadId]);
    return row && { scope: row.scope as Scope, threadId: row.thread_id, article: row.article, paragraph: row.paragraph, startedBy: row.started_by, createdAt: row.created_at };
  }
}

// ---- reading plans -------------------------------------------------------------------



/** The claim a write names: only the holder of that very claim may complete or release it. */
const HOLDS_CLAIM = 'scope = @scope AND claim_part = @part AND claim_from = @from AND claim_to = @to AND claimed_at = @claimedAt';
const NO_CLAIM = 'claim_part = NULL, claim_from = NULL, claim_to = NULL, claim_due_at = NULL, claimed_at = NULL';

export class PostgresReadingPlans implements ReadingPlanStore {
  constructor(private readonly db: PostgresDatabase) {}

  private async change(sql: string, parameters: Record<string, unknown>): Promise<boolean> {
    return (await this.db.write(...bind(sql, parameters))).rowCount === 1;
  }

  async start(plan: NewReadingPlan, now: number): Promise<ReadingPlan | undefined> {
    // A finished plan is replaced; an active or paused one stays, and no row comes back.
    const result = await this.db.write<ReadingPlanRow>(
      ...bind(
        'INSERT INTO reading_plans (scope, channel_id, article, paragraphs_per_part, cadence, local_time, time_zone, weekday, started_by, started_by_name, status, paused_reason, next_paragraph, parts_posted, next_due_at, created_at)' +
          " VALUES (@scope, @channelId, @article, @paragraphsPerPart, @every, @at, @timeZone, @weekday, @startedBy, @startedByName, 'active', NULL, 1, 0, @nextDueAt, @now)" +
          ' ON CONFLICT (scope) DO UPDATE SET channel_id = excluded.channel_id, article = excluded.article, paragraphs_per_part = excluded.paragraphs_per_part,' +
          ' cadence = excluded.cadence, local_time = excluded.local_time, time_zone = excluded.time_zone, weekday = excluded.weekday, started_by = excluded.started_by,' +
          " started_by_name = excluded.started_by_name, status = 'active', paused_reason = NULL, next_paragraph = 1, parts_posted = 0, next_due_at = excluded.next_due_at," +
          ` ${NO_CLAIM}, created_at = excluded.created_at WHERE reading_plans.status = 'finished' RETURNING *`,
        {
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
        },
      ),
    );
    const [row] = result.rows;
    return row && toReadingPlan(row);
  }

  async get(scope: Scope): Promise<ReadingPlan | undefined> {
    const [row] = await this.db.read<ReadingPlanRow>('SELECT * FROM reading_plans WHERE scope = $1', [scope]);
    return row && toReadingPlan(row);
  }

  async due(now: number): Promise<ReadingPlan[]> {
    const rows = await this.db.read<ReadingPlanRow>(
      "SELECT * FROM reading_plans WHERE (status = 'active' AND next_due_at <= $1) OR claimed_at IS NOT NULL ORDER BY next_due_at, scope COLLATE \"C\"",
      [now],
    );
    return rows.map(toReadingPlan);
  }

  async nextDueAt(): Promise<number | undefined> {
    const [row] = await this.db.read<{ due: number | null }>(
      "SELECT LEAST((SELECT MIN(next_due_at) FROM reading_plans WHERE status = 'active'), (SELECT MIN(claimed_at) FROM reading_plans WHERE claimed_at IS NOT NULL)) AS due",
    );
    return row?.due ?? undefined;
  }

  async claim(scope: Scope, claim: ReadingClaim): Promise<boolean> {
    return this.change(
      'UPDATE reading_plans SET claim_part = @part, claim_from = @from, claim_to = @to, claim_due_at = @dueAt, claimed_at = @claimedAt' +
        " WHERE scope = @scope AND status = 'active' AND claimed_at IS NULL AND next_paragraph = @from AND next_due_at <= @claimedAt",
      { scope, part: claim.part, from: claim.from, to: claim.to, dueAt: claim.dueAt, claimedAt: claim.claimedAt },
    );
  }

  async complete(scope: Scope, claim: ReadingClaim, progress: ReadingProgress): Promise<boolean> {
    const { part, from, to, claimedAt } = claim;
    return this.change(
      'UPDATE reading_plans SET next_paragraph = @to + 1, parts_posted = CASE WHEN @partDone = 1 THEN @part ELSE parts_posted END, next_due_at = @nextDueAt,' +
        ` status = CASE WHEN @finished = 1 THEN 'finished' ELSE status END, ${NO_CLAIM} WHERE ${HOLDS_CLAIM}`,
      { scope, part, from, to, claimedAt, partDone: progress.partDone ? 1 : 0, finished: progress.finished ? 1 : 0, nextDueAt: progress.nextDueAt },
    );
  }

  async release(scope: Scope, claim: ReadingClaim, retryAt: number): Promise<boolean> {
    const { part, from, to, claimedAt } = claim;
    return this.change(`UPDATE reading_plans SET next_due_at = @retryAt, ${NO_CLAIM} WHERE ${HOLDS_CLAIM}`, { scope, part, from, to, claimedAt, retryAt });
  }

  async pause(scope: Scope, reason: string): Promise<boolean> {
    return this.change("UPDATE reading_plans SET status = 'paused', paused_reason = @reason WHERE scope = @scope AND status = 'active'", { scope, reason });
  }

  async resume(scope: Scope, nextDueAt: number): Promise<boolean> {
    return this.change("UPDATE reading_plans SET status = 'active', paused_reason = NULL, next_due_at = @nextDueAt WHERE scope = @scope AND status = 'paused'", { scope, nextDueAt });
  }

  async postNow(scope: Scope, now: number): Promise<boolean> {
    return this.change("UPDATE reading_plans SET next_due_at = LEAST(next_due_at, @now) WHERE scope = @scope AND status = 'active'", { scope, now });
  }

  async stop(scope: Scope): Promise<boolean> {
    return this.change('DELETE FROM reading_plans WHERE scope = @scope', { scope });
  }
}

// ---- quizzes ----------------------------------------------------------------------







const TALLY = 'SELECT COUNT(*) AS answered, COALESCE(SUM(correct), 0) AS correct FROM quiz_answers WHERE quiz_id = $1';

export class PostgresQuizzes implements QuizStore {
  constructor(private readonly db: PostgresDatabase) {}

  async create(quiz: NewQuiz, now: number): Promise<Quiz> {
    checkQuiz(quiz);
    const { scope, article, kind, paragraph, sentence, prompt, options, answer, startedBy } = quiz;
    const result = await this.db.write<{ id: number }>(
      'INSERT INTO quizzes (scope, article, kind, paragraph, sentence, prompt, options, answer, started_by, revealed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10) RETURNING id',
      [scope, article, kind, paragraph, sentence, prompt, JSON.stringify(options), answer, startedBy, now],
    );
    return { id: (result.rows[0] as { id: number }).id, scope, article, kind, paragraph, sentence, prompt, options: [...options], answer, startedBy, revealed: false, createdAt: now };
  }

  async get(scope: Scope, id: number): Promise<Quiz | undefined> {
    const [row] = await this.db.read<QuizRow>('SELECT * FROM quizzes WHERE scope = $1 AND id = $2', [scope, id]);
    return row && toQuiz(row);
  }

  /**
   * One transaction per click: the answer, the score and the tally agree, and
   * a crash keeps all or none. The quiz row is share-locked, so a reveal
   * waits for the clicks in flight and no click counts after it.
   */
  async answer(scope: Scope, quizId: number, who: { userId: string; displayName: string }, choice: number, now: number): Promise<QuizAnswerOutcome> {
    return this.db.transaction(async (query): Promise<QuizAnswerOutcome> => {
      const [row] = (await query<QuizRow>('SELECT * FROM quizzes WHERE scope = $1 AND id = $2 FOR SHARE', [scope, quizId])).rows;
      if (row === undefined) return { status: 'missing' };
      const quiz = toQuiz(row);
      if (quiz.revealed) return { status: 'revealed', quiz, tally: (await query<QuizTally>(TALLY, [quizId])).rows[0] as QuizTally };
      if (!Number.isSafeInteger(choice) || choice < 0 || choice >= quiz.options.length) throw new RangeError(`choice ${choice} is not one of the ${quiz.options.length} options`);
      const correct = choice === quiz.answer ? 1 : 0;
      // The first answer stands: a second click (here or on another worker) changes nothing.
      const inserted = await query(
        'INSERT INTO quiz_answers (quiz_id, user_id, scope, choice, correct, answered_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (quiz_id, user_id) DO NOTHING',
        [quizId, who.userId, scope, choice, correct, now],
      );
      const recorded = inserted.rowCount === 1;
      if (recorded) {
        await query(
          'INSERT INTO quiz_scores (scope, user_id, display_name, answered, correct) VALUES ($1, $2, $3, 1, $4)' +
            ' ON CONFLICT (scope, user_id) DO UPDATE SET display_name = excluded.display_name, answered = quiz_scores.answered + 1, correct = quiz_scores.correct + excluded.correct',
          [scope, who.userId, who.displayName, correct],
        );
      }
      // The answer that stands and the tally after it, in one read.
      const [stored] = (
        await query<QuizAnswerRow & { answered: number; right_answers: number }>(
          `SELECT a.*, t.answered, t.correct AS right_answers FROM quiz_answers AS a, (${TALLY}) AS t WHERE a.quiz_id = $1 AND a.user_id = $2`,
          [quizId, who.userId],
        )
      ).rows;
      if (stored === undefined) throw new Error(`the answer of ${who.userId} to quiz ${quizId} was not found after it was written`);
      const answer: QuizAnswer = { quizId: stored.quiz_id, userId: stored.user_id, choice: stored.choice, correct: stored.correct === 1, answeredAt: stored.answered_at };
      return { status: recorded ? 'recorded' : 'already', quiz, answer, tally: { answered: stored.answered, correct: stored.right_answers } };
    });
  }

  async tally(scope: Scope, quizId: number): Promise<QuizTally> {
    const [row] = await this.db.read<QuizTally>(
      'SELECT (SELECT COUNT(*) FROM quiz_answers WHERE quiz_id = q.id) AS answered, (SELECT COALESCE(SUM(correct), 0) FROM quiz_answers WHERE quiz_id = q.id) AS correct' +
        ' FROM quizzes AS q WHERE q.scope = $1 AND q.id = $2',
      [scope, quizId],
    );
    return row ?? { answered: 0, correct: 0 };
  }

  async reveal(scope: Scope, quizId: number): Promise<boolean> {
    return (await this.db.write('UPDATE quizzes SET revealed = 1 WHERE scope = $1 AND id = $2', [scope, quizId])).rowCount === 1;
  }

  async leaderboard(scope: Scope, limit: number): Promise<QuizScore[]> {
    checkPage(limit, 0);
    const rows = await this.db.read<QuizScoreRow>(
      'SELECT user_id, display_name, answered, correct FROM quiz_scores WHERE scope = $1 ORDER BY correct DESC, answered, user_id COLLATE "C" LIMIT $2',
      [scope, limit],
    );
    return rows.map(toQuizScore);
  }

  async standing(scope: Scope, userId: string): Promise<{ score: QuizScore; rank: number } | undefined> {
    // The score and how many are ahead of it, from one snapshot.
    const [row] = await this.db.read<QuizScoreRow & { ahead: number }>(
      'SELECT s.user_id, s.display_name, s.answered, s.correct,' +
        ' (SELECT COUNT(*) FROM quiz_scores AS o WHERE o.scope = s.scope AND (o.correct > s.correct OR (o.correct = s.correct AND o.answered < s.answered))) AS ahead' +
        ' FROM quiz_scores AS s WHERE s.scope = $1 AND s.user_id = $2',
      [scope, userId],
    );
    return row && { score: toQuizScore(row), rank: row.ahead + 1 };
  }

  async forget(scope: Scope, userId: string): Promise<number> {
    const result = await this.db.write<{ n: number }>(
      'WITH gone AS (DELETE FROM quiz_answers WHERE scope = $1 AND user_id = $2 RETURNING quiz_id), score AS (DELETE FROM quiz_scores WHERE scope = $1 AND user_id = $2)' +
        ' SELECT COUNT(*) AS n FROM gone',
      [scope, userId],
    );
    return result.rows[0]?.n ?? 0;
  }
}

// ---- rate limits and conversations --------------------------------------------------

export class PostgresRateLimits implements RateLimitStore {
  constructor(private readonly db: PostgresDatabase) {}

  async take(key: string, limit: number, windowMs: number, now: number): Promise<RateLimitVerdict> {
    checkRateLimit(limit, windowMs);
    return this.db.transaction(async (query) => {
      // Creates the row if missing and locks it either way until commit: a take by another worker waits here.
      const [row] = (
        await query<{ hits: string; warned: number }>(
          "INSERT INTO rate_limits (limit_key, hits, warned, expires_at) VALUES ($1, '[]', 0, 0) ON CONFLICT (limit_key) DO UPDATE SET limit_key = excluded.limit_key RETURNING hits, warned",
          [key],
        )
      ).rows;
      const step = takeFromWindow(row && windowFromRow(row.hits, row.warned), limit, windowMs, now);
      await query('UPDATE rate_limits SET hits = $2, warned = $3, expires_at = $4 WHERE limit_key = $1', [key, JSON.stringify(step.window.hits), step.window.warned ? 1 : 0, step.expiresAt]);
      return step.verdict;
    });
  }

  async prune(now: number): Promise<number> {
    return (await this.db.write('DELETE FROM rate_limits WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }
}

export class PostgresConversations implements ConversationStore {
  constructor(private readonly db: PostgresDatabase) {}

  async get(key: string, since: number): Promise<StoredConversation | undefined> {
    const [row] = await this.db.read<StoredConversation>('SELECT exchange AS data, at FROM conversations WHERE conversation_key = $1 AND at >= $2', [key, since]);
    return row && { data: row.data, at: row.at };
  }

  async put(key: string, conversation: StoredConversation): Promise<void> {
    await this.db.write(
      'INSERT INTO conversations (conversation_key, exchange, at) VALUES ($1, $2, $3)' +
        ' ON CONFLICT (conversation_key) DO UPDATE SET exchange = excluded.exchange, at = excluded.at WHERE conversations.at <= excluded.at',
      [key, conversation.data, conversation.at],
    );
  }

  async prune(before: number): Promise<number> {
    return (await this.db.write('DELETE FROM conversations WHERE at < $1', [before])).rowCount ?? 0;
  }
}
