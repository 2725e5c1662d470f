/**
 * Assignments: paragraphs to read by a time. Each member's "done" and "remind
 * me" are one row; the reminders of an assignment are claimed once (one
 * conditional update), so two processes never both send them.
 */
import type { Assignment, AssignmentStore, Member, NewAssignment, Scope } from '../types.ts';
import { checkPage, type SqlDriver } from './driver.ts';

interface AssignmentRow {
  id: number;
  scope: string;
  source: string;
  article: string;
  from_paragraph: number;
  to_paragraph: number;
  due_at: number;
  time_zone: string;
  channel_id: string;
  created_by: string;
  created_by_name: string;
  remind_at: number;
  reminded: number;
  created_at: number;
}

function toAssignment(row: AssignmentRow): Assignment {
  return {
    id: Number(row.id),
    scope: row.scope as Scope,
    source: row.source,
    article: row.article,
    from: row.from_paragraph,
    to: row.to_paragraph,
    dueAt: Number(row.due_at),
    timeZone: row.time_zone,
    channelId: row.channel_id,
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    remindAt: Number(row.remind_at),
    reminded: row.reminded === 1,
    createdAt: Number(row.created_at),
  };
}

/** A member's row, made on their first mark. */
const MEMBER_ROW =
  'INSERT INTO assignment_members (assignment_id, scope, user_id, display_name, done_at, wants_reminder) VALUES (@id, @scope, @userId, @displayName, NULL, 0)' +
  ' ON CONFLICT (assignment_id, user_id) DO UPDATE SET display_name = excluded.display_name';

export class SqlAssignments implements AssignmentStore {
  constructor(private readonly db: SqlDriver) {}

  async create(assignment: NewAssignment, now: number): Promise<Assignment> {
    const { scope, source, article, from, to, dueAt, timeZone, channelId, createdBy, createdByName, remindAt } = assignment;
    await this.db.run(
      'INSERT INTO assignments (scope, source, article, from_paragraph, to_paragraph, due_at, time_zone, channel_id, created_by, created_by_name, remind_at, reminded, created_at)' +
        ' VALUES (@scope, @source, @article, @from, @to, @dueAt, @timeZone, @channelId, @createdBy, @createdByName, @remindAt, @reminded, @now) ON CONFLICT (scope, source) DO NOTHING',
      // A reminder time already past when it is made is none: those who ask later would be told at once, after the fact.
      { scope, source, article, from, to, dueAt, timeZone, channelId, createdBy, createdByName, remindAt, reminded: remindAt <= now ? 1 : 0, now },
    );
    const row = await this.db.get<AssignmentRow>('SELECT * FROM assignments WHERE scope = @scope AND source = @source', { scope, source });
    if (row === undefined) throw new Error(`the assignment ${source} was not found after it was written`);
    return toAssignment(row);
  }

  async get(scope: Scope, id: number): Promise<Assignment | undefined> {
    const row = await this.db.get<AssignmentRow>('SELECT * FROM assignments WHERE scope = @scope AND id = @id', { scope, id });
    return row && toAssignment(row);
  }

  async list(scope: Scope, limit: number): Promise<Assignment[]> {
    checkPage(limit, 0);
    const rows = await this.db.all<AssignmentRow>('SELECT * FROM assignments WHERE scope = @scope ORDER BY id DESC LIMIT @limit', { scope, limit });
    return rows.map(toAssignment);
  }

  async toggleDone(scope: Scope, id: number, who: Member, now: number): Promise<{ done: boolean; count: number } | undefined> {
    return this.db.transaction(async (tx) => {
      if ((await tx.get('SELECT id FROM assignments WHERE scope = @scope AND id = @id', { scope, id })) === undefined) return undefined;
      await tx.run(MEMBER_ROW, { id, scope, userId: who.userId, displayName: who.displayName });
      await tx.run('UPDATE assignment_members SET done_at = CASE WHEN done_at IS NULL THEN CAST(@now AS BIGINT) ELSE NULL END WHERE assignment_id = @id AND user_id = @userId', { id, userId: who.userId, now });
      const mine = await tx.get<{ done_at: number | null }>('SELECT done_at FROM assignment_members WHERE assignment_id = @id AND user_id = @userId', { id, userId: who.userId });
      const row = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM assignment_members WHERE assignment_id = @id AND done_at IS NOT NULL', { id });
      return { done: mine?.done_at != null, count: Number(row?.n ?? 0) };
    });
  }

  async toggleReminder(scope: Scope, id: number, who: Member): Promise<boolean | undefined> {
    return this.db.transaction(async (tx) => {
      if ((await tx.get('SELECT id FROM assignments WHERE scope = @scope AND id = @id', { scope, id })) === undefined) return undefined;
      await tx.run(MEMBER_ROW, { id, scope, userId: who.userId, displayName: who.displayName });
      await tx.run('UPDATE assignment_members SET wants_reminder = 1 - wants_reminder WHERE assignment_id = @id AND user_id = @userId', { id, userId: who.userId });
      const row = await tx.get<{ wants_reminder: number }>('SELECT wants_reminder FROM assignment_members WHERE assignment_id = @id AND user_id = @userId', { id, userId: who.userId });
      return row?.wants_reminder === 1;
    });
  }

  async progress(scope: Scope, id: number, userId = ''): Promise<{ done: number; mine: boolean; remindMe: boolean }> {
    const row = await this.db.get<{ done: number; mine: number | null; remind: number | null }>(
      'SELECT (SELECT COUNT(*) FROM assignment_members WHERE assignment_id = @id AND scope = @scope AND done_at IS NOT NULL) AS done,' +
        ' (SELECT CASE WHEN done_at IS NULL THEN 0 ELSE 1 END FROM assignment_members WHERE assignment_id = @id AND user_id = @userId) AS mine,' +
        ' (SELECT wants_reminder FROM assignment_members WHERE assignment_id = @id AND user_id = @userId) AS remind',
      { scope, id, userId },
    );
    return { done: Number(row?.done ?? 0), mine: row?.mine === 1, remindMe: row?.remind === 1 };
  }

  async dueReminders(now: number, limit: number): Promise<Assignment[]> {
    checkPage(limit, 0);
    const rows = await this.db.all<AssignmentRow>('SELECT * FROM assignments WHERE reminded = 0 AND remind_at <= @now ORDER BY remind_at, id LIMIT @limit', { now, limit });
    return rows.map(toAssignment);
  }

  async nextReminderAt(): Promise<number | undefined> {
    const row = await this.db.get<{ next: number | null }>('SELECT MIN(remind_at) AS next FROM assignments WHERE reminded = 0');
    return row?.next == null ? undefined : Number(row.next);
  }

  async claimReminders(id: number): Promise<boolean> {
    return (await this.db.run('UPDATE assignments SET reminded = 1 WHERE id = @id AND reminded = 0', { id })) === 1;
  }

  async toRemind(id: number): Promise<string[]> {
    const rows = await this.db.all<{ user_id: string }>('SELECT user_id FROM assignment_members WHERE assignment_id = @id AND wants_reminder = 1 AND done_at IS NULL ORDER BY user_id', { id });
    return rows.map((row) => row.user_id);
  }
}
