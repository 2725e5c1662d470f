/**
 * Chooses the store from configuration: a postgres:// URL means the shared
 * Postgres store, otherwise SQLite in the data folder; `:memory:` keeps nothing.
 */
import type { Store } from './types.ts';

export type StoreOptions = { dataDir: string; databaseUrl?: string } | { memory: true };

/** Opens the store; throws StoreOpenError when the database cannot be used. */
export async function openStore(options: StoreOptions): Promise<Store> {
  // Each driver is loaded only here, so a store never loads the other's module (SQLite's is native).
  if (!('memory' in options) && options.databaseUrl !== undefined) {
    const { PostgresStore } = await import('./postgres.ts');
    return PostgresStore.open(options.databaseUrl);
  }
  const { SqliteStore } = await import('./sqlite.ts');
  return SqliteStore.open('memory' in options ? ':memory:' : options.dataDir);
}
