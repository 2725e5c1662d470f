/**
 * The Postgres store against a real server (FOOTNOTE_TEST_DATABASE_URL): what
 * only a shared database has — several processes migrating and writing at
 * once, its refusals, and state that two workers share. The Store contract
 * itself runs in store.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { StoreConversations } from '../src/conversation/memory.ts';
import { SharedCooldown, StoreCooldown } from '../src/discord/api/cooldown.ts';
import type { PipelineServices } from '../src/discord/api/pipeline.ts';
import { prepareInteraction } from '../src/discord/api/shared-state.ts';
import { createLogger } from '../src/log.ts';
import { LATEST_VERSION, MIGRATIONS } from '../src/store/migrations.ts';
import { openStore } from '../src/store/open.ts';
import { PostgresStore } from '../src/store/postgres.ts';
import { guildScope, StoreOpenError, StoreWriteError, type Store } from '../src/store/types.ts';
import { admin, describePostgres, dropSchema, freshSchema } from './support/postgres.ts';

const GUILD = guildScope('111111111111111111');
const ALICE = '333333333333333333';

/** The same server and database, with every table in `schema`. */
function inSchema(url: string, schema: string): string {
  const withSchema = new URL(url);
  withSchema.searchParams.set('options', `-c search_path=${schema}`);
  return withSchema.toString();
}

