/** The adapter's small parts: cooldown, autocomplete choices, deferral timing, fault hook, log hygiene, stopping, the intake, an interaction's windows, failure messages, the token setting. */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOCAL_INVOKER } from '../src/commands/types.ts';
import { Cooldown, slowDownText } from '../src/discord/api/cooldown.ts';
import { faultsFrom, InjectedFault } from '../src/discord/api/faults.ts';
import { stopAndExit } from '../src/lifecycle.ts';
import { sanitizeChoices } from '../src/discord/api/choices.ts';
import { deferAt } from '../src/discord/gateway/watchdog.ts';
import { Client, RateLimitError } from 'discord.js';
import { cacheLimits, sweepDmChannels } from '../src/discord/gateway/caches.ts';
import { readConfig } from '../src/config.ts';
import { callbackDeadline, signalAt, waitOutlives } from '../src/discord/api/deadlines.ts';
import { Intake } from '../src/discord/api/intake.ts';
import { describedError, refusedContent } from '../src/discord/api/pipeline.ts';
import { deferralBody } from '../src/discord/api/respond.ts';
import { TokenClock } from '../src/discord/gateway/rest.ts';
import { createLogger, hideSecret, scrub, serializeError } from '../src/log.ts';

/** A logger writing to memory, and its lines. */
function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, lines: () => chunks.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('Cooldown', () => {
  it('allows 5 requests per 10 s per user, in a sliding window', () => {
    let now = 0;
    const cooldown = new Cooldown(5, 10_000, () => now);
    for (let i = 0; i < 5; i += 1) {
      expect(cooldown.take('a')).toEqual({ allowed: true });
      now += 1_000;
    }
    expect(cooldown.take('a')).toEqual({ allowed: false, retryAfterMs: 5_000, firstRefusal: true, refusals: 1 });
    expect(cooldown.take('a')).toMatchObject({ allowed: false, firstRefusal: false });
    expect(cooldown.take('b')).toEqual({ allowed: true });
    now = 10_000; // the first request (at 0) has left the window
    expect(cooldown.take('a')).toEqual({ allowed: true });
    expect(cooldown.take('a')).toMatchObject({ allowed: false, retryAfterMs: 1_000, firstRefusal: true });
  });

  it('says how long to wait in whole seconds', () => {
    expect(slowDownText(4_200)).toBe('Slow down a little: you can ask again in 5 s.');
    expect(slowDownText(0)).toBe('Slow down a little: you can ask again in 1 s.');
  });
});

describe('sanitizeChoices', () => {
  it('keeps at most 25 choices, names and values of 1–100 characters', () => {
    const choices = sanitizeChoices([
      { name: '', value: 'x' },
      { name: '   ', value: 'x' },
      ...Array.from({ length: 40 }, (_, i) => ({ name: `${i} ${'long '.repeat(40)}`, value: 'v'.repeat(150) })),
    ]);
    expect(choices).toHaveLength(25);
    for (const choice of choices) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.value.length).toBeLessThanOrEqual(100);
      expect(choice.name.trim()).not.toBe('');
    }
  });
});

describe('when the watchdog defers', () => {
  it('1 s after arrival, or sooner so that it is done 2 s after Discord created the interaction', () => {
    expect(deferAt(10_000, 10_050)).toBe(11_050);
    expect(deferAt(10_000, 11_500)).toBe(12_000);
    // Already too old to wait at all: the deadline has passed, so the thread defers at once.
    expect(deferAt(10_000, 12_500)).toBeLessThan(12_500);
  });
});

describe('FOOTNOTE_FAULTS', () => {
  it('is off unless set', () => {
    expect(faultsFrom(undefined)).toBeUndefined();
    expect(faultsFrom('')).toBeUndefined();
  });

  it('throws for inputs carrying the marker, and only those', async () => {
    const faults = faultsFrom('throw=KABOOM');
    await expect(faults?.beforeHandler({ options: { question: 'a KABOOM b' }, invoker: LOCAL_INVOKER })).rejects.toBeInstanceOf(InjectedFault);
    await expect(faults?.beforeHandler({ options: {}, targetText: 'KABOOM', invoker: LOCAL_INVOKER })).rejects.toBeInstanceOf(InjectedFault);
    await expect(faults?.beforeHandler({ options: { question: 'fine' }, invoker: LOCAL_INVOKER })).resolves.toBeUndefined();
  });
});

