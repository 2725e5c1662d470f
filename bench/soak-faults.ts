/**
 * Faults and endings on the real bot: deferred answers edited all at once,
 * rate limits and a hanging request around an interaction's windows, a
 * SIGTERM with work in flight, and Discord closing the gateway for good.
 * Each returns what happened, for the soak's table.
 */
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { BotProcess, type LogLine } from '../tests/support/bot-process.ts';
import { FakeDiscord, makeUser, type RecordedCall, type SentInteraction } from '../tests/support/fake-discord.ts';
import { FaultyProxy } from '../tests/e2e/faulty-proxy.ts';
import { FateTracker } from './soak-tracker.ts';

const SLOW = 'SNAIL';
const question = (value: string) => [{ name: 'question', type: 3, value }];

/** A fake Discord, a proxy in front of it, and the bot behind both; closed by `close`. */
export async function faultyBot(): Promise<{ fake: FakeDiscord; proxy: FaultyProxy; bot: BotProcess; close(): Promise<void> }> {
  const fake = await FakeDiscord.start();
  const proxy = await FaultyProxy.start(fake.apiUrl);
  const bot = await BotProcess.start(fake, { DISCORD_API_URL: proxy.apiUrl, FOOTNOTE_FAULTS: `slow=${SLOW}` });
  return {
    fake,
    proxy,
    bot,
    async close() {
      bot.kill();
      await proxy.close();
      await fake.close();
    },
  };
}

export interface EditFigures {
  count: number;
  edited: number;
  /** From the first edit to the last. */
  spanMs: number;
  perSecond: number;
}

/** `count` slow answers, all deferred by the watchdog and all ready at about the same moment: how fast are they edited in? */
export async function editBurst(count: number): Promise<EditFigures> {
  const fake = await FakeDiscord.start();
  const bot = await BotProcess.start(fake, { FOOTNOTE_FAULTS: `slow=${SLOW}` });
  const tracker = new FateTracker(fake);
  try {
    await delay(1_000);
    const sent = Array.from({ length: count }, (_, i) => fake.sendSlash('ask', question(`${SLOW} Why are Russia and Iran not allies? ${i}`), { user: makeUser(`edit${i}`) }));
    for (const interaction of sent) void tracker.track(interaction);
    await tracker.settle(60_000);
  } finally {
    await tracker.stop();
    bot.kill();
    await fake.close();
  }
  const edits = tracker.fates.filter((fate) => fate.ackType === 5 && fate.final === 'answer').map((fate) => fate.sent.createdAt + (fate.finalMs as number));
  const spanMs = edits.length < 2 ? 0 : Math.max(...edits) - Math.min(...edits);
  return { count, edited: edits.length, spanMs, perSecond: spanMs === 0 ? Number.NaN : (edits.length - 1) / (spanMs / 1000) };
}

async function logFrom(bot: BotProcess, start: number, predicate: (line: LogLine) => boolean, timeoutMs: number): Promise<LogLine | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = bot.logs.slice(start).find(predicate);
    if (found) return found;
    await delay(20);
  }
  return undefined;
}

export interface FaultOutcome {
  /** ms from the interaction's creation to what the bot did about it. */
  ms: number;
  /** What the user ended up with. */
  user: string;
  /** Requests the fault's route saw for this interaction (1 = no retry). */
  attempts: number;
}

/** A 429 of `seconds` on the first response of a quick answer. */
export async function limitedCallback(fake: FakeDiscord, bot: BotProcess, seconds: number): Promise<FaultOutcome> {
  const start = bot.logs.length;
  let id = '';
  fake.failRoute((call) => id !== '' && call.route.includes(`/interactions/${id}/`), 429, 1, seconds);
  const sent = fake.sendSlash('why-not-allies', [], { user: makeUser(`limited${seconds}`) });
  id = sent.id;
  const failed = await logFrom(bot, start, (line) => line.msg === 'could not send the answer', seconds * 1000 + 5_000);
  await delay(Math.max(0, sent.createdAt + seconds * 1000 + 500 - Date.now()));
  const calls = fake.callsFor(sent);
  const answered = calls.some((call) => call.status < 300);
  return { ms: (failed ? Number(failed.time) : Date.now()) - sent.createdAt, user: answered ? 'answered' : 'not acknowledged (logged)', attempts: calls.length };
}

