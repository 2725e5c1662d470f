/**
 * Review decks: cards per person and scope, their grades, and each person's
 * daily reminder. A grade is one conditional update on the card's reps with
 * its log line in the same transaction; a reminder is claimed by moving its
 * time from the value read, so exactly one caller sends it.
 */
import type { NewReviewCard, ReviewCard, ReviewCardKind, ReviewGrade, ReviewLogEntry, ReviewReminder, ReviewStore, Scope } from '../types.ts';
import { checkPage, type SqlDriver } from './driver.ts';

interface CardRow {
  id: number;
  scope: string;
  user_id: string;
  kind: string;
  source_key: string;
  article: string;
  paragraph: number;
  front: string;
  back: string;
  sentence: string;
  schedule: string;
  due_at: number;
  reps: number;
  created_at: number;
}

interface ReminderRow {
  user_id: string;
  at_time: string;
  time_zone: string;
  next_at: number;
  status: string;
  stopped_reason: string | null;
  last_sent_at: number | null;
}

function toCard(row: CardRow): ReviewCard {
  return {
    id: Number(row.id),
    scope: row.scope as Scope,
    userId: row.user_id,
    kind: row.kind as ReviewCardKind,
    sourceKey: row.source_key,
    article: row.article,
    paragraph: row.paragraph,
    front: row.front,
    back: row.back,
    sentence: row.sentence,
    schedule: row.schedule,
    dueAt: Number(row.due_at),
    reps: row.reps,
    createdAt: Number(row.created_at),
  };
}

function toReminder(row: ReminderRow): ReviewReminder {
  return {
    userId: row.user_id,
    at: row.at_time,
    timeZone: row.time_zone,
    nextAt: Number(row.next_at),
    status: row.status === 'stopped' ? 'stopped' : 'active',
    ...(row.stopped_reason === null ? {} : { stoppedReason: row.stopped_reason }),
    ...(row.last_sent_at === null ? {} : { lastSentAt: Number(row.last_sent_at) }),
  };
}

const DECK = 'scope = @scope AND user_id = @userId';

export class SqlReviews implements ReviewStore {
  constructor(private readonly db: SqlDriver) {}