describe('logging', () => {
  it('never writes the bot token or interaction tokens', () => {
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.secret-part.of-the-token';
    hideSecret(token);
    const { stream, lines } = capture();
    const logger = createLogger('info', stream);
    const error = Object.assign(new Error(`request failed for ${token}`), {
      status: 500,
      method: 'POST',
      url: 'http://127.0.0.1/api/v10/interactions/123/aW50ZXJhY3Rpb24.token/callback?with_response=false',
      requestBody: { json: { data: { content: 'someone’s question' } } },
    });
    logger.error({ err: error, token, config: { DISCORD_TOKEN: token } }, 'failed');
    const [line] = lines();
    const text = JSON.stringify(line);
    expect(text).not.toContain(token);
    expect(text).not.toContain('aW50ZXJhY3Rpb24.token');
    expect(text).not.toContain('someone’s question');
    expect(line?.err).toMatchObject({ type: 'Error', status: 500, method: 'POST', url: 'http://127.0.0.1/api/v10/interactions/123/[token]/callback?with_response=false' });
  });

  it('scrubs webhook tokens and non-Error values', () => {
    expect(scrub('/api/v10/webhooks/42/abc.def/messages/@original')).toBe('/api/v10/webhooks/42/[token]/messages/@original');
    expect(serializeError('plain')).toEqual({ message: 'plain' });
  });
});

describe('stopping', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('exits with the code even when disconnecting throws, and logs the error scrubbed', async () => {
    vi.useFakeTimers();
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.stop-part.of-the-token';
    hideSecret(token);
    const { stream, lines } = capture();
    const exits: number[] = [];
    await stopAndExit(() => Promise.reject(new Error(`destroy failed for ${token}`)), createLogger('info', stream), 0, (code) => exits.push(code));
    vi.advanceTimersByTime(1_000);
    expect(exits[0]).toBe(0);
    const logged = JSON.stringify(lines());
    expect(logged).toContain('could not stop cleanly');
    expect(logged).toContain('destroy failed for [redacted]');
    expect(logged).not.toContain(token);
  });

  it('exits within 2 s even when disconnecting never finishes', () => {
    vi.useFakeTimers();
    const exits: number[] = [];
    void stopAndExit(() => new Promise(() => {}), createLogger('silent'), 1, (code) => exits.push(code));
    vi.advanceTimersByTime(1_999);
    expect(exits).toEqual([1]);
  });
});

describe('Intake: acknowledge first, answer in arrival order', () => {
  /** A tracked event that records what the drain did to it. */
  function tracked(log: string[], name: string) {
    return { acknowledge: async () => void log.push(`ack ${name}`), abandon: async () => void log.push(`abandon ${name}`) };
  }

  it('starts work at once while the turn has time, then in arrival order a turn later, and says which to acknowledge now', async () => {
    let now = 0;
    const intake = new Intake({ concurrency: 2, ackBudgetMs: 500, shedAfterMs: 30_000 }, () => now);
    const log: string[] = [];
    const first = intake.enter(tracked(log, 'a'));
    expect(first.queued).toBe(false);
    // The turn has spent its 10 ms: the next one waits, and one already 600 ms old is acknowledged at once.
    now = 20;
    const second = intake.enter(tracked(log, 'b'), 100);
    const third = intake.enter(tracked(log, 'c'), 600);
    expect(second.queued).toBe(false);
    expect(third.queued).toBe(true);
    const started: string[] = [];
    void first.turn.then((turn) => started.push(`a ${turn}`));
    void second.turn.then((turn) => started.push(`b ${turn}`));
    void third.turn.then((turn) => started.push(`c ${turn}`));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    // Two slots: c waits for one to be released.
    expect(started).toEqual(['a run', 'b run']);
    first.release();
    first.done();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a run', 'b run', 'c run']);
    expect(intake.size).toBe(2);
  });

  it('turns away work that waited longer than it may, with an apology instead of a late answer', async () => {
    let now = 0;
    const intake = new Intake({ concurrency: 1, ackBudgetMs: 500, shedAfterMs: 1_000 }, () => now);
    const running = intake.enter(tracked([], 'a'));
    const late = intake.enter(tracked([], 'b'));
    await running.turn;
    now = 1_500;
    running.release();
    expect(await late.turn).toBe('shed');
  });

  it('drains: acknowledges what is in flight, lets what finishes finish, abandons the rest, and turns later work away', async () => {
    const intake = new Intake({ concurrency: 4, ackBudgetMs: 500, shedAfterMs: 30_000 });
    const log: string[] = [];
    const quick = intake.enter(tracked(log, 'quick'));
    const stuck = intake.enter(tracked(log, 'stuck'));
    await Promise.all([quick.turn, stuck.turn]);
    setTimeout(() => {
      quick.release();
      quick.done();
    }, 20);
    const drained = await intake.drain(Date.now() + 100, 50);
    expect(drained).toEqual({ finished: 1, abandoned: 1 });
    expect(log).toEqual(['ack quick', 'ack stuck', 'abandon stuck']);
    expect(await intake.enter(tracked(log, 'late')).turn).toBe('closing');
  });
});

