/** Leases: a role held by one process at a time, taken over when its holder stops renewing it. */
import type { LeaseStore } from '../types.ts';
import type { SqlDriver } from './driver.ts';

export class SqlLeases implements LeaseStore {
  constructor(private readonly db: SqlDriver) {}

  async acquire(name: string, holder: string, now: number, expiresAt: number, replacing = ''): Promise<boolean> {
    // One statement: the row is written only when it is free, expired, this holder's already, or the dead holder's named.
    const row = await this.db.get<{ holder: string }>(
      'INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expiresAt)' +
        ' ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at' +
        ' WHERE leases.holder = excluded.holder OR leases.expires_at < @now OR leases.holder = @replacing RETURNING holder',
      { name, holder, now, expiresAt, replacing },
    );
    return row?.holder === holder;
  }

  async holderOf(name: string): Promise<string | undefined> {
    return (await this.db.get<{ holder: string }>('SELECT holder FROM leases WHERE name = @name', { name }))?.holder;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.db.run('DELETE FROM leases WHERE name = @name AND holder = @holder', { name, holder });
  }
}