/** A URL with another password, user or database: the rest as the test server's. */
function changed(url: string, change: (url: URL) => void): string {
  const next = new URL(url);
  change(next);
  return next.toString();
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function openError(open: () => Promise<unknown>): Promise<StoreOpenError> {
  const error = await open().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(StoreOpenError);
  expect((error as Error).message).not.toContain('\n');
  return error as StoreOpenError;
}

async function rows<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describePostgres('PostgresStore on a real server', (url) => {
  const schemas: string[] = [];
  const stores: Store[] = [];

  async function schema(): Promise<string> {
    const name = await freshSchema(url);
    schemas.push(name);
    return name;
  }

  async function open(name: string, options: { poolSize?: number } = {}): Promise<PostgresStore> {
    const store = await PostgresStore.open(url, { ...options, schema: name });
    stores.push(store);
    return store;
  }

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    for (const name of schemas.splice(0)) await dropSchema(url, name);
  });

  it('is what openStore opens for a postgres:// URL, described without user or password', async () => {
    const name = await schema();
    const store = await openStore({ dataDir: '/nonexistent/never-created', databaseUrl: inSchema(url, name) });
    stores.push(store);
    const { hostname, port } = new URL(url);
    expect(store.description).toBe(`postgres:${hostname}:${port}/postgres`);
    expect(store.description).not.toContain(decodeURIComponent(new URL(url).password));
    const added = await store.notes.add({ scope: GUILD, article: 'essay', paragraph: 3, authorId: ALICE, authorName: 'Alice', text: 'Kept in Postgres.', private: false }, 1000);
    expect(await rows(url, `SELECT id, text FROM ${name}.notes`)).toEqual([{ id: String(added.id), text: 'Kept in Postgres.' }]);
  });

  it('migrates once when several workers start at the same moment, and a later start changes nothing', async () => {
    const name = await schema();
    const started = await Promise.all(Array.from({ length: 4 }, () => open(name, { poolSize: 2 })));
    expect(await Promise.all(started.map((store) => store.schemaVersion()))).toEqual([LATEST_VERSION, LATEST_VERSION, LATEST_VERSION, LATEST_VERSION]);
    const applied = await rows<{ version: number; applied_at: string }>(url, `SELECT version, applied_at FROM ${name}.schema_version ORDER BY version`);
    expect(applied.map((row) => row.version)).toEqual(Array.from({ length: LATEST_VERSION }, (_, i) => i + 1));

    await (await open(name)).close();
    expect(await rows(url, `SELECT version, applied_at FROM ${name}.schema_version ORDER BY version`)).toEqual(applied);
  });

  it('applies a migration missing below the newest one (features merged in either order)', async () => {
    const name = await schema();
    await (await open(name)).close();
    await admin(url, `DROP TABLE ${name}.conversations; DROP TABLE ${name}.rate_limits; DELETE FROM ${name}.schema_version WHERE version = 5`);
    await admin(url, `DROP TABLE ${name}.discussions; DELETE FROM ${name}.schema_version WHERE version = 2`);
    const store = await open(name);
    expect((await rows<{ version: number }>(url, `SELECT version FROM ${name}.schema_version ORDER BY version`)).map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
    await store.discussions.add({ scope: GUILD, threadId: '1300000000000000001', article: 'essay', paragraph: 2, startedBy: ALICE }, 1000);
    expect(await store.discussions.get(GUILD, '1300000000000000001')).toMatchObject({ paragraph: 2 });
  });

  it('refuses a database written by a newer Footnote and leaves it as it was', async () => {
    const name = await schema();
    await (await open(name)).close();
    await admin(url, `INSERT INTO ${name}.schema_version (version, applied_at) VALUES (${LATEST_VERSION + 1}, 1)`);
    const before = await rows(url, `SELECT * FROM ${name}.schema_version ORDER BY version`);
    const error = await openError(() => PostgresStore.open(url, { schema: name }));
    const { hostname, port } = new URL(url);
    expect(error.message).toContain(`${hostname}:${port}/postgres`);
    expect(error.message).toMatch(new RegExp(`newer Footnote \\(schema version ${LATEST_VERSION + 1}; this one knows up to ${LATEST_VERSION}\\)`));
    expect(await rows(url, `SELECT * FROM ${name}.schema_version ORDER BY version`)).toEqual(before);
  });

  it('says in one line why it cannot connect, naming host:port/database and never the password', async () => {
    const password = decodeURIComponent(new URL(url).password);
    const port = await closedPort();
    const unreachable = await openError(() => PostgresStore.open(changed(url, (next) => (next.port = String(port)))));
    expect(unreachable.message).toBe(
      `Cannot connect to Postgres at 127.0.0.1:${port}/postgres: nothing is listening there (connection refused). Check DATABASE_URL and that the server is running.`,
    );

    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    const refused = await openError(() => PostgresStore.open(changed(url, (next) => (next.password = wrong))));
    expect(refused.message).toMatch(/refused the user name or password \(28P01\)/);
    for (const message of [unreachable.message, refused.message]) {
      expect(message).not.toContain(password);
      expect(message).not.toContain(wrong);
    }

    const missing = await openError(() => PostgresStore.open(changed(url, (next) => (next.pathname = '/no_such_database'))));
    expect(missing.message).toMatch(/\/no_such_database: the database does not exist/);
    expect(missing.message).not.toContain(password);
  });

  it('fails a write that waits too long for another writer’s lock as "busy", and goes on once it is released', async () => {
    const name = await schema();
    const store = await open(name);
    await store.counters.increment(GUILD, 'clicks');
    const holder = new pg.Client({ connectionString: inSchema(url, name) });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT * FROM counters WHERE name = 'clicks' FOR UPDATE`);
      const error = await store.counters.increment(GUILD, 'clicks').then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(StoreWriteError);
      expect(error).toMatchObject({ reason: 'busy' });
      expect((error as Error).message).toContain('55P03');
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    expect(await store.counters.increment(GUILD, 'clicks')).toBe(2);
  });

  it('fails writes to a read-only database as "read-only", while reads go on', async () => {
    const database = `footnote_ro_${randomBytes(6).toString('hex')}`;
    await admin(url, `CREATE DATABASE ${database}`);
    const readOnlyUrl = changed(url, (next) => (next.pathname = `/${database}`));
    try {
      const store = await PostgresStore.open(readOnlyUrl);
      await store.counters.increment(GUILD, 'kept');
      await store.close();
      await admin(url, `ALTER DATABASE ${database} SET default_transaction_read_only = on`);
      const readOnly = await PostgresStore.open(readOnlyUrl);
      try {
        expect(await readOnly.counters.get(GUILD, 'kept')).toBe(1);
        await expect(readOnly.counters.increment(GUILD, 'kept')).rejects.toMatchObject({ name: 'StoreWriteError', reason: 'read-only' });
        await expect(readOnly.notes.add({ scope: GUILD, article: 'essay', paragraph: 1, authorId: ALICE, authorName: 'Alice', text: 'x', private: false }, 1)).rejects.toMatchObject({
          reason: 'read-only',
        });
        await expect(readOnly.rateLimits.take('cooldown:alice', 5, 10_000, 1)).rejects.toMatchObject({ reason: 'read-only' });
      } finally {
        await readOnly.close();
      }
    } finally {
      await admin(url, `DROP DATABASE IF EXISTS ${database}`);
    }
  });

  it('enforces one rate limit across two workers, even when they take at the same moment', async () => {
    const name = await schema();
    const [first, second] = [await open(name), await open(name)];
    const takes = Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? first : second).rateLimits.take('cooldown:alice', 5, 10_000, 1_000));
    const verdicts = await Promise.all(takes);
    expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(5);
    expect(verdicts.filter((verdict) => !verdict.allowed && verdict.firstRefusal)).toHaveLength(1);
    expect(await second.rateLimits.take('cooldown:alice', 5, 10_000, 11_000)).toEqual({ allowed: true });
  });

  it('keeps the daily note limit across two workers adding at the same moment', async () => {
    const name = await schema();
    const [first, second] = [await open(name), await open(name)];
    const note = { scope: GUILD, article: 'essay', paragraph: 1, authorId: ALICE, authorName: 'Alice', text: 'n', private: false };
    const adds = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? first : second).notes.addWithinLimit(note, 1_000 + i, { max: 50, since: 0 }));
    const added = await Promise.all(adds);
    expect(added.filter((one) => one !== undefined)).toHaveLength(50);
    expect(await first.notes.countByAuthorSince(ALICE, 0)).toBe(50);
  });

  it('gives a user one cooldown across two workers’ pipelines', async () => {
    const name = await schema();
    let now = 50_000;
    const clock = () => now;
    const worker = (store: Store): PipelineServices => ({
      app: { context: { conversations: new StoreConversations(store.conversations), clock: { now: clock } } } as unknown as App,
      logger: createLogger('silent'),
      cooldown: new SharedCooldown(new StoreCooldown(store.rateLimits, { limit: 5, windowMs: 10_000, now: clock }), 2_000),
    });
    const workers = [worker(await open(name)), worker(await open(name))];
    const slash = (id: number) =>
      ({
        id: String(1_300_000_000_000_000_000 + id),
        application_id: '1',
        type: 2,
        token: 't',
        version: 1,
        data: { id: '1', name: 'ask', type: 1 },
        channel_id: '222',
        guild_id: '111111111111111111',
        member: { user: { id: ALICE, username: 'alice' }, permissions: '0' },
      }) as never;
    const verdicts = [];
    for (let i = 0; i < 6; i += 1) {
      const services = await prepareInteraction(workers[i % 2] as PipelineServices, slash(i));
      verdicts.push(services.cooldown.take(ALICE));
    }
    expect(verdicts.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => ({ allowed: true })));
    expect(verdicts[5]).toEqual({ allowed: false, retryAfterMs: 10_000, firstRefusal: true });
    now += 10_000;
    expect((await prepareInteraction(workers[0] as PipelineServices, slash(7))).cooldown.take(ALICE)).toEqual({ allowed: true });
  });

  it('shares conversation context: a follow-up asked of the other worker is read with the question before it', async () => {
    const name = await schema();
    const [one, two] = [new StoreConversations((await open(name)).conversations), new StoreConversations((await open(name)).conversations)];
    const key = `111111111111111111:222:${ALICE}`;
    const first = { question: 'What did Velayati announce?', names: ['Velayati'], paragraph: { article: 'essay', number: 5 }, answer: 'He announced a visit.', at: 1_000 };
    one.remember(key, first);
    await one.flush();
    expect(two.recall(key, 2_000)).toBeUndefined();
    await two.load(key, 2_000);
    expect(two.recall(key, 2_000)).toEqual(first);

    const second = { question: 'And Moscow?', names: ['Moscow'], at: 3_000 };
    two.remember(key, second);
    await two.flush();
    await one.load(key, 4_000);
    expect(one.recall(key, 4_000)).toEqual(second);
    // Ten minutes on, it is forgotten everywhere.
    await one.load(key, 3_000 + 10 * 60 * 1000 + 1);
    expect(one.recall(key, 3_000 + 10 * 60 * 1000 + 1)).toBeUndefined();
  });
});
