/**
 * npm run soak [-- --bursts 1500,3000,5000,8000] [--users 60000] [--only burst,edits,limits,drain,fatal,memory,flood,gateways,replay,outage]
 *
 * The real bot (src/main.ts, as `npm start` runs it) against the loopback
 * fake Discord, which refuses a second first response (40060) and one more
 * than 3 s after the interaction (10062) as Discord does: overload bursts,
 * deferred answers edited at once, rate limits and a hanging request around
 * an interaction's windows, SIGTERM with work in flight, Discord closing the
 * gateway for good, and memory over many distinct users; and the hostile
 * probe's cases: one member's flood, two gateway processes on one token, a
 * replayed signed request, and the shared Postgres out of reach (with
 * FOOTNOTE_TEST_DATABASE_URL, as `bash .ci/with-postgres npm run soak` sets).
 * Each scenario gets a fresh bot. Prints a Markdown table (what was tried, how many, what held,
 * what was lost) on stdout, progress on stderr.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FakeDiscord } from '../tests/support/fake-discord.ts';
import { SOURCE_ENTRY, stopChild } from '../tests/support/bot-process.ts';
import { startBot } from './bot-process.ts';
import { describeMachine } from './machine.ts';
import { burst, steady } from './soak-load.ts';
import { memberFlood, outage, replays, twoGateways } from './soak-hostile.ts';
import { drain, editBurst, faultyBot, fatalClose, garbledReply, hangingCallback, limitedCallback, limitedEdit } from './soak-faults.ts';

const ROOT = join(import.meta.dirname, '..');
const SCENARIOS = ['burst', 'edits', 'limits', 'drain', 'fatal', 'memory', 'flood', 'gateways', 'replay', 'outage'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Row {
  tried: string;
  count: string;
  held: string;
  lost: string;
}

const n = (value: number, decimals = 0) => (Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }) : '—');
const s = (ms: number) => `${n(ms / 1000, 1)} s`;
const pct = (part: number, whole: number) => `${n((100 * part) / whole, 1)} %`;
const log = (text: string) => process.stderr.write(`soak: ${text}\n`);

function questions(): string[] {
  const file = join(ROOT, 'tests', 'fixtures', 'article-questions.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { question: string }[]).map((entry) => entry.question);
}

/** A fresh fake and bot for one scenario. */
async function withBot<T>(run: (fake: FakeDiscord, pid: number) => Promise<T>): Promise<T> {
  const fake = await FakeDiscord.start();
  try {
    const bot = await startBot(ROOT, fake, [], SOURCE_ENTRY);
    try {
      // The first answers pay for the JIT; the load starts once the bot is warm.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return await run(fake, bot.child.pid as number);
    } finally {
      await stopChild(bot.child);
    }
  } finally {
    await fake.close();
  }
}

async function bursts(sizes: readonly number[], asked: readonly string[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of sizes) {
    log(`burst of ${size}`);
    const figures = await withBot((fake) => burst(fake, asked, size, 300, 60_000));
    rows.push({
      tried: `burst: ${n(size)} /ask from ${n(size)} users within 0.3 s`,
      count: n(size),
      held: `${n(figures.acked)} (${pct(figures.acked, size)}) acknowledged within 3 s (p50 ${n(figures.ackP50)} ms, p99 ${n(figures.ackP99)} ms); of those ${n(figures.answered)} answered and ${n(figures.apologised)} apologised for, the last after ${s(figures.lastFinalMs)}; ${n(figures.outOfOrder)} answers out of arrival order`,
      lost: `${n(size - figures.acked)} never acknowledged; ${n(figures.silent)} left at "thinking…"`,
    });
  }
  return rows;
}

async function edits(count: number): Promise<Row> {
  log(`${count} deferred answers edited at once`);
  const figures = await editBurst(count);
  return {
    tried: `${n(count)} slow answers (1.5 s), deferred at 1 s, then edited in at once`,
    count: n(count),
    held: `${n(figures.edited)} edited within ${n(figures.spanMs)} ms of the first (${n(figures.perSecond)} edits/s; the bot's global bucket allows 50/s)`,
    lost: n(count - figures.edited),
  };
}