/** A 429 of `seconds` on the edit of a deferred (slow) answer. */
export async function limitedEdit(fake: FakeDiscord, seconds: number): Promise<FaultOutcome> {
  let token = '';
  const isEdit = (call: RecordedCall) => token !== '' && call.method === 'PATCH' && call.route.includes(`/${token}/messages/@original`);
  fake.failRoute(isEdit, 429, 1, seconds);
  const sent: SentInteraction = fake.sendSlash('ask', question(`${SLOW} Who is Velayati?`), { user: makeUser(`edit-limited${seconds}`) });
  token = sent.token;
  const final = await fake
    .waitFor(() => fake.callsFor(sent).find((call) => call.status < 300 && call.method !== 'DELETE' && (isEdit(call) || (call.method === 'POST' && call.route.endsWith(sent.token)))), Math.min(seconds, 60) * 1000 + 10_000, 'the answer or the apology')
    .catch(() => undefined);
  const body = final?.body as { embeds?: unknown[]; content?: string } | undefined;
  const user = !final ? 'thinking… for ever' : (body?.embeds?.length ?? 0) > 0 ? 'answer (edit)' : 'apology (follow-up)';
  return { ms: (final?.at ?? fake.now()) - sent.createdAt, user, attempts: fake.callsFor(sent).filter(isEdit).length };
}

/** A first response that never gets a reply (the proxy holds it). */
export async function hangingCallback(fake: FakeDiscord, proxy: FaultyProxy, bot: BotProcess): Promise<FaultOutcome> {
  const start = bot.logs.length;
  proxy.fail(/^POST \/api\/v10\/interactions\/\d+\/[^/]+\/callback$/, 'hang');
  const sent = fake.sendSlash('why-not-allies', [], { user: makeUser('hanging') });
  const failed = await logFrom(bot, start, (line) => line.msg === 'could not send the answer', 20_000);
  // Long enough to see a retry after discord.js's own 15 s timeout, had there been one.
  await delay(Math.max(0, sent.createdAt + 16_000 - Date.now()));
  const attempts = proxy.calls.filter((call) => call.path.includes(`/interactions/${sent.id}/`)).length;
  return { ms: (failed ? Number(failed.time) : Date.now()) - sent.createdAt, user: 'not acknowledged (logged)', attempts };
}

/** A reply Discord took, with a body that is not JSON: counted as answered or as a failure? */
export async function garbledReply(fake: FakeDiscord, proxy: FaultyProxy, bot: BotProcess): Promise<string> {
  const start = bot.logs.length;
  proxy.fail(/^POST \/api\/v10\/interactions\/\d+\/[^/]+\/callback$/, 'garble');
  fake.sendSlash('why-not-allies', [], { user: makeUser('garbled') });
  const handled = await logFrom(bot, start, (line) => line.msg === 'handled', 5_000);
  return String(handled?.outcome ?? 'no log line');
}

export interface DrainFigures {
  inFlight: number;
  /** Deferred within 500 ms of the signal. */
  acked: number;
  answered: number;
  told: number;
  lost: number;
  exitCode: number | null;
  exitMs: number;
}

/** `count` slow interactions in flight, then SIGTERM after `afterMs`. */
export async function drain(count: number, afterMs: number): Promise<DrainFigures> {
  const fake = await FakeDiscord.start();
  const bot = await BotProcess.start(fake, { FOOTNOTE_FAULTS: `slow=${SLOW}` });
  try {
    const sent = Array.from({ length: count }, (_, i) => fake.sendSlash('ask', question(`${SLOW} Why did Iran refuse the oil freeze? ${i}`), { user: makeUser(`drain${i}`) }));
    await delay(afterMs);
    const signalledAt = fake.now();
    const { code, ms } = await bot.signal('SIGTERM');
    let acked = 0;
    let answered = 0;
    let told = 0;
    for (const interaction of sent) {
      const calls = fake.callsFor(interaction).filter((call) => call.status < 300);
      if (calls[0] && calls[0].at - signalledAt < 500) acked++;
      const final = calls.slice(1).find((call) => call.method === 'PATCH' || call.method === 'POST')?.body as { embeds?: unknown[]; content?: string } | undefined;
      if ((final?.embeds?.length ?? 0) > 0) answered++;
      else if (final?.content?.includes('restarting')) told++;
    }
    return { inFlight: count, acked, answered, told, lost: count - answered - told, exitCode: code, exitMs: ms };
  } finally {
    bot.kill();
    await fake.close();
  }
}

export interface FatalFigures {
  code: number;
  exitCode: number | null;
  exitMs: number;
  fatalLines: number;
  tokenLeaked: boolean;
  reconnected: boolean;
}

/** Discord closes the gateway with `code` after READY. */
export async function fatalClose(code: number): Promise<FatalFigures> {
  const fake = await FakeDiscord.start();
  const bot = await BotProcess.start(fake);
  try {
    const exited = once(bot.child, 'exit');
    const closedAt = Date.now();
    fake.dropGateway(code);
    const [exitCode] = (await Promise.race([exited, delay(10_000).then(() => [null])])) as [number | null];
    return {
      code,
      exitCode,
      exitMs: Date.now() - closedAt,
      fatalLines: bot.logs.filter((line) => line.level === 60).length,
      tokenLeaked: bot.output.includes(bot.token),
      reconnected: fake.identifies > 1,
    };
  } finally {
    bot.kill();
    await fake.close();
  }
}
