/**
 * Faults between the bot and Discord, end to end: rate limits longer than
 * an interaction's window, a request that hangs, a garbled reply. Nothing
 * waits past the interaction's window, an answer that cannot be delivered is
 * apologised for by follow-up or logged, and every log line says what
 * happened. The bot talks to the fake Discord through a proxy that can hang
 * or garble a reply (faulty-proxy.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, type LogLine } from '../support/bot-process.ts';
import { FakeDiscord, makeUser, type RecordedCall, type SentInteraction } from '../support/fake-discord.ts';
import { FaultyProxy } from './faulty-proxy.ts';

let fake: FakeDiscord;
let proxy: FaultyProxy;
let bot: BotProcess;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  proxy = await FaultyProxy.start(fake.apiUrl);
  bot = await BotProcess.start(fake, { DISCORD_API_URL: proxy.apiUrl, FOOTNOTE_FAULTS: 'slow=SNAIL' });
}, 30_000);

afterAll(async () => {
  bot?.kill();
  await proxy?.close();
  await fake?.close();
});

const question = (value: string) => [{ name: 'question', type: 3, value }];

/** Log lines written from now on. */
function logsFrom(): () => readonly LogLine[] {
  const start = bot.logs.length;
  return () => bot.logs.slice(start);
}

async function logAfter(since: () => readonly LogLine[], predicate: (line: LogLine) => boolean, timeoutMs = 5_000): Promise<LogLine> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = since().find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no such log line within ${timeoutMs} ms:\n${JSON.stringify(since(), null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends an interaction and arms a fault on its own calls, matched by id or token as soon as they are known. */
function sendWith(arm: (sent: SentInteraction) => void, send: () => SentInteraction): SentInteraction {
  const sent = send();
  arm(sent);
  return sent;
}

const isEdit = (sent: SentInteraction) => (call: RecordedCall) => call.method === 'PATCH' && call.route.includes(`/${sent.token}/messages/@original`);
const isFollowUp = (sent: SentInteraction) => (call: RecordedCall) => call.method === 'POST' && call.route.endsWith(`/webhooks/${fake.applicationId}/${sent.token}`);

describe('rate limits never outlive the interaction', () => {
  it('a 4 s 429 on the first response is given up at once, logged with what it was, and not retried at 4 s', async () => {
    const since = logsFrom();
    let target = '';
    fake.failRoute((call) => target !== '' && call.route.includes(`/interactions/${target}/`), 429, 1, 4);
    const sent = sendWith((s) => (target = s.id), () => fake.sendSlash('why-not-allies', [], { user: makeUser('rl-callback') }));
    const failed = await logAfter(since, (line) => line.msg === 'could not send the answer');
    expect((failed.err as { message: string }).message).toMatch(/^rate limited by Discord: retry after 40\d\d ms \(POST \/interactions\/:id\/:token\/callback\)/);
    expect(Number(failed.time) - sent.createdAt).toBeLessThan(2_000);
    await logAfter(since, (line) => line.msg === 'the interaction was not acknowledged in time: nothing more can be sent for it');
    const limited = since().find((line) => line.msg === 'rate limited by Discord');
    expect(limited).toMatchObject({ willWait: false, retryAfterMs: expect.any(Number) as number });
    // Past the 4 s, nothing more was tried: Discord would have refused it.
    await new Promise((resolve) => setTimeout(resolve, 4_500 - (Date.now() - sent.createdAt)));
    expect(fake.callsFor(sent).map((call) => call.status)).toEqual([429]);
  }, 15_000);

  it('an 8 s 429 on the edit of a deferred answer is waited out (the token lives 15 min): the answer arrives', async () => {
    const since = logsFrom();
    let token = '';
    fake.failRoute((call) => token !== '' && call.method === 'PATCH' && call.route.includes(`/${token}/messages/@original`), 429, 1, 8);
    const sent = sendWith((s) => (token = s.token), () => fake.sendSlash('ask', question('SNAIL Why are Russia and Iran not allies?'), { user: makeUser('rl-edit') }));
    const edit = await fake.waitForCall((call) => isEdit(sent)(call) && call.status === 200, 15_000);
    expect(edit.at - sent.createdAt).toBeGreaterThanOrEqual(9_000);
    expect((edit.body as { embeds: { description: string }[] }).embeds[0]?.description).toMatch(/\(¶\d+\)/);
    expect(since().find((line) => line.msg === 'rate limited by Discord')).toMatchObject({ willWait: true });
    expect(since().some((line) => line.msg === 'could not send the answer')).toBe(false);
  }, 20_000);

  it('a 429 longer than the token’s 15 min on the edit is given up at once, and the apology goes by follow-up', async () => {
    const since = logsFrom();
    let token = '';
    fake.failRoute((call) => token !== '' && call.method === 'PATCH' && call.route.includes(`/${token}/messages/@original`), 429, 1, 1_000);
    const sent = sendWith((s) => (token = s.token), () => fake.sendSlash('ask', question('SNAIL Who is Velayati?'), { user: makeUser('rl-token') }));
    const followUp = await fake.waitForCall((call) => isFollowUp(sent)(call) && call.status === 200, 6_000);
    expect(followUp.at - sent.createdAt).toBeLessThan(3_000);
    const errorId = /error id ([0-9a-f]+)/.exec((followUp.body as { content: string }).content)?.[1];
    expect((followUp.body as { content: string }).content).toMatch(/^Sorry, Discord did not take my answer \(error id [0-9a-f]+\)/);
    const failed = await logAfter(since, (line) => line.msg === 'could not send the answer');
    expect(failed.errorId).toBe(errorId);
    expect((failed.err as { message: string }).message).toMatch(/^rate limited by Discord: retry after 1000\d{3} ms \(PATCH \/webhooks\/:id\/:token\/messages\/@original\)/);
  }, 15_000);

  it('a 6 s 429 on a DM reply (the bot’s own limit waits 5 s at most) is logged with a message that says so', async () => {
    const since = logsFrom();
    const user = makeUser('rl-dm');
    await fake.replyTo(fake.sendMessage('hello', { user, in: 'dm' }).id);
    const channel = fake.dmChannels.get(user.id) as string;
    fake.failRoute(new RegExp(`^POST /api/v10/channels/${channel}/messages$`), 429, 1, 6);
    fake.sendMessage('Who is Velayati?', { user, in: 'dm' });
    const failed = await logAfter(since, (line) => line.msg === 'could not send the answer' && line.kind === 'dm');
    expect((failed.err as { message: string }).message).toMatch(/^rate limited by Discord: retry after 60\d\d ms \(POST \/channels\/:id\/messages\)/);
  });
});

describe('requests that hang or come back garbled', () => {
  it('a first response that hangs is given up at the 3 s deadline, logged, and not retried after 15 s', async () => {
    const since = logsFrom();
    proxy.fail(/^POST \/api\/v10\/interactions\/\d+\/[^/]+\/callback$/, 'hang');
    const sent = fake.sendSlash('why-not-allies', [], { user: makeUser('hang') });
    const failed = await logAfter(since, (line) => line.msg === 'could not send the answer', 8_000);
    expect((failed.err as { message: string }).message).toBe("Discord did not reply before the interaction's deadline");
    const waited = Number(failed.time) - sent.createdAt;
    expect(waited).toBeGreaterThanOrEqual(2_900);
    expect(waited).toBeLessThan(4_500);
    await logAfter(since, (line) => line.msg === 'the interaction was not acknowledged in time: nothing more can be sent for it');
    expect(proxy.calls.filter((call) => call.path.includes(`/interactions/${sent.id}/`))).toHaveLength(1);
    // Its own "handled" line comes last; waited for here, so the next test does not read it as its own.
    await logAfter(since, (line) => line.msg === 'handled' && line.outcome !== 'answered');
  }, 15_000);

  it('a 200 whose body is not JSON counts as delivered, with a warning, not as a failure to send', async () => {
    const since = logsFrom();
    proxy.fail(/^POST \/api\/v10\/interactions\/\d+\/[^/]+\/callback$/, 'garble');
    const answered = await fake.answerTo(fake.sendSlash('why-not-allies', [], { user: makeUser('garbled') }));
    expect(answered.type).toBe(4);
    const warning = await logAfter(since, (line) => line.msg === 'Discord took the request, but its reply was not valid JSON');
    expect(warning).toMatchObject({ method: 'POST', status: 200 });
    expect(String(warning.route)).toMatch(/\/interactions\/\d+\/\[token\]\/callback/);
    const handled = await logAfter(since, (line) => line.msg === 'handled');
    expect(handled.outcome).toBe('answered');
    expect(since().some((line) => line.msg === 'could not send the answer')).toBe(false);
  });

  it('never logged the bot token or an interaction token', () => {
    expect(bot.output).not.toContain(bot.token);
    expect(bot.output).not.toContain('interaction-token-');
  });
});