async function limits(): Promise<Row[]> {
  log('rate limits and hanging requests');
  const setup = await faultyBot();
  try {
    const callback = await limitedCallback(setup.fake, setup.bot, 4);
    const waited = await limitedEdit(setup.fake, 30);
    const beyond = await limitedEdit(setup.fake, 1_000);
    const hang = await hangingCallback(setup.fake, setup.proxy, setup.bot);
    const garbled = await garbledReply(setup.fake, setup.proxy, setup.bot);
    return [
      {
        tried: '429 with Retry-After 4 s on a first response (its window is 3 s)',
        count: '1',
        held: `given up after ${n(callback.ms)} ms instead of waiting 4 s; ${n(callback.attempts)} request; logged with the wait and route`,
        lost: `the interaction: ${callback.user}`,
      },
      {
        tried: '429 with Retry-After 30 s on the edit of a deferred answer (the token lives 15 min)',
        count: '1',
        held: `${waited.user} after ${s(waited.ms)}`,
        lost: waited.user.startsWith('answer') ? '—' : waited.user,
      },
      {
        tried: '429 with Retry-After 1,000 s on an edit (past the token’s 15 min)',
        count: '1',
        held: `given up at once: ${beyond.user} after ${n(beyond.ms)} ms`,
        lost: 'the answer (apologised for, with an error id)',
      },
      {
        tried: 'a first response that hangs (no reply ever)',
        count: '1',
        held: `given up ${n(hang.ms)} ms after the interaction was created; ${n(hang.attempts)} request in 16 s (no retry after discord.js’s 15 s timeout)`,
        lost: `the interaction: ${hang.user}`,
      },
      { tried: 'a 200 whose body is not JSON, on a first response', count: '1', held: `logged as “${garbled}” with a warning`, lost: '—' },
    ];
  } finally {
    await setup.close();
  }
}

async function drains(): Promise<Row> {
  log('SIGTERM with slow handlers in flight');
  const figures = await drain(18, 300);
  return {
    tried: 'SIGTERM 0.3 s into 18 slow (1.5 s) handlers',
    count: '18',
    held: `${n(figures.acked)} deferred within 0.5 s of the signal; ${n(figures.answered)} answered, ${n(figures.told)} told the bot is restarting; exit ${String(figures.exitCode)} after ${n(figures.exitMs)} ms`,
    lost: n(figures.lost),
  };
}

async function fatals(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const code of [4004, 4014]) {
    log(`gateway closed with ${code}`);
    const figures = await fatalClose(code);
    rows.push({
      tried: `gateway closed with ${code} after READY`,
      count: '1',
      held: `exit ${String(figures.exitCode)} after ${n(figures.exitMs)} ms; ${n(figures.fatalLines)} fatal log line; token in the output: ${figures.tokenLeaked ? 'yes' : 'no'}; reconnected: ${figures.reconnected ? 'yes' : 'no'}`,
      lost: '—',
    });
  }
  return rows;
}

async function memory(users: number, asked: readonly string[]): Promise<Row> {
  const checkpoints = [users / 3, (2 * users) / 3, users].map(Math.round);
  log(`${users} distinct users`);
  const figures = await withBot((fake, pid) => steady(fake, pid, asked, users, 32, checkpoints, (done) => log(`  ${done} users`)));
  // Flat means from the first checkpoint on: the idle figure is before the first answers warm anything up.
  const [, first, ...rest] = figures.rss;
  const last = rest.at(-1);
  const change = first && last ? (100 * (last.mb - first.mb)) / first.mb : Number.NaN;
  return {
    tried: `${n(users)} distinct users asking once each, 32 in flight`,
    count: n(users),
    held: `RSS ${figures.rss.map((point) => `${n(point.mb)} MB at ${n(point.users)}`).join(', ')} users (${change >= 0 ? '+' : ''}${n(change, 1)} % from ${n(first?.users ?? 0)} to ${n(last?.users ?? 0)}); ${n(figures.answersPerSecond)} answers/s, p50 ${n(figures.p50)} ms, p99 ${n(figures.p99)} ms; ${n(figures.deferred)} deferred`,
    lost: n(figures.lost),
  };
}