describe('an interaction’s windows', () => {
  it('gives a request what is left of its window, but never less than 1 s (this clock may run ahead of Discord’s)', () => {
    expect(waitOutlives(2_000, 10_000, 7_000)).toBe(false);
    expect(waitOutlives(4_000, 10_000, 7_000)).toBe(true);
    const created = Date.UTC(2026, 0, 1);
    const id = ((BigInt(created) - 1_420_070_400_000n) << 22n).toString();
    expect(callbackDeadline(id)).toBe(created + 3_000);
    expect(signalAt(Date.now() - 5_000).aborted).toBe(false);
  });

  it('caps a rate-limit wait at the first response’s 3 s or the token’s 15 minutes', () => {
    const clock = new TokenClock();
    const now = Date.now();
    const id = ((BigInt(now) - 1_420_070_400_000n) << 22n).toString();
    expect(clock.deadlineOf(`http://x/api/v10/interactions/${id}/tok/callback?with_response=false`)).toBe(now + 3_000);
    const release = clock.hold('tok', id);
    expect(clock.deadlineOf('http://x/api/v10/webhooks/123/tok/messages/@original')).toBe(now + 15 * 60_000);
    release();
    // Not an interaction's: the bot's own short limit.
    expect(clock.deadlineOf('http://x/api/v10/webhooks/123/tok/messages/@original', now)).toBe(now + 5_000);
  });

  it('a deferral is "thinking…" for a message (private when asked) and a silent acknowledgement for an update', () => {
    expect(deferralBody('message', true)).toEqual({ type: 5, data: { flags: 64 } });
    expect(deferralBody('message', false)).toEqual({ type: 5, data: {} });
    expect(deferralBody('update', true)).toEqual({ type: 6 });
  });
});

describe('failures are logged with what happened', () => {
  it('a rate-limit error (which has no message) and a timeout get one that says so', () => {
    const limit = new RateLimitError({ timeToReset: 4_050, limit: 1, method: 'post', hash: 'h', url: 'u', route: '/webhooks/:id/:token/messages/%40original', majorParameter: 'm', global: false, retryAfter: 4_050, sublimitTimeout: 0, scope: 'user' });
    expect((describedError(limit) as Error).message).toBe('rate limited by Discord: retry after 4050 ms (POST /webhooks/:id/:token/messages/@original), too long to wait');
    expect((describedError(new DOMException('The operation was aborted due to timeout', 'TimeoutError')) as Error).message).toBe("Discord did not reply before the interaction's deadline");
    const other = new Error('boom');
    expect(describedError(other)).toBe(other);
  });

  it('tells a refused message (worth a plain notice) from other failures', () => {
    expect(refusedContent({ status: 400, code: 50035 })).toBe(true);
    expect(refusedContent({ status: 400, code: 40060 })).toBe(false);
    expect(refusedContent({ status: 404, code: 10062 })).toBe(false);
    expect(refusedContent(new Error('network'))).toBe(false);
  });
});

describe('DISCORD_TOKEN', () => {
  it('unset opens the chat; set but empty (or blank) is a configuration error that says what to do', () => {
    expect(readConfig({}).DISCORD_TOKEN).toBeUndefined();
    for (const empty of ['', '   ']) expect(() => readConfig({ DISCORD_TOKEN: empty })).toThrow(/DISCORD_TOKEN: is set but empty\. To use the terminal chat, remove the DISCORD_TOKEN line/);
    expect(() => readConfig({ DISCORD_TOKEN: 'short' })).toThrow(/does not look like a bot token/);
    // Other settings may still be left empty, as in .env.example.
    expect(readConfig({ DISCORD_CLIENT_ID: '', DISCORD_API_URL: '' }).DISCORD_CLIENT_ID).toBeUndefined();
  });
});

describe('discord.js caches', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keep no users or members however many act, and drop direct-message channels every minute', async () => {
    vi.useFakeTimers();
    const client = new Client({ intents: [], makeCache: cacheLimits() });
    const stop = sweepDmChannels(client);
    // Internal adders, as discord.js's own event handlers call them for every interaction and message.
    const users = client.users as unknown as { _add(data: unknown): unknown };
    const channels = client.channels as unknown as { _add(data: unknown): unknown };
    for (let i = 0; i < 1_000; i++) {
      const user = { id: String(10n ** 17n + BigInt(i)), username: `u${i}`, discriminator: '0', global_name: null, avatar: null };
      users._add(user);
      channels._add({ id: String(2n * 10n ** 17n + BigInt(i)), type: 1, recipients: [user] });
    }
    expect(client.users.cache.size).toBe(0);
    expect(client.channels.cache.size).toBe(1_000);
    vi.advanceTimersByTime(60_000);
    expect(client.channels.cache.size).toBe(0);
    stop();
    await client.destroy();
  });
});
