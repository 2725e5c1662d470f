/** The adapter's small parts: cooldown, autocomplete choices, deferral timing, fault hook, log hygiene, stopping. */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOCAL_INVOKER } from '../src/commands/types.ts';
import { Cooldown, slowDownText } from '../src/discord/api/cooldown.ts';
import { faultsFrom, InjectedFault } from '../src/discord/api/faults.ts';
import { stopAndExit } from '../src/discord/gateway/run.ts';
import { sanitizeChoices } from '../src/discord/api/choices.ts';
import { deferAt } from '../src/discord/gateway/watchdog.ts';
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
    expect(cooldown.take('a')).toEqual({ allowed: false, retryAfterMs: 5_000, firstRefusal: true });
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
    expect(logged).toContain('could not disconnect cleanly');
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
