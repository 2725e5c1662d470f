/** Chooses the store from configuration: a data folder means SQLite, `:memory:` keeps nothing. */
import { MemoryStore } from './memory.ts';
import type { Store } from './types.ts';

export type StoreOptions = { dataDir: string } | { memory: true };

/** Opens the store; throws StoreOpenError when the database cannot be used. */
export async function openStore(options: StoreOptions): Promise<Store> {
  if ('memory' in options || options.dataDir === ':memory:') return new MemoryStore();
  // Loaded only here, so a memory store never loads the native SQLite module.
  const { SqliteStore } = await import('./sqlite.ts');
  return new SqliteStore(options.dataDir);
}
