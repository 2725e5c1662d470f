/**
 * SHARDS: the real bot against a fake Discord that runs two shards. Each shard
 * is a session of its own; a guild's events come on its shard, DMs on shard 0,
 * and every event is answered exactly once.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, runToExit, spawnBot, type LogLine } from '../support/bot-process.ts';
import { FakeDiscord, makeUser, type RecordedCall, type SentInteraction } from '../support/fake-discord.ts';

/** Long enough for a duplicate answer (a second shard handling the same event) to have arrived. */
const SETTLE_MS = 500;

const question = (text: string) => [{ name: 'question', type: 3, value: text }];

function callbacks(fake: FakeDiscord, interaction: SentInteraction): RecordedCall[] {
  return fake.callsFor(interaction).filter((call) => call.route.endsWith('/callback'));
}

function repliesTo(fake: FakeDiscord, messageId: string): RecordedCall[] {
  return fake.calls.filter(
    (call) => call.method === 'POST' && /\/channels\/\d+\/messages$/.test(call.route) && (call.body as { message_reference?: { message_id?: string } } | null)?.message_reference?.message_id === messageId,
  );
}

function readyShards(bot: BotProcess): unknown[] {
  return bot.logs.filter((line) => line.msg === 'gateway shard ready').map((line) => line.shard);
}

describe('SHARDS=2 against a Discord with 2 shards', () => {
  let fake: FakeDiscord;
  let bot: BotProcess;
  let other: { guildId: string; channelId: string };

  beforeAll(async () => {
    fake = await FakeDiscord.start({ shards: 2 });
    // A second server on the shard the test guild is not on.
    other = fake.addGuild({ shard: 1 - fake.shardOf(fake.guildId) });
    bot = await BotProcess.start(fake, { SHARDS: '2', HTTP_PORT: '0' });
  }, 40_000);

  afterAll(async () => {
    bot?.kill();
    await fake?.close();
  });

  it('identifies once per shard, and the log shows both shards ready', () => {
    expect(fake.identifiedShards.slice().sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(readyShards(bot).sort()).toEqual([0, 1]);
    expect(bot.logs.filter((line) => line.msg === 'connected to Discord')).toHaveLength(1);
  });

  it('reports the gateway ready on /healthz once both shards are', async () => {
    const port = Number(bot.logs.find((line) => line.msg === 'health and metrics listening')?.port);
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', gateway: 'ready' });
  });

  it('answers a slash command in each of two servers on different shards exactly once', async () => {
    expect(fake.shardOf(other.guildId)).not.toBe(fake.shardOf(fake.guildId));
    const here = fake.sendSlash('ask', question('Who is Velayati?'), { user: makeUser('ana') });
    const there = fake.sendSlash('ask', question('Why did Iran refuse the oil freeze?'), { user: makeUser('ben'), channelId: other.channelId });
    for (const interaction of [here, there]) expect(JSON.stringify((await fake.answerTo(interaction)).data)).toMatch(/¶\d+/);
    await delay(SETTLE_MS);
    expect(callbacks(fake, here)).toHaveLength(1);
    expect(callbacks(fake, there)).toHaveLength(1);
  });

  it('answers a DM (shard 0) and a mention in the second server exactly once', async () => {
    const dm = fake.sendMessage('who is Velayati?', { user: makeUser('cat'), in: 'dm' });
    const mention = fake.sendMessage(`<@${fake.botUser.id}> why are russia and iran not allies?`, { user: makeUser('dan'), channelId: other.channelId, mentions: [fake.botUser] });
    expect((await fake.replyTo(dm.id)).status).toBe(200);
    const reply = await fake.replyTo(mention.id);
    expect(reply.route).toBe(`/api/v10/channels/${other.channelId}/messages`);
    expect(JSON.stringify(reply.body)).toMatch(/¶\d+/);
    await delay(SETTLE_MS);
    expect(repliesTo(fake, dm.id)).toHaveLength(1);
    expect(repliesTo(fake, mention.id)).toHaveLength(1);
  });

  it('answers a slash command in a DM exactly once', async () => {
    const interaction = fake.sendSlash('passage', [{ name: 'number', type: 4, value: 9 }], { user: makeUser('eve'), in: 'dm' });
    expect(JSON.stringify((await fake.answerTo(interaction)).data)).toContain('¶9');
    await delay(SETTLE_MS);
    expect(callbacks(fake, interaction)).toHaveLength(1);
    expect(fake.refusedCalls()).toEqual([]);
  });
});

describe('SHARDS=auto takes the count Discord recommends', () => {
  let fake: FakeDiscord;
  let bot: BotProcess;

  beforeAll(async () => {
    fake = await FakeDiscord.start({ shards: 2 });
    bot = await BotProcess.start(fake, { SHARDS: 'auto' });
  }, 40_000);

  afterAll(async () => {
    bot?.kill();
    await fake?.close();
  });

  it('runs the 2 shards GET /gateway/bot reports and answers on either', async () => {
    expect(fake.identifiedShards.slice().sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(readyShards(bot).sort()).toEqual([0, 1]);
    const other = fake.addGuild({ shard: 1 - fake.shardOf(fake.guildId) });
    const here = fake.sendSlash('ask', question('Who is Velayati?'), { user: makeUser('fay') });
    const there = fake.sendSlash('ask', question('Who is Velayati?'), { user: makeUser('gus'), channelId: other.channelId });
    await fake.answerTo(here);
    await fake.answerTo(there);
    await delay(SETTLE_MS);
    expect(callbacks(fake, here)).toHaveLength(1);
    expect(callbacks(fake, there)).toHaveLength(1);
  });
});

describe('without SHARDS, against a Discord that requires sharding', () => {
  it('stops with one fatal line: sharding required (4011), exit 1', async () => {
    const fake = await FakeDiscord.start({ shards: 2 });
    try {
      const { code, stdout } = await runToExit(spawnBot(fake).child);
      expect(code).toBe(1);
      expect(fake.identifiedShards).toEqual([[0, 1]]);
      const logs = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as LogLine);
      const fatal = logs.filter((line) => line.level === 60);
      expect(fatal).toHaveLength(1);
      expect(fatal[0]).toMatchObject({ code: 4011 });
      expect(fatal[0]?.msg).toContain('sharding required');
    } finally {
      await fake.close();
    }
  }, 30_000);
});
