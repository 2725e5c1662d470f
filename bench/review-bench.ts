/**
 * Review cost at scale: a temporary SQLite store holding 100,000 cards (20
 * members × 5,000, the most a deck holds) and their grades, and the bot's own
 * handlers timed: /review next, Show answer, a grade, /review stats; then one
 * reminder look with 1,000 reminders due (claim, count the due cards, send to
 * a messenger that only counts).
 *
 * Run alone with `npx tsx bench/review-bench.ts`, or `npm run bench -- --review`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { percentile, round } from '../eval/stats.ts';
import { loadApp } from '../src/app.ts';
import { NO_PERMISSIONS, type Clock, type Invoker } from '../src/commands/types.ts';
import type { Reply, ReplyAction } from '../src/reply/reply.ts';
import { ReminderRunner } from '../src/review/reminders.ts';
import { newSchedule } from '../src/review/schedule.ts';
import { SqliteStore } from '../src/store/sqlite.ts';
import type { NewReviewCard } from '../src/store/types.ts';

const ROOT = path.join(import.meta.dirname, '..');
const MEMBERS = 20;
const CARDS = 5_000;
const TIMED = 500;
const REMINDERS = 1_000;
const GUILD = 'bench-guild';
const START = Date.UTC(2026, 0, 5, 7);

function member(index: number): Invoker {
  return { userId: `member-${index}`, displayName: `member ${index}`, guildId: GUILD, channelId: 'bench', inThread: false, permissions: NO_PERMISSIONS };
}

export interface ReviewFigures {
  cards: number;
  rows: { what: string; p50: number; p99: number }[];
  reminderLookMs: number;
  remindersSent: number;
}

async function timed(what: string, run: (index: number) => Promise<unknown>): Promise<{ what: string; p50: number; p99: number }> {
  const samples: number[] = [];
  for (let index = 0; index < TIMED; index += 1) {
    const started = performance.now();
    await run(index);
    samples.push(performance.now() - started);
  }
  return { what, p50: round(percentile(samples, 50), 3), p99: round(percentile(samples, 99), 3) };
}

export async function benchReview(): Promise<ReviewFigures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'footnote-review-bench-'));
  const store = new SqliteStore(dir);
  let now = START;
  const clock: Clock = { now: () => now };
  try {
    const app = await loadApp(path.join(ROOT, 'corpus'), { store, clock });
    const article = app.context.library.mainArticle.slug;
    for (let index = 0; index < MEMBERS; index += 1) {
      const cards: NewReviewCard[] = Array.from({ length: CARDS }, (_, card) => ({
        scope: `guild:${GUILD}`,
        userId: member(index).userId,
        kind: 'sentence',
        sourceKey: `sentence:${article}:${card}`,
        article,
        paragraph: 1 + (card % 11),
        front: `Card ${card}: what fills the blank?`,
        back: 'Moscow',
        sentence: 'Moscow and Tehran have, as is well known, been working together to support the Assad regime in Syria.',
        ...newSchedule(START - card * 60_000),
        reps: 0,
      }));
      await store.reviews.add(cards, CARDS, START);
    }
    const review = app.commands.find((command) => command.definition.name === 'review');
    if (!review) throw new Error('no /review command');
    const press = (action: ReplyAction | undefined, invoker: Invoker): Promise<Reply> => {
      const component = action && app.components.forAction(action);
      if (!action || !component) throw new Error('no button to press');
      return Promise.resolve(component.handle(action, { invoker }, app.context));
    };
    const first = await review.handle({ subcommand: 'next', options: {}, invoker: member(0) }, app.context);
    const rows = [
      await timed('/review next', (index) => Promise.resolve(review.handle({ subcommand: 'next', options: {}, invoker: member(index % MEMBERS) }, app.context))),
      await timed('Show answer', () => press(first.actions[0], member(0))),
      await timed('a whole card: next, Show answer, Good (durable)', async (index) => {
        const front = await review.handle({ subcommand: 'next', options: {}, invoker: member(1) }, app.context);
        const back = await press(front.actions[0], member(1));
        now += index;
        await press(back.actions.find((action) => action.grade === 'good'), member(1));
      }),
      await timed('/review stats', (index) => Promise.resolve(review.handle({ subcommand: 'stats', options: {}, invoker: member(index % MEMBERS) }, app.context))),
    ];
    for (let index = 0; index < REMINDERS; index += 1) {
      const userId = index < MEMBERS ? member(index).userId : `reminded-${index}`;
      await store.reviews.setReminder({ userId, at: '08:00', timeZone: 'Europe/Berlin', nextAt: START });
    }
    let sent = 0;
    const runner = new ReminderRunner({ context: app.context, messenger: { sendDirect: async () => ((sent += 1), 'sent') } });
    const started = performance.now();
    // One look handles 50 and wakes the runner again at once while more are due.
    runner.start();
    while ((await store.reviews.dueReminders(now, 1)).length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await runner.stop();
    return { cards: MEMBERS * CARDS, rows, reminderLookMs: round(performance.now() - started, 1), remindersSent: sent };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatReviewFigures(figures: ReviewFigures): string {
  return [
    `${figures.cards.toLocaleString('en')} cards in the store, ${TIMED} of each:`,
    '',
    '| what | p50 ms | p99 ms |',
    '| --- | ---: | ---: |',
    ...figures.rows.map((row) => `| ${row.what} | ${row.p50} | ${row.p99} |`),
    '',
    `${REMINDERS.toLocaleString('en')} reminders due at once: ${figures.reminderLookMs} ms to claim them all and send ${figures.remindersSent} (members with cards due).`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatReviewFigures(await benchReview()));
}
