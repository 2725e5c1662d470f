/**
 * Store cost at scale: a temporary SQLite store filled with 100,000 notes (one
 * big server holding 40 % of them, the rest over smaller servers and DMs), then
 * single-note adds and list pages timed through the Store interface, as the
 * bot would call them.
 *
 * Run alone with `npx tsx bench/store-bench.ts`.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { median, MIN_TIMINGS, percentile, round, WARM_UP_QUESTIONS } from '../eval/stats.ts';
import { databaseFile, SqliteStore } from '../src/store/sqlite.ts';
import type { NewNote, NoteQuery, Scope } from '../src/store/types.ts';

export interface StoreFigures {
  writeP99Ms: number;
  writeP50Ms: number;
  /** Worst p99 of the unfiltered pages (whole server; one article). */
  listP99Ms: number;
  listP50Ms: number;
  /** Worst p99 of the filtered pages (one paragraph; one author). */
  listFilteredP99Ms: number;
  listFilteredP50Ms: number;
  bytesPer10kNotes: number;
  notes: number;
}

const NOTES = 100_000;
const BATCH = 10_000;
const BIG_GUILD: Scope = guildScope(0);
const BIG_SHARE = 0.4;
const GUILDS = 60;
const DM_USERS = 100;
const AUTHORS_PER_GUILD = 400;
const ARTICLES = ['photosynthesis', 'french-revolution', 'plate-tectonics'];
const PARAGRAPHS = 80;
const PRIVATE_SHARE = 0.1;
const PAGE = 10;
const DAY_MS = 86_400_000;
const START = Date.UTC(2025, 0, 1);

/** Deterministic, so every run fills the same database. */
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

const WORDS = 'the cell light energy water carbon leaf king people revolution plate ocean crust why because however note see page source claim evidence'.split(' ');

function pick<T>(values: readonly T[], next: () => number): T {
  return values[Math.floor(next() * values.length)] as T;
}

/** Most notes go to the first article, as a study group reads one article at a time. */
function article(next: () => number): string {
  return next() < 0.7 ? (ARTICLES[0] as string) : pick(ARTICLES.slice(1), next);
}

/** An 18-digit id, as Discord's are. */
function snowflake(prefix: string, n: number): string {
  return prefix + String(n).padStart(18 - prefix.length, '0');
}

function guildScope(index: number): Scope {
  return `guild:${snowflake('1', index)}`;
}

function authorOf(scope: Scope, next: () => number): string {
  return scope.startsWith('dm:') ? scope.slice(3) : snowflake(`3${scope.slice(-4)}`, Math.floor(next() * AUTHORS_PER_GUILD));
}

function makeNote(next: () => number): NewNote {
  const roll = next();
  const scope: Scope = roll < BIG_SHARE ? BIG_GUILD : roll < 0.9 ? guildScope(1 + Math.floor(next() * (GUILDS - 1))) : `dm:${snowflake('2', Math.floor(next() * DM_USERS))}`;
  const authorId = authorOf(scope, next);
  const words = Array.from({ length: 5 + Math.floor(next() * 30) }, () => pick(WORDS, next));
  return {
    scope,
    article: article(next),
    paragraph: 1 + Math.floor(next() * PARAGRAPHS),
    authorId,
    authorName: `Reader ${authorId.slice(-4)}`,
    text: words.join(' '),
    private: next() < PRIVATE_SHARE,
  };
}

/** Loads the notes in batches, one transaction each, oldest first. */
async function fill(store: SqliteStore, next: () => number): Promise<void> {
  const span = 90 * DAY_MS;
  for (let from = 0; from < NOTES; from += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, NOTES - from) }, (_, i) => ({ ...makeNote(next), createdAt: START + Math.floor(((from + i) * span) / NOTES) }));
    await store.importNotes(batch);
  }
}

async function time(count: number, call: (index: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARM_UP_QUESTIONS; i += 1) await call(i);
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = performance.now();
    await call(i);
    times.push(performance.now() - start);
  }
  return times;
}

export interface ListTiming {
  name: string;
  filtered: boolean;
  p50Ms: number;
  p99Ms: number;
  /** Total matching notes of the last call: how much each count had to cover. */
  total: number;
}

export interface StoreDetails {
  figures: StoreFigures;
  lists: ListTiming[];
  /** The same adds, interleaved with the measured ones, on a copy opened with synchronous = FULL. */
  fullWriteP50Ms: number;
  fullWriteP99Ms: number;
}

