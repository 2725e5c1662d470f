/**
 * Load on the real bot: a burst (as a raid, or a class all asking at once
 * would send) and a steady stream from many distinct users (to watch memory).
 */
import { percentile } from '../eval/stats.ts';
import { makeUser, type FakeDiscord } from '../tests/support/fake-discord.ts';
import { residentMb } from './bot-process.ts';
import { FateTracker, type Fate } from './soak-tracker.ts';

/** Discord refuses a first response later than this. */
const ACK_DEADLINE_MS = 3_000;

export interface BurstFigures {
  sent: number;
  /** Acknowledged (answer or deferral) within 3 s of creation. */
  acked: number;
  /** Acknowledged, then answered with an embed within `settleMs`. */
  answered: number;
  /** Acknowledged, then given a notice (an apology) within `settleMs`. */
  apologised: number;
  /** Acknowledged but left at "thinking…". */
  silent: number;
  ackP50: number;
  ackP99: number;
  finalP99: number;
  lastFinalMs: number;
  /** Answers that came more than 100 ms before the answer to an interaction sent earlier. */
  outOfOrder: number;
}

const BATCHES = 30;

/** `count` /ask interactions from distinct users within `spreadMs`; waits up to `settleMs` for every answer. */
export async function burst(fake: FakeDiscord, questions: readonly string[], count: number, spreadMs: number, settleMs: number): Promise<BurstFigures> {
  const tracker = new FateTracker(fake);
  const perBatch = Math.ceil(count / BATCHES);
  let sent = 0;
  const started = Date.now();
  for (let batch = 0; batch < BATCHES && sent < count; batch++) {
    for (let i = 0; i < perBatch && sent < count; i++, sent++) {
      void tracker.track(fake.sendSlash('ask', [{ name: 'question', type: 3, value: questions[sent % questions.length] as string }], { user: makeUser(`burst${sent}`) }));
    }
    await new Promise((resolve) => setTimeout(resolve, started + ((batch + 1) * spreadMs) / BATCHES - Date.now()));
  }
  await tracker.settle(settleMs);
  await tracker.stop();
  return burstFigures(tracker.fates, settleMs);
}

function burstFigures(fates: readonly Fate[], settleMs: number): BurstFigures {
  const acked = fates.filter((fate) => fate.ackMs !== undefined && fate.ackMs <= ACK_DEADLINE_MS);
  const settled = acked.filter((fate) => fate.finalMs !== undefined && fate.finalMs <= settleMs);
  const finals = settled.map((fate) => fate.finalMs as number);
  let latest = -Infinity;
  let outOfOrder = 0;
  for (const fate of fates) {
    if (fate.finalMs === undefined) continue;
    const at = fate.sent.createdAt + fate.finalMs;
    if (at < latest - 100) outOfOrder++;
    latest = Math.max(latest, at);
  }
  return {
    sent: fates.length,
    acked: acked.length,
    answered: settled.filter((fate) => fate.final === 'answer').length,
    apologised: settled.filter((fate) => fate.final === 'notice').length,
    silent: acked.length - settled.length,
    ackP50: percentile(acked.map((fate) => fate.ackMs as number), 50),
    ackP99: percentile(acked.map((fate) => fate.ackMs as number), 99),
    finalP99: percentile(finals, 99),
    lastFinalMs: finals.length === 0 ? Number.NaN : Math.max(...finals),
    outOfOrder,
  };
}

export interface SteadyFigures {
  users: number;
  answersPerSecond: number;
  /** Creation to final message. */
  p50: number;
  p99: number;
  answered: number;
  deferred: number;
  lost: number;
  /** The bot's resident memory (MB) before the load (0 users) and after each checkpoint's number of distinct users. */
  rss: { users: number; mb: number }[];
}

/** An interaction with no final message this long after it was sent counts as lost. */
const LOST_AFTER_MS = 30_000;
/** RSS is sampled over the last this many interactions before a checkpoint. */
const RSS_WINDOW = 2_000;

/**
 * `users` distinct users each asking once, `concurrency` in flight; the bot's
 * RSS is read at each checkpoint (median of samples over the last stretch,
 * so one garbage collection does not decide it).
 */
