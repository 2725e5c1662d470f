/**
 * What a scope's reading adds up to, for the organizer's report: answers per
 * paragraph (counted in this process and written in one transaction every few
 * seconds, each write adding to what other processes wrote), and per-paragraph
 * and per-member figures read from the other record kinds.
 */
import type { ActivityStore, MemberFigures, ParagraphFigures, Scope } from '../types.ts';
import type { SqlDriver } from './driver.ts';

/** Buffered answers are written this soon after the first of them. */
const FLUSH_AFTER_MS = 5_000;

interface Counts {
  scope: string;
  article: string;
  paragraph: number;
  answered: number;
  low: number;
}

const ADD_ANSWERS =
  'INSERT INTO paragraph_answers (scope, article, paragraph, answered, low) VALUES (@scope, @article, @paragraph, @answered, @low)' +
  ' ON CONFLICT (scope, article, paragraph) DO UPDATE SET answered = paragraph_answers.answered + excluded.answered, low = paragraph_answers.low + excluded.low';

export class SqlActivity implements ActivityStore {
  private buffer = new Map<string, Counts>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly db: SqlDriver) {}

  recordAnswer(scope: Scope, article: string, paragraph: number, confidence: 'high' | 'low'): void {
    const key = JSON.stringify([scope, article, paragraph]);
    const counts = this.buffer.get(key) ?? { scope, article, paragraph, answered: 0, low: 0 };
    if (confidence === 'high') counts.answered += 1;
    else counts.low += 1;
    this.buffer.set(key, counts);
    if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush().catch(() => undefined), FLUSH_AFTER_MS);
      this.timer.unref();
    }
  }

  /** Writes the buffered answers; counts that could not be written are kept for the next flush. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const taken = [...this.buffer.values()];
    this.buffer = new Map();
    const write = async () => {
      if (taken.length === 0) return;
      try {
        await this.db.transaction(async (tx) => {
          for (const counts of taken) await tx.run(ADD_ANSWERS, { ...counts });
        });
      } catch (error) {
        for (const counts of taken) {
          const key = JSON.stringify([counts.scope, counts.article, counts.paragraph]);
          const kept = this.buffer.get(key) ?? { ...counts, answered: 0, low: 0 };
          kept.answered += counts.answered;
          kept.low += counts.low;
          this.buffer.set(key, kept);
        }
        throw error;
      }
    };
    // One flush at a time, in order.
    this.flushing = this.flushing.catch(() => undefined).then(write);
    return this.flushing;
  }

  async paragraphs(scope: Scope, article: string): Promise<ParagraphFigures[]> {
    await this.flush().catch(() => undefined);
    const where = { scope, article };
    const [answers, quizzes, notes, helpful, flags] = await Promise.all([
      this.db.all<{ paragraph: number; answered: number; low: number }>('SELECT paragraph, answered, low FROM paragraph_answers WHERE scope = @scope AND article = @article', where),
      this.db.all<{ paragraph: number; answers: number; misses: number }>(
        'SELECT q.paragraph AS paragraph, COUNT(*) AS answers, SUM(1 - a.correct) AS misses FROM quizzes AS q JOIN quiz_answers AS a ON a.quiz_id = q.id' +
          ' WHERE q.scope = @scope AND q.article = @article GROUP BY q.paragraph',
        where,
      ),
      this.db.all<{ paragraph: number; n: number }>('SELECT paragraph, public_notes AS n FROM note_counts WHERE scope = @scope AND article = @article AND public_notes > 0', where),
      this.db.all<{ paragraph: number; n: number }>(
        'SELECT n.paragraph AS paragraph, COUNT(*) AS n FROM note_votes AS v JOIN notes AS n ON n.id = v.note_id WHERE n.scope = @scope AND n.article = @article AND n.private = 0 GROUP BY n.paragraph',
        where,
      ),
      this.db.all<{ paragraph: number; n: number }>('SELECT paragraph, COUNT(*) AS n FROM confusion_flags WHERE scope = @scope AND article = @article GROUP BY paragraph', where),
    ]);
    const figures = new Map<number, ParagraphFigures>();
    const at = (paragraph: number): ParagraphFigures => {
      const number = Number(paragraph);
      let found = figures.get(number);
      if (!found) figures.set(number, (found = { paragraph: number, answered: 0, low: 0, quizAnswers: 0, quizMisses: 0, notes: 0, helpful: 0, confusing: 0 }));
      return found;
    };
    for (const row of answers) Object.assign(at(row.paragraph), { answered: Number(row.answered), low: Number(row.low) });
    for (const row of quizzes) Object.assign(at(row.paragraph), { quizAnswers: Number(row.answers), quizMisses: Number(row.misses) });
    for (const row of notes) at(row.paragraph).notes = Number(row.n);
    for (const row of helpful) at(row.paragraph).helpful = Number(row.n);
    for (const row of flags) at(row.paragraph).confusing = Number(row.n);
    return [...figures.values()].sort((a, b) => a.paragraph - b.paragraph);
  }

  async members(scope: Scope, userId?: string): Promise<MemberFigures[]> {
    // One member's figures read only that member's rows.
    const only = (column: string) => (userId === undefined ? '' : ` AND ${column} = @userId`);
    const count = (sql: string) => this.db.all<{ user_id: string; name: string; n: number }>(sql, { scope, ...(userId === undefined ? {} : { userId }) });
    const [notes, quizzes, votes, flags, done] = await Promise.all([
      count(`SELECT author_id AS user_id, MAX(author_name) AS name, COUNT(*) AS n FROM notes WHERE scope = @scope AND private = 0${only('author_id')} GROUP BY author_id`),
      count(`SELECT user_id, display_name AS name, answered AS n FROM quiz_scores WHERE scope = @scope${only('user_id')}`),
      count(`SELECT user_id, MAX(display_name) AS name, COUNT(*) AS n FROM note_votes WHERE scope = @scope${only('user_id')} GROUP BY user_id`),
      count(`SELECT user_id, MAX(display_name) AS name, COUNT(*) AS n FROM confusion_flags WHERE scope = @scope${only('user_id')} GROUP BY user_id`),
      count(`SELECT user_id, MAX(display_name) AS name, COUNT(*) AS n FROM assignment_members WHERE scope = @scope AND done_at IS NOT NULL${only('user_id')} GROUP BY user_id`),
    ]);
    const members = new Map<string, MemberFigures>();
    const add = (rows: { user_id: string; name: string; n: number }[], field: 'notes' | 'quizAnswers' | 'votes' | 'flags' | 'done') => {
      for (const row of rows) {
        const member = members.get(row.user_id) ?? { userId: row.user_id, displayName: row.name, notes: 0, quizAnswers: 0, votes: 0, flags: 0, done: 0 };
        member[field] = Number(row.n);
        members.set(row.user_id, member);
      }
    };
    add(notes, 'notes');
    add(quizzes, 'quizAnswers');
    add(votes, 'votes');
    add(flags, 'flags');
    add(done, 'done');
    const total = (member: MemberFigures) => member.notes + member.quizAnswers + member.votes + member.flags + member.done;
    return [...members.values()].sort((a, b) => total(b) - total(a) || a.displayName.localeCompare(b.displayName));
  }

  async forget(scope: Scope, userId: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const where = { scope, userId };
      return (
        (await tx.run('DELETE FROM note_votes WHERE scope = @scope AND user_id = @userId', where)) +
        (await tx.run('DELETE FROM confusion_flags WHERE scope = @scope AND user_id = @userId', where)) +
        (await tx.run('DELETE FROM assignment_members WHERE scope = @scope AND user_id = @userId', where))
      );
    });
  }
}
