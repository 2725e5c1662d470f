/**
 * Reading plans, one per scope. Every change is a single conditional write, so
 * two writers (a command and the runner, or two processes) cannot both win.
 */
import type { NewReadingPlan, ReadingCadence, ReadingClaim, ReadingPlan, ReadingPlanStatus, ReadingPlanStore, ReadingProgress, Scope } from '../types.ts';
import type { SqlDriver, SqlParameters } from './driver.ts';

interface ReadingPlanRow {
  scope: string;
  channel_id: string;
  article: string;
  paragraphs_per_part: number;
  cadence: string;
  local_time: string;
  time_zone: string;
  weekday: number;
  started_by: string;
  started_by_name: string;
  status: string;
  paused_reason: string | null;
  next_paragraph: number;
  parts_posted: number;
  next_due_at: number;
  claim_part: number | null;
  claim_from: number | null;
  claim_to: number | null;
  claim_due_at: number | null;
  claimed_at: number | null;
  created_at: number;
}

/** A plan's row; the claim on the message being posted is there only when all its columns are. */
function toReadingPlan(row: ReadingPlanRow): ReadingPlan {
  const { claim_part: part, claim_from: from, claim_to: to, claim_due_at: dueAt, claimed_at: claimedAt } = row;
  const claim = part !== null && from !== null && to !== null && dueAt !== null && claimedAt !== null ? { part, from, to, dueAt, claimedAt } : undefined;
  return {
    scope: row.scope as Scope,
    channelId: row.channel_id,
    article: row.article,
    paragraphsPerPart: row.paragraphs_per_part,
    every: row.cadence as ReadingCadence,
    at: row.local_time,
    timeZone: row.time_zone,
    weekday: row.weekday,
    startedBy: row.started_by,
    startedByName: row.started_by_name,
    status: row.status as ReadingPlanStatus,
    ...(row.paused_reason === null ? {} : { pausedReason: row.paused_reason }),
    nextParagraph: row.next_paragraph,
    partsPosted: row.parts_posted,
    nextDueAt: row.next_due_at,
    ...(claim ? { claim } : {}),
    createdAt: row.created_at,
  };
}

/** The claim a write names, as WHERE conditions: only the holder of that very claim may complete or release it. */
const HOLDS_CLAIM = 'scope = @scope AND claim_part = @part AND claim_from = @from AND claim_to = @to AND claimed_at = @claimedAt';
const NO_CLAIM = 'claim_part = NULL, claim_from = NULL, claim_to = NULL, claim_due_at = NULL, claimed_at = NULL';

export class SqlReadingPlans implements ReadingPlanStore {
  constructor(private readonly db: SqlDriver) {}

  private async change(sql: string, parameters: SqlParameters): Promise<boolean> {
    return (await this.db.run(sql, parameters)) === 1;
  }

  async start(plan: NewReadingPlan, now: number): Promise<ReadingPlan | undefined> {
    // A finished plan is replaced; an active or paused one stays, and no row comes back.
    const row = await this.db.get<ReadingPlanRow>(
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
    );
    return row && toReadingPlan(row);
  }

  async get(scope: Scope): Promise<ReadingPlan | undefined> {
    const row = await this.db.get<ReadingPlanRow>('SELECT * FROM reading_plans WHERE scope = @scope', { scope });
    return row && toReadingPlan(row);
  }

  async due(now: number): Promise<ReadingPlan[]> {
    const rows = await this.db.all<ReadingPlanRow>(
      'SELECT * FROM reading_plans WHERE (status = \'active\' AND next_due_at <= @now) OR claimed_at IS NOT NULL ORDER BY next_due_at, scope COLLATE "C"',
      { now },
    );
    return rows.map(toReadingPlan);
  }

  async nextDueAt(): Promise<number | undefined> {
    const row = await this.db.get<{ due: number | null }>(
      "SELECT MIN(due) AS due FROM (SELECT MIN(next_due_at) AS due FROM reading_plans WHERE status = 'active'" +
        ' UNION ALL SELECT MIN(claimed_at) AS due FROM reading_plans WHERE claimed_at IS NOT NULL) AS earliest',
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
    return this.change(
      "UPDATE reading_plans SET next_due_at = CASE WHEN next_due_at < @now THEN next_due_at ELSE @now END WHERE scope = @scope AND status = 'active'",
      { scope, now },
    );
  }

  async stop(scope: Scope): Promise<boolean> {
    return this.change('DELETE FROM reading_plans WHERE scope = @scope', { scope });
  }
}
