/** Questions a group asked that the text did not answer (or answered with low confidence), newest first. */
import type { NewOpenQuestion, OpenQuestion, OpenQuestionStore, Scope } from '../types.ts';
import { checkPage, type SqlDriver } from './driver.ts';

interface OpenQuestionRow {
  id: number;
  scope: string;
  question: string;
  asker_id: string;
  asker_name: string;
  confidence: string;
  asked_at: number;
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

export class SqlOpenQuestions implements OpenQuestionStore {
  constructor(private readonly db: SqlDriver) {}

  async add(question: NewOpenQuestion, now: number, keep?: { max: number; since: number }): Promise<OpenQuestion> {
    const row = await this.db.get<{ id: number }>(
      'INSERT INTO open_questions (scope, question, asker_id, asker_name, confidence, asked_at) VALUES (@scope, @question, @askerId, @askerName, @confidence, @now) RETURNING id',
      { ...question, now },
    );
    if (keep) {
      // Housekeeping after the insert, along the (scope, asked_at) index (whose entries carry the id): older than
      // `since`, or at or before the (max + 1)-th newest. One statement; the question just added is never one of them.
      await this.db.run(
        'DELETE FROM open_questions WHERE scope = @scope AND (asked_at < @since OR (asked_at, id) <=' +
          ' (SELECT asked_at, id FROM open_questions WHERE scope = @scope ORDER BY asked_at DESC, id DESC LIMIT 1 OFFSET @max))',
        { scope: question.scope, since: keep.since, max: keep.max },
      );
    }
    const { scope, askerId, askerName, confidence } = question;
    return { id: (row as { id: number }).id, scope, question: question.question, askerId, askerName, confidence, askedAt: now };
  }

  async list(scope: Scope, limit: number, offset = 0): Promise<{ questions: OpenQuestion[]; total: number }> {
    checkPage(limit, offset);
    // The page and its total from one snapshot; an empty page still carries the total.
    const rows = await this.db.all<OpenQuestionRow & { total: number }>(
      'SELECT t.total, q.* FROM (SELECT COUNT(*) AS total FROM open_questions WHERE scope = @scope) AS t LEFT JOIN' +
        ' (SELECT * FROM open_questions WHERE scope = @scope ORDER BY asked_at DESC, id DESC LIMIT @limit OFFSET @offset) AS q ON 1 = 1 ORDER BY q.asked_at DESC, q.id DESC',
      { scope, limit, offset },
    );
    return { questions: rows.filter((row) => row.id !== null).map(toOpenQuestion), total: Number(rows[0]?.total ?? 0) };
  }

  async clear(scope: Scope): Promise<number> {
    return this.db.run('DELETE FROM open_questions WHERE scope = @scope', { scope });
  }

  async forgetAsker(scope: Scope, askerId: string): Promise<number> {
    return this.db.run('DELETE FROM open_questions WHERE scope = @scope AND asker_id = @askerId', { scope, askerId });
  }
}
