/** Named integers per scope: small features (and tests) keep tallies here without a migration of their own. */
import type { CounterStore, Scope } from '../types.ts';
import type { SqlDriver } from './driver.ts';

export class SqlCounters implements CounterStore {
  constructor(private readonly db: SqlDriver) {}

  async get(scope: Scope, name: string): Promise<number> {
    const row = await this.db.get<{ value: number }>('SELECT value FROM counters WHERE scope = @scope AND name = @name', { scope, name });
    return row?.value ?? 0;
  }

  async increment(scope: Scope, name: string, by = 1): Promise<number> {
    if (!Number.isSafeInteger(by)) throw new RangeError(`a counter moves by whole numbers, not ${by}`);
    // One statement: the read and the write cannot be split by another writer.
    const row = await this.db.get<{ value: number }>(
      'INSERT INTO counters (scope, name, value) VALUES (@scope, @name, @by) ON CONFLICT (scope, name) DO UPDATE SET value = counters.value + excluded.value RETURNING value',
      { scope, name, by },
    );
    return (row as { value: number }).value;
  }
}
