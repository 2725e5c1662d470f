/**
 * The Postgres the tests may use: FOOTNOTE_TEST_DATABASE_URL, set by .ci/run
 * (and .ci/with-postgres) to a throwaway cluster. Each store opened here lives
 * in a fresh schema that is dropped when the store is closed, so tests never
 * see each other's rows. Without the variable, the Postgres suites are skipped
 * and say why.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { PostgresStore, type PostgresStoreOptions } from '../../src/store/postgres.ts';

export const TEST_DATABASE_URL: string | undefined = process.env.FOOTNOTE_TEST_DATABASE_URL || undefined;

export const SKIP_REASON =
  'FOOTNOTE_TEST_DATABASE_URL is not set, so the Postgres store is not tested here. `bash .ci/run` starts a throwaway Postgres for it; `bash .ci/with-postgres npx vitest run <files>` does the same for a few files.';

let told = false;

/** `describe` when a test database is set; otherwise a skipped one, with the reason printed once per file. */
export function describePostgres(name: string, body: (url: string) => void): void {
  if (TEST_DATABASE_URL !== undefined) {
    describe(name, () => body(TEST_DATABASE_URL));
    return;
  }
  if (!told) {
    console.warn(`Skipping the Postgres tests: ${SKIP_REASON}`);
    told = true;
  }
  describe.skip(name, () => body(''));
}

/** Runs one statement on its own connection (creating and dropping schemas). */
export async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function freshSchema(url: string): Promise<string> {
  const schema = `footnote_test_${randomBytes(6).toString('hex')}`;
  await admin(url, `CREATE SCHEMA ${schema}`);
  return schema;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  await admin(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

/** A store in a schema of its own, dropped when the store is closed. */
export async function openInFreshSchema(url: string, options: Omit<PostgresStoreOptions, 'schema'> = {}): Promise<PostgresStore> {
  const schema = await freshSchema(url);
  const store = await PostgresStore.open(url, { ...options, schema });
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await dropSchema(url, schema);
  };
  return store;
}
