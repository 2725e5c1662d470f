/**
 * `npm run backup -- FILE`: copies the database in DATA_DIR (default `data`)
 * to FILE, safely while the bot is running: the copy is one committed state,
 * read through a read-only connection that never blocks the bot's writes.
 * An existing FILE is never replaced.
 */
import 'dotenv/config';
import { closeSync, existsSync, openSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { databaseFile, SqliteStore } from './store/sqlite.ts';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function main(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0] === '') {
    console.error('Usage: npm run backup -- FILE   (copies the database in DATA_DIR, default "data", to FILE)');
    return 2;
  }
  const destination = path.resolve(args[0] as string);
  const dataDir = process.env.DATA_DIR || 'data';
  if (dataDir === ':memory:') {
    console.error('Backup failed: DATA_DIR is :memory:, so nothing is stored to back up.');
    return 1;
  }
  const source = databaseFile(dataDir);
  if (!existsSync(source)) {
    console.error(`Backup failed: there is no database at ${source} (DATA_DIR=${dataDir}).`);
    return 1;
  }
  // Created exclusively first: a file that appears meanwhile is not replaced either.
  try {
    closeSync(openSync(destination, 'wx'));
  } catch (error) {
    const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
    console.error(exists ? `Backup failed: ${destination} already exists; choose another name or move it away.` : `Backup failed: cannot create ${destination}: ${message(error)}`);
    return 1;
  }
  let store: SqliteStore | undefined;
  try {
    store = new SqliteStore(dataDir, { readonly: true });
    await store.backup(destination);
  } catch (error) {
    rmSync(destination, { force: true });
    console.error(`Backup failed: ${message(error)}`);
    return 1;
  } finally {
    await store?.close();
  }
  console.log(`Backed up ${source} to ${destination} (${Math.ceil(statSync(destination).size / 1024)} KB).`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`Backup failed: ${message(error)}`);
    process.exitCode = 1;
  },
);