  async add(cards: readonly NewReviewCard[], maxCards: number, now: number): Promise<{ added: ReviewCard[]; already: number; full: boolean }> {
    const added: ReviewCard[] = [];
    let already = 0;
    let full = false;
    await this.db.transaction(async (tx) => {
      const counts = new Map<string, number>();
      for (const card of cards) {
        const deck = `${card.scope}\u0000${card.userId}`;
        let count = counts.get(deck);
        if (count === undefined) {
          count = Number((await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM review_cards WHERE ${DECK}`, { scope: card.scope, userId: card.userId }))?.n ?? 0);
        }
        if (count >= maxCards) {
          full = true;
          continue;
        }
        const row = await tx.get<{ id: number }>(
          'INSERT INTO review_cards (scope, user_id, kind, source_key, article, paragraph, front, back, sentence, schedule, due_at, reps, created_at)' +
            ' VALUES (@scope, @userId, @kind, @sourceKey, @article, @paragraph, @front, @back, @sentence, @schedule, @dueAt, @reps, @now)' +
            ' ON CONFLICT (scope, user_id, source_key) DO NOTHING RETURNING id',
          { ...card, now },
        );
        if (row === undefined) {
          already += 1;
        } else {
          added.push({ ...card, id: Number(row.id), createdAt: now });
          count += 1;
        }
        counts.set(deck, count);
      }
    });
    return { added, already, full };
  }

  async get(scope: Scope, userId: string, id: number): Promise<ReviewCard | undefined> {
    const row = await this.db.get<CardRow>(`SELECT * FROM review_cards WHERE ${DECK} AND id = @id`, { scope, userId, id });
    return row && toCard(row);
  }

  async nextDue(scope: Scope, userId: string, now: number): Promise<ReviewCard | undefined> {
    const row = await this.db.get<CardRow>(`SELECT * FROM review_cards INDEXED BY review_cards_by_due WHERE ${DECK} AND due_at <= @now ORDER BY due_at, id LIMIT 1`, { scope, userId, now });
    return row && toCard(row);
  }

  async deckSummary(scope: Scope, userId: string, now: number): Promise<{ cards: number; due: number; nextDueAt?: number }> {
    const row = await this.db.get<{ cards: number; due: number | null; next: number | null }>(
      `SELECT COUNT(*) AS cards, SUM(CASE WHEN due_at <= @now THEN 1 ELSE 0 END) AS due, MIN(CASE WHEN due_at > @now THEN due_at END) AS next FROM review_cards WHERE ${DECK}`,
      { scope, userId, now },
    );
    return { cards: Number(row?.cards ?? 0), due: Number(row?.due ?? 0), ...(row?.next == null ? {} : { nextDueAt: Number(row.next) }) };
  }

  async dueByScope(userId: string, now: number): Promise<Map<Scope, number>> {
    const rows = await this.db.all<{ scope: string; due: number }>(
      'SELECT scope, COUNT(*) AS due FROM review_cards INDEXED BY review_cards_by_user_due WHERE user_id = @userId AND due_at <= @now GROUP BY scope ORDER BY scope',
      { userId, now },
    );
    return new Map(rows.map((row) => [row.scope as Scope, Number(row.due)]));
  }

  async grade(scope: Scope, userId: string, id: number, grade: ReviewGrade): Promise<ReviewCard | undefined> {
    return this.db.transaction(async (tx) => {
      const changed = await tx.run(`UPDATE review_cards SET schedule = @schedule, due_at = @dueAt, reps = reps + 1 WHERE ${DECK} AND id = @id AND reps = @expectedReps`, {
        scope,
        userId,
        id,
        schedule: grade.schedule,
        dueAt: grade.dueAt,
        expectedReps: grade.expectedReps,
      });
      if (changed !== 1) return undefined;
      await tx.run('INSERT INTO review_log (card_id, scope, user_id, rating, state, reviewed_at) VALUES (@id, @scope, @userId, @rating, @state, @now)', {
        id,
        scope,
        userId,
        rating: grade.rating,
        state: grade.state,
        now: grade.now,
      });
      const row = await tx.get<CardRow>(`SELECT * FROM review_cards WHERE ${DECK} AND id = @id`, { scope, userId, id });
      return row && toCard(row);
    });
  }

  async log(scope: Scope, userId: string, since: number): Promise<ReviewLogEntry[]> {
    const rows = await this.db.all<{ card_id: number; rating: number; state: number; reviewed_at: number }>(
      `SELECT card_id, rating, state, reviewed_at FROM review_log WHERE ${DECK} AND reviewed_at >= @since ORDER BY reviewed_at, id`,
      { scope, userId, since },
    );
    return rows.map((row) => ({ cardId: Number(row.card_id), rating: row.rating, state: row.state, reviewedAt: Number(row.reviewed_at) }));
  }

  async cards(scope: Scope, userId: string, limit: number, offset: number): Promise<ReviewCard[]> {
    checkPage(limit, offset);
    const rows = await this.db.all<CardRow>(`SELECT * FROM review_cards WHERE ${DECK} ORDER BY id LIMIT @limit OFFSET @offset`, { scope, userId, limit, offset });
    return rows.map(toCard);
  }

  async forget(scope: Scope, userId: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.run(`DELETE FROM review_log WHERE ${DECK}`, { scope, userId });
      return tx.run(`DELETE FROM review_cards WHERE ${DECK}`, { scope, userId });
    });
  }

  async setReminder({ userId, at, timeZone, nextAt }: Omit<ReviewReminder, 'status' | 'stoppedReason' | 'lastSentAt'>): Promise<void> {
    await this.db.run(
      "INSERT INTO review_reminders (user_id, at_time, time_zone, next_at, status) VALUES (@userId, @at, @timeZone, @nextAt, 'active')" +
        " ON CONFLICT (user_id) DO UPDATE SET at_time = excluded.at_time, time_zone = excluded.time_zone, next_at = excluded.next_at, status = 'active', stopped_reason = NULL",
      { userId, at, timeZone, nextAt },
    );
  }

  async getReminder(userId: string): Promise<ReviewReminder | undefined> {
    const row = await this.db.get<ReminderRow>('SELECT * FROM review_reminders WHERE user_id = @userId', { userId });
    return row && toReminder(row);
  }

  async removeReminder(userId: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM review_reminders WHERE user_id = @userId', { userId })) === 1;
  }

  async dueReminders(now: number, limit: number): Promise<ReviewReminder[]> {
    checkPage(limit, 0);
    const rows = await this.db.all<ReminderRow>(
      "SELECT * FROM review_reminders INDEXED BY review_reminders_by_time WHERE status = 'active' AND next_at <= @now ORDER BY next_at, user_id LIMIT @limit",
      { now, limit },
    );
    return rows.map(toReminder);
  }

  async nextReminderAt(): Promise<number | undefined> {
    const row = await this.db.get<{ next: number | null }>("SELECT MIN(next_at) AS next FROM review_reminders WHERE status = 'active'");
    return row?.next == null ? undefined : Number(row.next);
  }

  async claimReminder(userId: string, nextAt: number, to: number, sent: boolean): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE review_reminders SET next_at = @to${sent ? ', last_sent_at = @nextAt' : ''} WHERE user_id = @userId AND status = 'active' AND next_at = @nextAt`,
      { userId, nextAt, to },
    );
    return changed === 1;
  }

  async stopReminder(userId: string, reason: string): Promise<void> {
    await this.db.run("UPDATE review_reminders SET status = 'stopped', stopped_reason = @reason WHERE user_id = @userId AND status = 'active'", { userId, reason });
  }

  async clearStoppedReason(userId: string): Promise<void> {
    await this.db.run('UPDATE review_reminders SET stopped_reason = NULL WHERE user_id = @userId', { userId });
  }
}
