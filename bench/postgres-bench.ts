/**
 * Postgres against SQLite, side by side: both stores filled with the same
 * 100,000 notes (40 % in one big server, the rest over 60 servers and 100
 * DMs; 10 % private), then single-note adds and list pages of the big server
 * timed through the Store interface, each call made to every store in turn so
 * they meet the same moments of load. Postgres runs twice on the same tables:
 * with the server's synchronous_commit (on by default: a commit waits for its
 * WAL flush) and with synchronous_commit = off (a commit returns before the
 * flush; closest to SQLite's synchronous = NORMAL).
 *
 * Needs a Postgres it may create a schema in:
 *   bash .ci/with-postgres npx tsx bench/postgres-bench.ts
 * (FOOTNOTE_PG_FSYNC=on in front for a server that fsyncs, as a real one does),
 * or FOOTNOTE_BENCH_DATABASE_URL=postgres://… npx tsx bench/postgres-bench.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { median, MIN_TIMINGS, percentile, round, WARM_UP_QUESTIONS } from '../eval/stats.ts';
import { PostgresStore } from '../src/store/postgres.ts';
import { SqliteStore, type ImportedNote } from '../src/store/sqlite.ts';
import type { NewNote, NoteQuery, Scope, Store } from '../src/store/types.ts';

const NOTES = 100_000;
const BATCH = 10_000;
const PAGE = 10;
const PARAGRAPHS = 80;
const DAY_MS = 86_400_000;
const START = Date.UTC(2025, 0, 1);
const BIG_GUILD: Scope = 'guild:100000000000000000';
const ARTICLES = ['photosynthesis', 'french-revolution', 'plate-tectonics'];
const WORDS = 'the cell light energy water carbon leaf king people revolution plate ocean crust why because however note see page source claim evidence'.split(' ');

/** Deterministic, so every run fills the same notes. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const next = random(42);
const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
const id = (prefix: string, n: number) => prefix + String(n).padStart(18 - prefix.length, '0');
const bigGuildAuthors = Array.from({ length: 400 }, (_, n) => id('3', n));

function makeNote(): NewNote {
  const roll = next();
  const scope: Scope = roll < 0.4 ? BIG_GUILD : roll < 0.9 ? `guild:${id('1', 1 + Math.floor(next() * 59))}` : `dm:${id('2', Math.floor(next() * 100))}`;
  const authorId = scope === BIG_GUILD ? pick(bigGuildAuthors) : scope.startsWith('dm:') ? scope.slice(3) : id(`3${scope.slice(-4)}`, Math.floor(next() * 400));
  return {
    scope,
    article: next() < 0.7 ? (ARTICLES[0] as string) : pick(ARTICLES.slice(1)),
    paragraph: 1 + Math.floor(next() * PARAGRAPHS),
    authorId,
    authorName: `Reader ${authorId.slice(-4)}`,
    text: Array.from({ length: 5 + Math.floor(next() * 30) }, () => pick(WORDS)).join(' '),
    private: next() < 0.1,
  };
}

async function admin(url: string, sql: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<Record<string, string>>(sql);
    return result.rows.map((row) => Object.values(row).join(''));
  } finally {
    await client.end();
  }
}

function withOptions(url: string, options: string): string {
  const withParameters = new URL(url);
  withParameters.searchParams.set('options', options);
  return withParameters.toString();
}

interface Contender {
  name: string;
  store: Store;
}

/** Times `call` on every contender in turn, after a warm-up; milliseconds per contender. */
async function timeEach(contenders: Contender[], call: (store: Store, i: number) => Promise<unknown>): Promise<number[][]> {
  const times = contenders.map(() => [] as number[]);
  for (let i = 0; i < WARM_UP_QUESTIONS + MIN_TIMINGS; i += 1) {
    for (const [n, contender] of contenders.entries()) {
      const start = performance.now();
      await call(contender.store, i);
      if (i >= WARM_UP_QUESTIONS) times[n]?.push(performance.now() - start);
    }
  }
  return times;
}

const figures = (times: number[]) => `${round(median(times), 3)} / ${round(percentile(times, 99), 3)}`;