export async function benchStoreDetailed(): Promise<StoreDetails> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'footnote-store-bench-'));
  const fullDir = path.join(dir, 'full');
  try {
    const next = random(42);
    const filling = new SqliteStore(dir);
    await fill(filling, next);
    // Closing folds the write-ahead log into the file, so its size is the data's.
    await filling.close();
    const bytesPer10kNotes = Math.round((statSync(databaseFile(dir)).size * 10_000) / NOTES);
    mkdirSync(fullDir);
    copyFileSync(databaseFile(dir), databaseFile(fullDir));

    const store = new SqliteStore(dir);
    const full = new SqliteStore(fullDir, { synchronous: 'FULL' });
    try {
      const viewers = Array.from({ length: 50 }, () => authorOf(BIG_GUILD, next));
      const viewer = (i: number) => viewers[i % viewers.length] as string;
      const offset = (i: number) => (i % 5) * PAGE;
      const variants: { name: string; filtered: boolean; query: (i: number) => NoteQuery }[] = [
        { name: 'server, newest first', filtered: false, query: (i) => ({ scope: BIG_GUILD, viewerId: viewer(i), limit: PAGE, offset: offset(i) }) },
        { name: 'article', filtered: false, query: (i) => ({ scope: BIG_GUILD, viewerId: viewer(i), article: ARTICLES[0], limit: PAGE, offset: offset(i) }) },
        {
          name: 'article + paragraph',
          filtered: true,
          query: (i) => ({ scope: BIG_GUILD, viewerId: viewer(i), article: ARTICLES[0], paragraph: 1 + (i % PARAGRAPHS), limit: PAGE, offset: offset(i) }),
        },
        {
          name: 'article + author',
          filtered: true,
          query: (i) => ({ scope: BIG_GUILD, viewerId: viewer(i), article: ARTICLES[0], authorId: viewer(i + 1), limit: PAGE, offset: offset(i) }),
        },
        { name: 'author', filtered: true, query: (i) => ({ scope: BIG_GUILD, viewerId: viewer(i), authorId: viewer(i + 1), limit: PAGE, offset: offset(i) }) },
      ];
      const lists: ListTiming[] = [];
      const unfilteredTimes: number[] = [];
      const filteredTimes: number[] = [];
      for (const variant of variants) {
        let total = 0;
        const times = await time(MIN_TIMINGS, async (i) => {
          total = (await store.notes.list(variant.query(i))).total;
        });
        (variant.filtered ? filteredTimes : unfilteredTimes).push(...times);
        lists.push({ name: variant.name, filtered: variant.filtered, p50Ms: round(percentile(times, 50), 3), p99Ms: round(percentile(times, 99), 3), total });
      }

      // Each add goes to both stores in turn, so both meet the same moments of disk contention.
      const writes: number[] = [];
      const fullWrites: number[] = [];
      for (let i = 0; i < WARM_UP_QUESTIONS + MIN_TIMINGS; i += 1) {
        const added = { ...makeNote(next), scope: BIG_GUILD };
        const now = START + 90 * DAY_MS + i;
        const start = performance.now();
        await store.notes.add(added, now);
        const middle = performance.now();
        await full.notes.add(added, now);
        if (i >= WARM_UP_QUESTIONS) {
          writes.push(middle - start);
          fullWrites.push(performance.now() - middle);
        }
      }
      const worst = (filtered: boolean) => Math.max(...lists.filter((list) => list.filtered === filtered).map((list) => list.p99Ms));
      return {
        figures: {
          writeP99Ms: round(percentile(writes, 99), 3),
          writeP50Ms: round(median(writes), 3),
          listP99Ms: worst(false),
          listP50Ms: round(median(unfilteredTimes), 3),
          listFilteredP99Ms: worst(true),
          listFilteredP50Ms: round(median(filteredTimes), 3),
          bytesPer10kNotes,
          notes: NOTES,
        },
        lists,
        fullWriteP50Ms: round(median(fullWrites), 3),
        fullWriteP99Ms: round(percentile(fullWrites, 99), 3),
      };
    } finally {
      await store.close();
      await full.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchStore(): Promise<StoreFigures> {
  return (await benchStoreDetailed()).figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { figures, lists, fullWriteP50Ms, fullWriteP99Ms } = await benchStoreDetailed();
  console.log(`Store bench: SQLite, ${figures.notes.toLocaleString('en')} notes, ${Math.round(BIG_SHARE * 100)} % in one server\n`);
  console.log('| list page (10 notes, big server) | matching | p50 ms | p99 ms |');
  console.log('|---|---:|---:|---:|');
  for (const list of lists) console.log(`| ${list.name} | ${list.total.toLocaleString('en')} | ${list.p50Ms} | ${list.p99Ms} |`);
  console.log(`\n| figure | value |\n|---|---:|`);
  for (const [name, value] of Object.entries(figures)) console.log(`| ${name} | ${value} |`);
  console.log(`\nsynchronous = FULL instead of NORMAL, the same adds: p50 ${fullWriteP50Ms} ms, p99 ${fullWriteP99Ms} ms`);
}
