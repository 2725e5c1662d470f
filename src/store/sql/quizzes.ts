/**
 * Quizzes and their answers. Each member's first answer counts; it is written
 * with their score in one transaction, so a crash keeps both or neither.
 */
import type { NewQuiz, Quiz, QuizAnswer, QuizAnswerOutcome, QuizKind, QuizScore, QuizStore, QuizTally, Scope } from '../types.ts';
import { checkPage, type SqlDriver } from './driver.ts';

interface QuizRow {
  id: number;
  scope: string;
  article: string;
  kind: string;
  paragraph: number;
  sentence: string;
  prompt: string;
  options: string;
  answer: number;
  started_by: string;
  revealed: number;
  created_at: number;
}

interface QuizAnswerRow {
  quiz_id: number;
  user_id: string;
  choice: number;
  correct: number;
  answered_at: number;
}

interface QuizScoreRow {
  user_id: string;
  display_name: string;
  answered: number;
  correct: number;
}

function toQuiz(row: QuizRow): Quiz {
  return {
    id: row.id,
    scope: row.scope as Scope,
    article: row.article,
    kind: row.kind as QuizKind,
    paragraph: row.paragraph,
    sentence: row.sentence,
    prompt: row.prompt,
    options: JSON.parse(row.options) as string[],
    answer: row.answer,
    startedBy: row.started_by,
    revealed: row.revealed === 1,
    createdAt: row.created_at,
  };
}

function toQuizAnswer(row: QuizAnswerRow): QuizAnswer {
  return { quizId: row.quiz_id, userId: row.user_id, choice: row.choice, correct: row.correct === 1, answeredAt: row.answered_at };
}

function toQuizScore(row: QuizScoreRow): QuizScore {
  return { userId: row.user_id, displayName: row.display_name, answered: row.answered, correct: row.correct };
}

/** A quiz's answer index must name one of its options. */
function checkQuiz(quiz: Pick<Quiz, 'options' | 'answer'>): void {
  if (quiz.options.length < 2) throw new RangeError(`a quiz needs at least two options, not ${quiz.options.length}`);
  if (!Number.isSafeInteger(quiz.answer) || quiz.answer < 0 || quiz.answer >= quiz.options.length) throw new RangeError(`answer ${quiz.answer} is not one of the ${quiz.options.length} options`);
}

const TALLY = 'SELECT COUNT(*) AS answered, COALESCE(SUM(correct), 0) AS correct FROM quiz_answers WHERE quiz_id = @quizId';
/** Scores rank by right answers, then fewer answers; ties in byte order of the user id, whatever the database's locale. */
const RANKED = 'ORDER BY correct DESC, answered, user_id COLLATE "C"';

export class SqlQuizzes implements QuizStore {
  constructor(private readonly db: SqlDriver) {}

  async create(quiz: NewQuiz, now: number): Promise<Quiz> {
    checkQuiz(quiz);
    const { scope, article, kind, paragraph, sentence, prompt, options, answer, startedBy } = quiz;
    const row = await this.db.get<{ id: number }>(
      'INSERT INTO quizzes (scope, article, kind, paragraph, sentence, prompt, options, answer, started_by, revealed, created_at)' +
        ' VALUES (@scope, @article, @kind, @paragraph, @sentence, @prompt, @options, @answer, @startedBy, 0, @now) RETURNING id',
      { scope, article, kind, paragraph, sentence, prompt, options: JSON.stringify(options), answer, startedBy, now },
    );
    return { id: (row as { id: number }).id, scope, article, kind, paragraph, sentence, prompt, options: [...options], answer, startedBy, revealed: false, createdAt: now };
  }

  async get(scope: Scope, id: number): Promise<Quiz | undefined> {
    const row = await this.db.get<QuizRow>('SELECT * FROM quizzes WHERE scope = @scope AND id = @id', { scope, id });
    return row && toQuiz(row);
  }

  async recentSentences(scope: Scope, limit: number): Promise<string[]> {
    checkPage(limit, 0);
    const rows = await this.db.all<{ sentence: string }>('SELECT sentence FROM quizzes WHERE scope = @scope ORDER BY id DESC LIMIT @limit', { scope, limit });
    return rows.map((row) => row.sentence);
  }

