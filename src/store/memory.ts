/**
 * The store in memory, for unit tests and `DATA_DIR=:memory:`: SQLite's own
 * in-memory database under the same SQL as the file, so there is no second
 * implementation to keep in step. Nothing is kept after close. Opening one
 * costs about 1–2 ms (the migrations), a note 0.03 ms (docs/MEASUREMENTS.md).
 */
import { SqliteStore } from './sqlite.ts';

export class MemoryStore extends SqliteStore {
  constructor() {
    super(':memory:');
  }
}
