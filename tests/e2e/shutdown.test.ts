/**
 * How the bot process ends, end to end: SIGTERM drains the work in flight
 * (acknowledged at once, then answered or told the bot is restarting) and
 * exits 0 within 2 s; Discord closing the gateway for good (4004, 4014) ends
 * the process with one fatal line and a non-zero code; an empty
 * DISCORD_TOKEN is a configuration error, not a silent terminal chat.
 */
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { BotProcess } from '../support/bot-process.ts';
import { FakeDiscord, makeUser, type RecordedCall } from '../support/fake-discord.ts';
import { runScript } from '../support/run.ts';

let fake: FakeDiscord | undefined;
let bot: BotProcess | undefined;

afterEach(async () => {
  bot?.kill();
  await fake?.close();
});

const RESTARTING = 'Footnote is restarting and could not answer this. Please ask again in a minute.';
const question = (value: string) => [{ name: 'question', type: 3, value }];

interface Body {
  type?: number;
  content?: string;
  embeds?: unknown[];
  data?: { content?: string };
}

describe('SIGTERM drains', () => {
  it('acknowledges all 18 slow interactions in flight at once, answers them, tells a late one the bot is restarting, and exits 0 within 2 s', async () => {
    fake = await FakeDiscord.start();
    bot = await BotProcess.start(fake, { FOOTNOTE_FAULTS: 'slow=SNAIL' });
    const inFlight = Array.from({ length: 18 }, (_, i) => fake?.sendSlash('ask', question(`SNAIL Why are Russia and Iran not allies? ${i}`), { user: makeUser(`drain${i}`) }));
    await delay(300);
    const signalledAt = Date.now();
    const exited = bot.signal('SIGTERM');
    await delay(150);
    const late = fake.sendSlash('why-not-allies', [], { user: makeUser('late') });
    const { code, ms } = await exited;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(2_000);

    for (const sent of inFlight) {
      if (!sent) throw new Error('not sent');
      const calls = fake.callsFor(sent).filter((call: RecordedCall) => call.status < 300);
      const [deferral, ...rest] = calls;
      // Deferred by the drain, well before the watchdog's 1 s would have.
      expect((deferral?.body as Body).type).toBe(5);
      expect((deferral?.at ?? Infinity) - signalledAt).toBeLessThan(500);
      const final = rest.find((call) => call.method === 'PATCH' || call.method === 'POST')?.body as Body | undefined;
      const answered = (final?.embeds?.length ?? 0) > 0;
      expect(answered || final?.content === RESTARTING).toBe(true);
    }
    const lateAnswer = fake.callsFor(late).find((call) => call.status < 300)?.body as Body;
    expect(lateAnswer).toMatchObject({ type: 4, data: { content: RESTARTING } });
    const drained = bot.logs.find((line) => line.msg === 'drained the work in flight');
    expect(Number(drained?.finished) + Number(drained?.abandoned)).toBe(18);
    expect(bot.logs.map((line) => line.msg)).toEqual(expect.arrayContaining(['stopping', 'stopped']));
  }, 30_000);
});

describe('Discord closing the gateway for good ends the process', () => {
  for (const [code, meaning] of [
    [4004, 'authentication failed'],
    [4014, 'disallowed intents'],
  ] as const) {
    it(`${code} after READY: one fatal line (no token), exit 1`, async () => {
      fake = await FakeDiscord.start();
      bot = await BotProcess.start(fake);
      const exited = once(bot.child, 'exit');
      fake.dropGateway(code);
      const [exitCode] = (await Promise.race([exited, delay(5_000).then(() => ['still running'])])) as [number | string];
      expect(exitCode).toBe(1);
      const fatal = bot.logs.filter((line) => line.level === 60);
      expect(fatal).toHaveLength(1);
      expect(fatal[0]).toMatchObject({ code });
      expect(fatal[0]?.msg).toContain(meaning);
      expect(bot.output).not.toContain(bot.token);
      // Gone for good: it did not identify again.
      expect(fake.identifies).toBe(1);
    });
  }
});

describe('configuration', () => {
  it('DISCORD_TOKEN= (set but empty) is a configuration error that says how to get the terminal chat', async () => {
    const { code, stdout, stderr } = await runScript('src/main.ts', [], { env: { DISCORD_TOKEN: '' }, input: '/help\n' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toMatch(/^Footnote cannot start\. Configuration error:\n {2}- DISCORD_TOKEN: is set but empty\. To use the terminal chat, remove the DISCORD_TOKEN line/);
  });
});