export async function steady(fake: FakeDiscord, pid: number, questions: readonly string[], users: number, concurrency: number, checkpoints: readonly number[], progress: (done: number) => void): Promise<SteadyFigures> {
  const tracker = new FateTracker(fake);
  const latencies: number[] = [];
  const rss: { users: number; mb: number }[] = [];
  let samples: number[] = [];
  let next = 0;
  let answered = 0;
  let deferred = 0;
  let lost = 0;
  rss.push({ users: 0, mb: residentMb(pid) ?? Number.NaN });
  const sampler = setInterval(() => {
    const mb = residentMb(pid);
    if (mb !== null) samples.push(mb);
  }, 250);
  const started = performance.now();
  const worker = async () => {
    while (next < users) {
      const n = next++;
      let timer: NodeJS.Timeout | undefined;
      const fate = await Promise.race([
        tracker.track(fake.sendSlash('ask', [{ name: 'question', type: 3, value: questions[n % questions.length] as string }], { user: makeUser(`user${n}`) })),
        new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), LOST_AFTER_MS))),
      ]);
      clearTimeout(timer);
      if (fate?.final === 'answer' && fate.finalMs !== undefined) {
        answered++;
        latencies.push(fate.finalMs);
        if (fate.ackType === 5) deferred++;
      } else {
        lost++;
      }
      const done = answered + lost;
      if (checkpoints.includes(done + RSS_WINDOW)) samples = [];
      if (checkpoints.includes(done)) {
        rss.push({ users: done, mb: percentile(samples, 50) });
        samples = [];
      }
      if (done % 5_000 === 0) progress(done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  await tracker.stop();
  return { users, answersPerSecond: users / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), answered, deferred, lost, rss };
}

export interface FloodFigures {
  /** Interactions the one member sent, and how many of them were answered, told to slow down, or dropped unanswered. */
  floodSent: number;
  floodAnswered: number;
  floodNotices: number;
  floodDropped: number;
  /** Everyone else, asking during the flood. */
  othersSent: number;
  othersAnswered: number;
  /** The bot's resident memory before, at the highest sample during, and `afterMs` after the flood. */
  rssBeforeMb: number;
  rssPeakMb: number;
  rssAfterMb: number;
  /** Log lines the bot wrote from the flood's start to the end of the measurement. */
  logLines: number;
}

/**
 * One member sends `count` /note add within `spreadMs` while `others`
 * distinct members ask a question each; the bot's RSS is sampled every
 * 100 ms and read again `afterMs` after everyone else was answered.
 */
export async function flood(fake: FakeDiscord, bot: { pid: number; logLines: () => number }, count: number, spreadMs: number, others: number, afterMs: number): Promise<FloodFigures> {
  const rss = () => residentMb(bot.pid) ?? 0;
  const rssBeforeMb = rss();
  const linesBefore = bot.logLines();
  let rssPeakMb = rssBeforeMb;
  const sampler = setInterval(() => (rssPeakMb = Math.max(rssPeakMb, rss())), 100);
  const tracker = new FateTracker(fake);
  const spammer = makeUser('flooder');
  const calm = new Set<string>();
  const answeredOthers: Promise<Fate>[] = [];
  const everyOther = Math.max(1, Math.floor(count / Math.max(1, others)));
  const started = Date.now();
  for (let batch = 0, sent = 0; batch < BATCHES && sent < count; batch++) {
    for (let i = 0; i < Math.ceil(count / BATCHES) && sent < count; i++, sent++) {
      const note = [{ name: 'add', type: 1, options: [{ name: 'paragraph', type: 4, value: 2 }, { name: 'text', type: 3, value: `flood ${sent}` }] }];
      void tracker.track(fake.sendSlash('note', note as never, { user: spammer }));
      if (sent % everyOther === 0 && calm.size < others) {
        const asked = fake.sendSlash('ask', [{ name: 'question', type: 3, value: 'Who is Velayati?' }], { user: makeUser(`calm${calm.size}`) });
        calm.add(asked.id);
        answeredOthers.push(tracker.track(asked));
      }
    }
    await new Promise((resolve) => setTimeout(resolve, started + ((batch + 1) * spreadMs) / BATCHES - Date.now()));
  }
  // Dropped interactions never settle: wait for everyone else's answers, then a little for the flood's last notices.
  await Promise.race([Promise.all(answeredOthers), new Promise((resolve) => setTimeout(resolve, 30_000))]);
  await tracker.settle(2_000);
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  clearInterval(sampler);
  const rssAfterMb = rss();
  await tracker.stop();
  const flooded = tracker.fates.filter((fate) => !calm.has(fate.sent.id));
  const calmFates = tracker.fates.filter((fate) => calm.has(fate.sent.id));
  return {
    floodSent: flooded.length,
    floodAnswered: flooded.filter((fate) => fate.final === 'answer').length,
    floodNotices: flooded.filter((fate) => fate.final === 'notice').length,
    floodDropped: flooded.filter((fate) => fate.final === undefined).length,
    othersSent: calmFates.length,
    othersAnswered: calmFates.filter((fate) => fate.final === 'answer').length,
    rssBeforeMb: Math.round(rssBeforeMb),
    rssPeakMb: Math.round(rssPeakMb),
    rssAfterMb: Math.round(rssAfterMb),
    logLines: bot.logLines() - linesBefore,
  };
}