  /**
   * One transaction per click: the answer, the score and the tally agree. The
   * quiz row is read FOR SHARE (Postgres; SQLite's write lock covers it), so a
   * reveal waits for the clicks in flight and no click counts after it.
   */
  async answer(scope: Scope, quizId: number, who: { userId: string; displayName: string }, choice: number, now: number): Promise<QuizAnswerOutcome> {
    return this.db.transaction(async (tx): Promise<QuizAnswerOutcome> => {
      const row = await tx.get<QuizRow>('SELECT * FROM quizzes WHERE scope = @scope AND id = @quizId FOR SHARE', { scope, quizId });
      if (row === undefined) return { status: 'missing' };
      const quiz = toQuiz(row);
      if (quiz.revealed) return { status: 'revealed', quiz, tally: (await tx.get<QuizTally>(TALLY, { quizId })) as QuizTally };
      if (!Number.isSafeInteger(choice) || choice < 0 || choice >= quiz.options.length) throw new RangeError(`choice ${choice} is not one of the ${quiz.options.length} options`);
      const correct = choice === quiz.answer ? 1 : 0;
      // The first answer stands: a second click (here or in another process) changes nothing.
      const recorded =
        (await tx.run(
          'INSERT INTO quiz_answers (quiz_id, user_id, scope, choice, correct, answered_at) VALUES (@quizId, @userId, @scope, @choice, @correct, @now) ON CONFLICT (quiz_id, user_id) DO NOTHING',
          { quizId, userId: who.userId, scope, choice, correct, now },
        )) === 1;
      if (recorded) {
        await tx.run(
          'INSERT INTO quiz_scores (scope, user_id, display_name, answered, correct) VALUES (@scope, @userId, @displayName, 1, @correct)' +
            ' ON CONFLICT (scope, user_id) DO UPDATE SET display_name = excluded.display_name, answered = quiz_scores.answered + 1, correct = quiz_scores.correct + excluded.correct',
          { scope, userId: who.userId, displayName: who.displayName, correct },
        );
      }
      const stored = await tx.get<QuizAnswerRow>('SELECT * FROM quiz_answers WHERE quiz_id = @quizId AND user_id = @userId', { quizId, userId: who.userId });
      if (stored === undefined) throw new Error(`the answer of ${who.userId} to quiz ${quizId} was not found after it was written`);
      return { status: recorded ? 'recorded' : 'already', quiz, answer: toQuizAnswer(stored), tally: (await tx.get<QuizTally>(TALLY, { quizId })) as QuizTally };
    });
  }

  async tally(scope: Scope, quizId: number): Promise<QuizTally> {
    const row = await this.db.get<QuizTally>(
      'SELECT (SELECT COUNT(*) FROM quiz_answers WHERE quiz_id = q.id) AS answered, (SELECT COALESCE(SUM(correct), 0) FROM quiz_answers WHERE quiz_id = q.id) AS correct' +
        ' FROM quizzes AS q WHERE q.scope = @scope AND q.id = @quizId',
      { scope, quizId },
    );
    return row ?? { answered: 0, correct: 0 };
  }

  async reveal(scope: Scope, quizId: number): Promise<boolean> {
    return (await this.db.run('UPDATE quizzes SET revealed = 1 WHERE scope = @scope AND id = @quizId', { scope, quizId })) === 1;
  }

  async leaderboard(scope: Scope, limit: number): Promise<QuizScore[]> {
    checkPage(limit, 0);
    const rows = await this.db.all<QuizScoreRow>(
      `SELECT user_id, display_name, answered, correct FROM quiz_scores INDEXED BY quiz_scores_by_rank WHERE scope = @scope ${RANKED} LIMIT @limit`,
      { scope, limit },
    );
    return rows.map(toQuizScore);
  }

  async standing(scope: Scope, userId: string): Promise<{ score: QuizScore; rank: number } | undefined> {
    // The score and how many are ahead of it, from one snapshot.
    const row = await this.db.get<QuizScoreRow & { ahead: number }>(
      'SELECT s.user_id, s.display_name, s.answered, s.correct,' +
        ' (SELECT COUNT(*) FROM quiz_scores AS o INDEXED BY quiz_scores_by_rank WHERE o.scope = s.scope AND (o.correct > s.correct OR (o.correct = s.correct AND o.answered < s.answered))) AS ahead' +
        ' FROM quiz_scores AS s WHERE s.scope = @scope AND s.user_id = @userId',
      { scope, userId },
    );
    return row && { score: toQuizScore(row), rank: row.ahead + 1 };
  }

  async forget(scope: Scope, userId: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const forgotten = await tx.run('DELETE FROM quiz_answers WHERE scope = @scope AND user_id = @userId', { scope, userId });
      await tx.run('DELETE FROM quiz_scores WHERE scope = @scope AND user_id = @userId', { scope, userId });
      return forgotten;
    });
  }
}
