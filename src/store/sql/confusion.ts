/** "This confused me" flags: one per member per paragraph, a second press withdraws it. */
import type { ConfusionStore, Member, Scope } from '../types.ts';
import type { SqlDriver } from './driver.ts';

export class SqlConfusion implements ConfusionStore {
  constructor(private readonly db: SqlDriver) {}

  async toggle(scope: Scope, article: string, paragraph: number, who: Member, now: number): Promise<{ flagged: boolean; count: number }> {
    return this.db.transaction(async (tx) => {
      const where = { scope, article, paragraph };
      const withdrawn =
        (await tx.run('DELETE FROM confusion_flags WHERE scope = @scope AND article = @article AND paragraph = @paragraph AND user_id = @userId', { ...where, userId: who.userId })) === 1;
      if (!withdrawn) {
        await tx.run(
          'INSERT INTO confusion_flags (scope, article, paragraph, user_id, display_name, created_at) VALUES (@scope, @article, @paragraph, @userId, @displayName, @now)' +
            ' ON CONFLICT (scope, article, paragraph, user_id) DO NOTHING',
          { ...where, userId: who.userId, displayName: who.displayName, now },
        );
      }
      const row = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM confusion_flags WHERE scope = @scope AND article = @article AND paragraph = @paragraph', where);
      return { flagged: !withdrawn, count: Number(row?.n ?? 0) };
    });
  }

  async counts(scope: Scope, article: string): Promise<Map<number, number>> {
    const rows = await this.db.all<{ paragraph: number; n: number }>(
      'SELECT paragraph, COUNT(*) AS n FROM confusion_flags WHERE scope = @scope AND article = @article GROUP BY paragraph ORDER BY paragraph',
      { scope, article },
    );
    return new Map(rows.map((row) => [Number(row.paragraph), Number(row.n)]));
  }
}