async function main(): Promise<void> {
  const url = process.env.FOOTNOTE_BENCH_DATABASE_URL || process.env.FOOTNOTE_TEST_DATABASE_URL;
  if (!url) {
    console.error('No Postgres to measure: run `bash .ci/with-postgres npx tsx bench/postgres-bench.ts`, or set FOOTNOTE_BENCH_DATABASE_URL=postgres://…');
    process.exitCode = 1;
    return;
  }
  const schema = `footnote_bench_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'footnote-pg-bench-'));
  await admin(url, `CREATE SCHEMA ${schema}`);
  const stores: Store[] = [];
  try {
    const sqlite = new SqliteStore(dir);
    const postgres = await PostgresStore.open(url, { schema });
    stores.push(sqlite, postgres);
    const span = 90 * DAY_MS;
    const fillStarted = performance.now();
    for (let from = 0; from < NOTES; from += BATCH) {
      const batch: ImportedNote[] = Array.from({ length: BATCH }, (_, i) => ({ ...makeNote(), createdAt: START + Math.floor(((from + i) * span) / NOTES) }));
      await sqlite.importNotes(batch);
      await postgres.importNotes(batch);
    }
    // What autovacuum does on a live server: table statistics for the planner.
    await admin(withOptions(url, `-c search_path=${schema}`), 'ANALYZE');
    const fillSeconds = round((performance.now() - fillStarted) / 1000, 1);
    const relaxed = await PostgresStore.open(withOptions(url, `-c search_path=${schema} -c synchronous_commit=off`));
    stores.push(relaxed);
    const [fsync, synchronousCommit, version] = [await admin(url, 'SHOW fsync'), await admin(url, 'SHOW synchronous_commit'), await admin(url, 'SHOW server_version')];

    const contenders: Contender[] = [
      { name: 'SQLite (NORMAL)', store: sqlite },
      { name: `Postgres (synchronous_commit ${synchronousCommit[0]})`, store: postgres },
      { name: 'Postgres (synchronous_commit off)', store: relaxed },
    ];
    const viewer = (i: number) => bigGuildAuthors[i % 50] as string;
    const offset = (i: number) => (i % 5) * PAGE;
    const lists: { name: string; query: (i: number) => NoteQuery }[] = [
      { name: 'list: server, newest first', query: (i) => ({ scope: BIG_GUILD, viewerId: viewer(i), limit: PAGE, offset: offset(i) }) },
      { name: 'list: article', query: (i) => ({ scope: BIG_GUILD, viewerId: viewer(i), article: ARTICLES[0], limit: PAGE, offset: offset(i) }) },
      { name: 'list: article + paragraph', query: (i) => ({ scope: BIG_GUILD, viewerId: viewer(i), article: ARTICLES[0], paragraph: 1 + (i % PARAGRAPHS), limit: PAGE, offset: offset(i) }) },
      { name: 'list: author', query: (i) => ({ scope: BIG_GUILD, viewerId: viewer(i), authorId: viewer(i + 1), limit: PAGE, offset: offset(i) }) },
    ];
    const rows: [string, number[][]][] = [];
    for (const list of lists) rows.push([list.name, await timeEach(contenders, (store, i) => store.notes.list(list.query(i)))]);
    const adds = Array.from({ length: WARM_UP_QUESTIONS + MIN_TIMINGS }, () => ({ ...makeNote(), scope: BIG_GUILD }));
    rows.push(['add a note', await timeEach(contenders, (store, i) => store.notes.add(adds[i] as NewNote, START + span + i))]);

    console.log(`Notes: Postgres ${version[0]} (fsync ${fsync[0]}) against SQLite, ${NOTES.toLocaleString('en')} notes, 40 % in one server (filled in ${fillSeconds} s)`);
    console.log(`${os.cpus().length} cores, load average ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}; ${MIN_TIMINGS} timed calls per figure after ${WARM_UP_QUESTIONS} untimed, each made to every store in turn\n`);
    console.log(`| operation (p50 / p99 ms) | ${contenders.map((contender) => contender.name).join(' | ')} |`);
    console.log(`|---|${contenders.map(() => '---:').join('|')}|`);
    for (const [name, times] of rows) console.log(`| ${name} | ${times.map(figures).join(' | ')} |`);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
    await admin(url, `DROP SCHEMA ${schema} CASCADE`);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
