/**
 * Shared state without a Postgres server: DATABASE_URL's validation, the
 * StoreOpenError of a server that is not there, how Postgres errors become
 * StoreWriteErrors, and the store-backed cooldown and conversations that
 * workers share — here two SQLite stores on one file play the two workers
 * (tests/postgres.test.ts does the same on Postgres).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { loadApp, type App } from '../src/app.ts';
import { parseTextCommand } from '../src/commands/parse-text.ts';
import { NO_PERMISSIONS, type Command, type Invoker } from '../src/commands/types.ts';
import { ComponentRegistry } from '../src/commands/components.ts';
import { textReply } from '../src/reply/reply.ts';
import { ConfigError, readConfig } from '../src/config.ts';
import { conversationKey, StoreConversations } from '../src/conversation/memory.ts';
import { Cooldown, quickKey, SharedCooldown, StoreCooldown } from '../src/discord/api/cooldown.ts';
import type { PipelineServices } from '../src/discord/api/pipeline.ts';
import { pipelineCooldown, prepareInteraction, prepareMessage } from '../src/discord/api/shared-state.ts';
import { createLogger } from '../src/log.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { openStore } from '../src/store/open.ts';
import { describeDatabaseUrl, writeError } from '../src/store/postgres.ts';
import { SqliteStore } from '../src/store/sqlite.ts';
import { StoreOpenError, StoreWriteError, type RateLimitStore, type Store } from '../src/store/types.ts';
import { CORPUS_DIR } from './support/app.ts';

const ALICE = '333333333333333333';
const SECRET = 'pa55-w0rd-never-shown';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Two stores on one SQLite file: two workers sharing one database. */
function twoWorkers(): [SqliteStore, SqliteStore] {
  const dir = mkdtempSync(join(tmpdir(), 'footnote-shared-'));
  const stores: [SqliteStore, SqliteStore] = [new SqliteStore(dir), new SqliteStore(dir)];
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(async () => void (await Promise.all(stores.map((store) => store.close()))));
  return stores;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('DATABASE_URL', () => {
  it('accepts a postgres:// or postgresql:// URL and refuses anything else without echoing it', () => {
    expect(readConfig({ DATABASE_URL: `postgres://footnote:${SECRET}@db.internal:5432/footnote` }).DATABASE_URL).toBe(`postgres://footnote:${SECRET}@db.internal:5432/footnote`);
    expect(readConfig({ DATABASE_URL: 'postgresql://footnote@localhost/footnote' }).DATABASE_URL).toBeDefined();
    expect(readConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
    for (const value of [`mysql://root:${SECRET}@localhost/db`, `https://user:${SECRET}@example.org`, `${SECRET}`, 'postgres://']) {
      let thrown: unknown;
      try {
        readConfig({ DATABASE_URL: value });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, value).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).problems).toEqual(['DATABASE_URL: must be a postgres:// URL (postgres://user:password@host:5432/database)']);
      expect((thrown as Error).message).not.toContain(SECRET);
    }
  });

  it('is described as host:port/database, defaults filled in, never with the user or password', () => {
    expect(describeDatabaseUrl(`postgres://footnote:${SECRET}@db.internal:6543/study`)).toBe('db.internal:6543/study');
    expect(describeDatabaseUrl('postgresql://footnote@db.internal')).toBe('db.internal:5432/footnote');
    expect(describeDatabaseUrl('postgres:///study?host=/var/run/postgresql')).toBe('/var/run/postgresql:5432/study');
    expect(() => describeDatabaseUrl(`mysql://root:${SECRET}@x/y`)).toThrow(StoreOpenError);
    expect(() => describeDatabaseUrl(SECRET)).toThrow(/not a valid URL/);
  });

  it('opens nothing when the server is not there: one line naming host:port/database, not the password', async () => {
    const port = await closedPort();
    const error = await openStore({ dataDir: ':memory:', databaseUrl: `postgres://footnote:${SECRET}@127.0.0.1:${port}/study` }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toBe(
      `Cannot connect to Postgres at 127.0.0.1:${port}/study: nothing is listening there (connection refused). Check DATABASE_URL and that the server is running.`,
    );
  });
});

describe('Postgres errors as StoreWriteErrors', () => {
  const databaseError = (code: string) => Object.assign(new pg.DatabaseError('it went wrong', 0, 'error'), { code });

  it('maps disk full, read-only and lock conflicts to the reasons commands explain', () => {
    const reasons = Object.fromEntries(['53100', '25006', '40001', '40P01', '55P03', '23505'].map((code) => [code, (writeError('db:5432/x', databaseError(code)) as StoreWriteError).reason]));
    expect(reasons).toEqual({ '53100': 'full', '25006': 'read-only', '40001': 'busy', '40P01': 'busy', '55P03': 'busy', '23505': 'other' });
    expect((writeError('db:5432/x', databaseError('53100')) as Error).message).toMatch(/^Cannot save to db:5432\/x: the database's disk is full\. it went wrong \(53100\)$/);
  });

  it('reports a lost connection as "other", and passes its own errors on unchanged', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(writeError('db:5432/x', refused)).toMatchObject({ name: 'StoreWriteError', reason: 'unreachable', message: 'Cannot reach db:5432/x: nothing is listening there (connection refused).' });
    expect(writeError('db:5432/x', new Error('Connection terminated unexpectedly'))).toBeInstanceOf(StoreWriteError);
    const mine = new RangeError('limit must be a whole number');
    expect(writeError('db:5432/x', mine)).toBe(mine);
  });
});

describe('a cooldown kept in the store', () => {
  it('is one limit for two workers sharing the store', async () => {
    const [first, second] = twoWorkers();
    let now = 1_000;
    const one = new StoreCooldown(first.rateLimits, { limit: 3, windowMs: 10_000, now: () => now });
    const two = new StoreCooldown(second.rateLimits, { limit: 3, windowMs: 10_000, now: () => now });
    expect(await one.take(ALICE)).toEqual({ allowed: true });
    expect(await two.take(ALICE)).toEqual({ allowed: true });
    now = 4_000;
    expect(await one.take(ALICE)).toEqual({ allowed: true });
    expect(await two.take(ALICE)).toEqual({ allowed: false, retryAfterMs: 7_000, firstRefusal: true });
    expect(await one.take(ALICE)).toEqual({ allowed: false, retryAfterMs: 7_000, firstRefusal: false });
    expect(await one.take('someone else')).toEqual({ allowed: true });
    now = 11_000;
    expect(await two.take(ALICE)).toEqual({ allowed: true });
  });

  it('falls back to this process’s own window when the store hangs or fails, and says so', async () => {
    const hanging: RateLimitStore = { take: () => new Promise(() => {}), prune: async () => 0 };
    const failing: RateLimitStore = {
      take: async () => {
        throw new StoreWriteError('other', 'Cannot save to db:5432/x: the database cannot be reached');
      },
      prune: async () => 0,
    };
    for (const store of [hanging, failing]) {
      const told: unknown[] = [];
      const cooldown = new SharedCooldown(new StoreCooldown(store, { limit: 2, windowMs: 10_000 }), 50, (error) => told.push(error));
      const started = Date.now();
      const verdicts = [await cooldown.decide(ALICE), await cooldown.decide(ALICE), await cooldown.decide(ALICE)];
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(verdicts.map((verdict) => verdict.allowed)).toEqual([true, true, false]);
      expect(told).toHaveLength(3);
      expect(String(told[0])).toMatch(store === hanging ? /did not answer within 50 ms/ : /cannot be reached/);
    }
  });

  it('is chosen by DATABASE_URL: this process’s own without it, the store’s with it', () => {
    const store = new MemoryStore();
    const logger = createLogger('silent');
    expect(pipelineCooldown({ DATABASE_URL: undefined }, store, logger)).not.toBeInstanceOf(SharedCooldown);
    expect(pipelineCooldown({ DATABASE_URL: 'postgres://db/x' }, store, logger)).toBeInstanceOf(SharedCooldown);
  });
});

describe('preparing an event for the pipeline', () => {
  const logger = createLogger('silent');
  // One command with a quick button (a review card turning over), counted under its own key.
  const quickButton = { kind: 'turn', key: 'qk', version: 1, type: 'button', quick: true, encode: () => '1', decode: () => ({ kind: 'turn' }), label: () => 'Turn', handle: () => textReply('info', 'x', []) };
  const components = new ComponentRegistry([{ definition: { name: 'cards', description: 'cards' }, handle: () => textReply('info', 'x', []), components: [quickButton] } as Command]);
  const appWith = (conversations: unknown) => ({ context: { conversations, clock: { now: () => 5_000 } }, components }) as unknown as App;
  const interaction = (type: number, data: object = { id: '1', name: 'ask', type: 1 }) =>
    ({ id: '1300000000000000001', application_id: '1', type, token: 't', version: 1, data, channel_id: '222', guild_id: '111', member: { user: { id: ALICE, username: 'alice' }, permissions: '0' } }) as never;
  const message = (overrides: object) =>
    ({ id: '1', channel_id: '222', type: 0, content: 'hello', author: { id: ALICE, username: 'alice' }, mentions: [], ...overrides }) as never;

  it('hands the services back untouched when nothing is shared', async () => {
    const services: PipelineServices = { app: appWith({ recall: () => undefined, remember: () => {} }), logger, cooldown: new Cooldown() };
    expect(await prepareInteraction(services, interaction(2))).toBe(services);
    expect(await prepareMessage(services, message({ guild_id: undefined }), '999')).toBe(services);
  });

  it('takes a shared token for commands, buttons, modals, DMs and mentions only', async () => {
    const store = new MemoryStore();
    const cooldown = new SharedCooldown(new StoreCooldown(store.rateLimits, { limit: 1, windowMs: 60_000 }), 1_000);
    const services: PipelineServices = { app: appWith(new StoreConversations(store.conversations)), logger, cooldown };
    const untouched = [
      await prepareInteraction(services, interaction(1)),
      await prepareInteraction(services, interaction(4)),
      await prepareInteraction(services, interaction(2, { id: '1', name: 'profile', type: 2 })),
      await prepareMessage(services, message({ guild_id: '111' }), '999'),
      await prepareMessage(services, message({ guild_id: undefined, author: { id: ALICE, username: 'alice', bot: true } }), '999'),
      await prepareMessage(services, message({ guild_id: undefined, webhook_id: '5' }), '999'),
    ];
    expect(untouched.every((prepared) => prepared === services)).toBe(true);
    expect((await prepareInteraction(services, interaction(2))).cooldown.take(ALICE)).toEqual({ allowed: true });
    // The one request of the window is spent: a mention, a DM, a button and a modal are refused alike.
    for (const prepared of [
      await prepareMessage(services, message({ guild_id: '111', content: 'hi <@999>' }), '999'),
      await prepareMessage(services, message({ guild_id: undefined }), '999'),
      await prepareInteraction(services, interaction(3, { custom_id: 'x', component_type: 2 })),
      await prepareInteraction(services, interaction(5, { custom_id: 'x', components: [] })),
    ]) {
      expect(prepared.cooldown.take(ALICE)).toMatchObject({ allowed: false });
    }
    // A quick click has its own allowance: still allowed, once.
    expect((await prepareInteraction(services, interaction(3, { custom_id: 'fn1:qk:1', component_type: 2 }))).cooldown.take(quickKey(ALICE))).toEqual({ allowed: true });
    expect((await prepareInteraction(services, interaction(3, { custom_id: 'fn1:qk:1', component_type: 2 }))).cooldown.take(quickKey(ALICE))).toMatchObject({ allowed: false });
  });
});

describe('conversations kept in the store', () => {
  const ada: Invoker = { userId: 'ada', displayName: 'Ada', guildId: 'g1', channelId: 'c1', inThread: false, permissions: NO_PERMISSIONS };

  async function worker(store: Store): Promise<{ app: App; conversations: StoreConversations }> {
    const conversations = new StoreConversations(store.conversations);
    return { app: await loadApp(CORPUS_DIR, { store, clock: { now: () => 1_000_000 }, conversations }), conversations };
  }

  async function ask(app: App, question: string) {
    const parsed = parseTextCommand(`/ask question:${question}`, app.commands, ada);
    if ('error' in parsed) throw new Error(parsed.error);
    return parsed.command.handle(parsed.input, app.context);
  }

  it('let a follow-up asked of another worker be read with the question asked of the first', async () => {
    const [first, second] = twoWorkers();
    const one = await worker(first);
    const two = await worker(second);
    const question = 'How do Iran and Russia differ over Turkey?';
    expect((await ask(one.app, question)).kind).toBe('answer');
    await one.conversations.flush();

    // Until the transport loads it for the next event, the second worker knows nothing of it.
    expect(two.conversations.recall(conversationKey(ada), 1_000_000)).toBeUndefined();
    await two.conversations.load(conversationKey(ada), 1_000_000);
    expect(two.conversations.recall(conversationKey(ada), 1_000_000)).toMatchObject({ question });
    expect((await ask(two.app, 'and Syria?')).notes).toContain(`Read with your last question, “${question}”.`);
  });
});
