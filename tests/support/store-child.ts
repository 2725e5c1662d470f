/**
 * A process for tests/store-durability.test.ts to kill: adds `count` notes to
 * the store in DATA_DIR (argument 1) one after another, printing
 * "committed <id>" as each add resolves, then waits to be killed.
 */
import { SqliteStore } from '../../src/store/sqlite.ts';

const [dataDir, count = '1'] = process.argv.slice(2);
if (dataDir === undefined) throw new Error('usage: store-child.ts DATA_DIR [COUNT]');
const store = new SqliteStore(dataDir);
for (let i = 0; i < Number(count); i += 1) {
  const note = await store.notes.add(
    { scope: 'guild:123456789012345678', article: 'photosynthesis', paragraph: 1 + (i % 20), authorId: '876543210987654321', authorName: 'Kim', text: `note ${i}`, private: i % 3 === 0 },
    Date.now(),
  );
  // Writes to a pipe are synchronous on Linux: once this returns, the parent can read it.
  process.stdout.write(`committed ${note.id}\n`);
}
setInterval(() => {}, 60_000);
