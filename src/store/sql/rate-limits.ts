/** Sliding-window limits kept in the database, so every process that shares it enforces one limit. */
import { checkRateLimit, takeFromWindow, windowFromRow } from '../rate-window.ts';
import type { RateLimitStore, RateLimitVerdict } from '../types.ts';
import type { SqlDriver } from './driver.ts';

export class SqlRateLimits implements RateLimitStore {
  constructor(private readonly db: SqlDriver) {}

  async take(key: string, limit: number, windowMs: number, now: number): Promise<RateLimitVerdict> {
    checkRateLimit(limit, windowMs);
    return this.db.transaction(async (tx) => {
      // Creates the row if missing and holds it until commit either way (SQLite's write lock; Postgres's row lock):
      // a take by another process waits here, so two cannot both get a key's last request.
      const row = await tx.get<{ hits: string; warned: number }>(
        "INSERT INTO rate_limits (limit_key, hits, warned, expires_at) VALUES (@key, '[]', 0, 0) ON CONFLICT (limit_key) DO UPDATE SET limit_key = excluded.limit_key RETURNING hits, warned",
        { key },
      );
      const step = takeFromWindow(row && windowFromRow(row.hits, row.warned), limit, windowMs, now);
      await tx.run('UPDATE rate_limits SET hits = @hits, warned = @warned, expires_at = @expiresAt WHERE limit_key = @key', {
        key,
        hits: JSON.stringify(step.window.hits),
        warned: step.window.warned ? 1 : 0,
        expiresAt: step.expiresAt,
      });
      return step.verdict;
    });
  }

  async prune(now: number): Promise<number> {
    return this.db.run('DELETE FROM rate_limits WHERE expires_at <= @now', { now });
  }
}