async function hostile(only: ReadonlySet<Scenario>): Promise<Row[]> {
  const rows: Row[] = [];
  if (only.has('flood')) {
    log('one member sends 20,000 /note add in 0.6 s');
    const f = await memberFlood(20_000, 60_000);
    rows.push({
      tried: `one member: ${n(f.floodSent)} /note add within 0.6 s, while ${n(f.othersSent)} others ask once each`,
      count: n(f.floodSent + f.othersSent),
      held: `the member: ${n(f.floodAnswered)} answered, ${n(f.floodNotices)} told to slow down, ${n(f.floodDropped)} dropped unanswered; others: ${n(f.othersAnswered)} of ${n(f.othersSent)} answered; RSS ${n(f.rssBeforeMb)} MB before, ${n(f.rssPeakMb)} MB at the peak, ${n(f.rssAfterMb)} MB 60 s after; ${n(f.logLines)} log lines`,
      lost: `${n(f.othersSent - f.othersAnswered)} of the others`,
    });
  }
  if (only.has('gateways')) {
    log('two gateway processes on one token and store');
    const g = await twoGateways(20);
    rows.push({
      tried: 'two bot processes on one token and store; 20 /note add; then the first is killed (SIGKILL)',
      count: '20',
      held: `${n(g.notes)} notes stored; handled by the first ${n(g.handledByFirst)}, by the second (standing by) ${n(g.handledBySecond)}; the second connected ${n(g.takeoverMs)} ms after the kill`,
      lost: n(20 - g.notes),
    });
  }
  if (only.has('replay')) {
    log('a signed request replayed to two workers');
    const r = await replays(5);
    rows.push({
      tried: 'one signed /note add sent 5 times, alternately to two HTTP workers sharing a store',
      count: '5',
      held: `HTTP ${r.statuses.join(', ')}; ${n(r.notes)} note made`,
      lost: '—',
    });
  }
  if (only.has('outage')) {
    const url = process.env.FOOTNOTE_TEST_DATABASE_URL;
    if (!url) {
      log('outage: skipped (no FOOTNOTE_TEST_DATABASE_URL; run with bash .ci/with-postgres)');
    } else {
      log('the shared Postgres out of reach for 15 s');
      const o = await outage(url, 15_000);
      rows.push({
        tried: 'an HTTP worker’s Postgres out of reach for 15 s (the line cut) while members add, list and score',
        count: n(o.requests),
        held: `${n(o.plain)} told plainly the database cannot be reached; ${n(o.questionsAnswered)} questions answered meanwhile; ${n(o.warnings)} warning lines; /healthz ${o.healthDuring} during, ${o.healthAfter} after; recovered by itself: ${o.recovered ? 'yes' : 'no'}`,
        lost: n(o.requests - o.plain),
      });
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      bursts: { type: 'string', default: '1500,3000,5000,8000' },
      users: { type: 'string', default: '60000' },
      only: { type: 'string', default: SCENARIOS.join(',') },
    },
  });
  const only = new Set(values.only.split(',').map((name) => name.trim()) as Scenario[]);
  const sizes = values.bursts.split(',').map(Number);
  const users = Number(values.users);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1) || !Number.isInteger(users) || users < 3) throw new Error('--bursts takes whole numbers, --users a whole number of at least 3');
  const machine = describeMachine(ROOT);
  const asked = questions();
  const rows: Row[] = [];
  if (only.has('burst')) rows.push(...(await bursts(sizes, asked)));
  if (only.has('edits')) rows.push(await edits(250));
  if (only.has('limits')) rows.push(...(await limits()));
  if (only.has('drain')) rows.push(await drains());
  if (only.has('fatal')) rows.push(...(await fatals()));
  if (only.has('memory')) rows.push(await memory(users, asked));
  rows.push(...(await hostile(only)));
  console.log(`Measured on ${new Date().toISOString().slice(0, 10)}, ${machine.cpu} (${machine.cores} cores), Node ${machine.node}, code ${machine.revision}; load average ${n(machine.load_at_start, 2)} at the start, ${n(loadavg()[0] ?? 0, 2)} at the end.\n`);
  console.log('| what was tried | how many | what held | what was lost |');
  console.log('| --- | ---: | --- | --- |');
  for (const row of rows) console.log(`| ${row.tried} | ${row.count} | ${row.held} | ${row.lost} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
