/**
 * The bot end to end: the real process against the loopback fake Discord.
 * Each run spawns the bot (cold start), reads its RSS once logged in, sends
 * slash /ask interactions one at a time (latency from INTERACTION_CREATE sent
 * to callback received), then the same number with several in flight
 * (answers per second), reads RSS again and stops it.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { median, percentile, round } from '../eval/stats.ts';
import { FakeDiscord, makeUser, type FakeUser } from '../tests/support/fake-discord.ts';
import { stopChild } from '../tests/support/bot-process.ts';
import { cpuTimeMs, residentMb, startBot } from './bot-process.ts';
import { CallbackTracker, type Callback } from './callbacks.ts';
import type { EndToEndFigures } from './report.ts';

export interface EndToEndOptions {
  root: string;
  questions: readonly string[];
  runs: number;
  interactions: number;
  concurrency: number;
  /** Extra Node flags for the bot process, e.g. to profile it. */
  botNodeArgs?: readonly string[];
  /** How the bot is started (see tests/support/bot-process.ts). */
  entry: readonly string[];
}

/** Untimed interactions after login, so the bot's first-use JIT work is not counted. */
const WARM_UP = 50;
/** Requests per user stay under the bot's cooldown (5 per 10 s), so every interaction is a real answer. */
const PER_USER = 4;
const CALLBACK_TIMEOUT_MS = 5_000;
/** A hard stop for one run's load, whatever happens. */
const RUN_DEADLINE_MS = 120_000;
/** Quiet time before reading RSS, so it is the resting size and not a collection in progress. */
const SETTLE_MS = 1_000;

class Load {
  private sent = 0;
  private readonly users: FakeUser[] = [];

  constructor(
    private readonly fake: FakeDiscord,
    private readonly tracker: CallbackTracker,
    private readonly questions: readonly string[],
  ) {}

  /** Sends one /ask and resolves with its latency in ms and its callback. */
  async ask(): Promise<{ ms: number; callback: Callback }> {
    const n = this.sent++;
    if (n % PER_USER === 0) this.users.push(makeUser(`student${this.users.length}`));
    const user = this.users.at(-1) as FakeUser;
    const question = this.questions[n % this.questions.length] as string;
    const start = performance.now();
    const { id } = this.fake.sendSlash('ask', [{ name: 'question', type: 3, value: question }], { user });
    const callback = await this.tracker.expect(id, CALLBACK_TIMEOUT_MS);
    return { ms: callback.at - start, callback };
  }
}

interface RunFigures {
  coldStartMs: number;
  p50: number;
  p99: number;
  answersPerSecond: number;
  botCpuMsPerAnswer: number | null;
  rssIdle: number | null;
  rssAfter: number | null;
  refused: number;
}

/** Not an answer: neither an answer embed nor a deferral (a cooldown or error notice, say). */
const isRefusal = (callback: Callback) => !((callback.type === 4 && callback.embeds > 0) || callback.type === 5);

async function runOnce(options: EndToEndOptions): Promise<RunFigures> {
  const fake = await FakeDiscord.start();
  try {
    const bot = await startBot(options.root, fake, options.botNodeArgs ?? [], options.entry);
    const pid = bot.child.pid as number;
    const tracker = new CallbackTracker(fake, RUN_DEADLINE_MS);
    try {
      await delay(SETTLE_MS);
      const rssIdle = residentMb(pid);
      const load = new Load(fake, tracker, options.questions);
      for (let i = 0; i < WARM_UP; i++) await load.ask();

      const sequential: number[] = [];
      let refused = 0;
      for (let i = 0; i < options.interactions; i++) {
        const { ms, callback } = await load.ask();
        sequential.push(ms);
        if (isRefusal(callback)) refused++;
      }

      const cpuBefore = cpuTimeMs(pid);
      const burstStart = performance.now();
      let left = options.interactions;
      const worker = async () => {
        while (left > 0) {
          left--;
          if (isRefusal((await load.ask()).callback)) refused++;
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, worker));
      const answersPerSecond = options.interactions / ((performance.now() - burstStart) / 1000);
      const cpuAfter = cpuTimeMs(pid);
      const botCpuMsPerAnswer = cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / options.interactions;

      await delay(SETTLE_MS);
      const rssAfter = residentMb(pid);
      return { coldStartMs: bot.coldStartMs, p50: percentile(sequential, 50), p99: percentile(sequential, 99), answersPerSecond, botCpuMsPerAnswer, rssIdle, rssAfter, refused };
    } finally {
      const tracked = tracker.stop();
      await stopChild(bot.child);
      await tracked;
    }
  } finally {
    await fake.close();
  }
}

const medianOf = (values: (number | null)[]) => {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? Number.NaN : median(known);
};

export async function benchEndToEnd(options: EndToEndOptions, progress: (run: number) => void = () => {}): Promise<EndToEndFigures> {
  const runs: RunFigures[] = [];
  for (let run = 0; run < options.runs; run++) {
    progress(run + 1);
    runs.push(await runOnce(options));
  }
  const refused = runs.reduce((sum, run) => sum + run.refused, 0);
  if (refused > 0) throw new Error(`${refused} interactions were refused or not answered; the figures would not be answers`);
  return {
    interactions: options.interactions,
    p50_ms: round(medianOf(runs.map((run) => run.p50)), 2),
    p99_ms: round(medianOf(runs.map((run) => run.p99)), 2),
    answers_per_s: round(medianOf(runs.map((run) => run.answersPerSecond)), 0),
    concurrency: options.concurrency,
    bot_cpu_ms_per_answer: round(medianOf(runs.map((run) => run.botCpuMsPerAnswer)), 3),
    rss_idle_mb: round(medianOf(runs.map((run) => run.rssIdle)), 1),
    rss_after_load_mb: round(medianOf(runs.map((run) => run.rssAfter)), 1),
    cold_start_ms: round(medianOf(runs.map((run) => run.coldStartMs)), 0),
  };
}
