/**
 * Reading plans end to end: the real bot process against the fake Discord,
 * its clock sped up with FOOTNOTE_CLOCK (a day passes in 2 s, on one timeline
 * shared by both processes, so a restart misses the time it was down), its
 * plans in a SQLite file that outlives the restart. Parts arrive in order,
 * each once; a channel Footnote may not post in (403 50013) pauses the plan
 * and the person who started it gets a DM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, type LogLine } from '../support/bot-process.ts';
import { FakeDiscord, makeUser, MEMBER_PERMISSIONS, PERMISSIONS, type CommandOptionValue, type StoredMessage } from '../support/fake-discord.ts';

/** A simulated day every 2 real seconds. */
const SPEED = 43_200;
const DAY_MS = 86_400_000;
const FINISHED = 'This is the last part: with it the article is finished. Thank you for reading along!';

interface Embed {
  title?: string;
  description?: string;
}

let fake: FakeDiscord;
let bot: BotProcess;
/** Log lines of the bot processes that have exited. */
const earlierLogs: LogLine[] = [];
let dataDir: string;
let env: Record<string, string>;
const ann = makeUser('ann');
const admin = { user: ann, permissions: MEMBER_PERMISSIONS | PERMISSIONS.ManageGuild };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'footnote-reading-e2e-'));
  // Thursday 27 March 2025, before Europe's change to summer time on the 30th.
  env = { DATA_DIR: dataDir, FOOTNOTE_CLOCK: `start=2025-03-27T10:00:00Z,from=${Date.now()},speed=${SPEED},tick=25` };
  fake = await FakeDiscord.start();
  bot = await BotProcess.start(fake, env);
}, 40_000);

afterAll(async () => {
  bot?.kill();
  await fake?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const embedOf = (message: StoredMessage) => (message.embeds as Embed[] | undefined)?.[0];
const readingPosts = (channelId = fake.channelId) => fake.messagesIn(channelId).filter((message) => embedOf(message)?.title?.startsWith('Reading, part') === true);
const titles = (channelId = fake.channelId) => readingPosts(channelId).map((message) => embedOf(message)?.title);

function reading(subcommand: string, options: CommandOptionValue[] = []) {
  return fake.sendSlash('reading', [{ name: subcommand, type: 1, options } as unknown as CommandOptionValue], admin);
}

async function answerOf(subcommand: string, options: CommandOptionValue[] = []): Promise<{ title?: string; description?: string; flags?: number }> {
  const { data } = await fake.answerTo(reading(subcommand, options));
  return { ...(data.embeds as Embed[])[0], flags: data.flags as number | undefined };
}

const postedLogs = () => [...earlierLogs, ...bot.logs].filter((line) => line.msg === 'reading part posted') as (LogLine & { part: number; from: number; dueAt: number; postedAt: number })[];
const berlin = (epochMs: number) => DateTime.fromMillis(epochMs, { zone: 'Europe/Berlin' });

describe('a reading plan on Discord', () => {
  it('refuses a channel of another server, or one that does not exist, and starts nothing', async () => {
    for (const channel of [fake.foreignChannelId, '123456789012345678']) {
      const refused = await fake.answerTo(
        reading('start', [
          { name: 'paragraphs', type: 4, value: 3 },
          { name: 'every', type: 3, value: 'day' },
          { name: 'at', type: 3, value: '09:00' },
          { name: 'channel', type: 7, value: channel },
        ]),
      );
      expect(refused.data.content).toBe('That channel is not one of this server’s: pick a channel from the list.');
    }
  });

  it('posts every part in order, once, at 09:00 Berlin time, and goes on after a restart with one missed part, not a burst', async () => {
    const started = await answerOf('start', [
      { name: 'paragraphs', type: 4, value: 3 },
      { name: 'every', type: 3, value: 'day' },
      { name: 'at', type: 3, value: '09:00' },
      { name: 'timezone', type: 3, value: 'Europe/Berlin' },
      { name: 'channel', type: 7, value: fake.channelId },
    ]);
    expect(started.title).toBe('Reading plan started');
    expect(started.description).toContain('4 parts of 3 paragraphs, every day at 09:00 (Europe/Berlin), in this channel');
    expect(bot.logs.some((line) => line.level === 40 && line.msg.startsWith('FOOTNOTE_CLOCK is set'))).toBe(true);

    await fake.waitFor(() => readingPosts().length >= 2, 15_000, 'two reading parts');
    const first = bot;
    expect((await first.signal('SIGTERM')).code).toBe(0);
    earlierLogs.push(...first.logs);
    // Down for more than a simulated day.
    await delay(2_500);
    bot = await BotProcess.start(fake, env);
    await fake.waitFor(() => readingPosts().length >= 4, 20_000, 'all four reading parts');
    await delay(1_000);

    expect(titles()).toEqual(['Reading, part 1 of 4: ¶1–¶3', 'Reading, part 2 of 4: ¶4–¶6', 'Reading, part 3 of 4: ¶7–¶9', 'Reading, part 4 of 4: ¶10–¶11']);
    const posts = readingPosts();
    expect(embedOf(posts[0] as StoredMessage)?.description).toMatch(/^To discuss: ¶1 (says|reports) “/);
    expect(embedOf(posts[0] as StoredMessage)?.description).toContain('**¶1 · body**');
    expect(embedOf(posts[3] as StoredMessage)?.description).toContain(FINISHED);
    const sent = fake.sentMessages().filter(({ call }) => call.route.endsWith(`/channels/${fake.channelId}/messages`));
    expect(sent.every(({ message }) => JSON.stringify(message.allowed_mentions) === '{"parse":[]}')).toBe(true);

    const logs = postedLogs();
    expect(logs.map((line) => line.part)).toEqual([1, 2, 3, 4]);
    for (const line of logs) expect(berlin(line.dueAt).toFormat('HH:mm'), String(line.part)).toBe('09:00');
    // The restart fell between parts 2 and 3 and lasted over a day: part 3 came once, late, and part 4 waited for its own 09:00.
    const [, second, third, fourth] = logs;
    expect((third?.postedAt ?? 0) - (second?.postedAt ?? 0)).toBeGreaterThan(DAY_MS);
    expect(fourth?.dueAt).toBeGreaterThan(third?.postedAt ?? Infinity);

    const status = await answerOf('status');
    expect(status.flags).toBe(64);
    expect(status.description).toContain('Finished: all 4 parts posted.');
  }, 60_000);

  it('pauses itself when it may not post in the channel, tells its starter in a DM, and posts again after /reading resume', async () => {
    fake.denyChannel(fake.channelId);
    const started = await answerOf('start', [
      { name: 'paragraphs', type: 4, value: 11 },
      { name: 'every', type: 3, value: 'day' },
      { name: 'at', type: 3, value: '09:00' },
    ]);
    expect(started.title).toBe('Reading plan started');
    const dm = await fake.waitFor(() => {
      const channel = fake.dmChannels.get(ann.id);
      return channel !== undefined && fake.messagesIn(channel).length > 0 ? fake.messagesIn(channel) : undefined;
    }, 15_000, 'a DM to the plan’s starter');
    expect(dm).toHaveLength(1);
    expect(embedOf(dm[0] as StoredMessage)?.title).toBe('Your reading plan is paused');
    expect(embedOf(dm[0] as StoredMessage)?.description).toMatch(/could not post ¶1–¶\d+ in #study-group.*Missing Permissions.*\/reading resume/s);
    const refused = fake.calls.filter((call) => call.route.endsWith(`/channels/${fake.channelId}/messages`) && call.status === 403);
    expect(refused).toHaveLength(1);
    expect((await answerOf('status')).description).toContain('Paused by Footnote: Footnote may not post there (Missing Permissions). /reading resume starts it again.');

    // Paused: nothing more is tried.
    await delay(2_500);
    expect(fake.calls.filter((call) => call.route.endsWith(`/channels/${fake.channelId}/messages`) && call.status === 403)).toHaveLength(1);

    fake.allowChannel(fake.channelId);
    const before = readingPosts().length;
    expect((await answerOf('resume')).title).toBe('Reading plan resumed');
    expect((await answerOf('next')).title).toBe('Posting the next part');
    await fake.waitFor(() => readingPosts().length >= before + 2, 10_000, 'the whole article in two messages');
    const latest = readingPosts().slice(before);
    expect(latest.map((message) => embedOf(message)?.title)).toEqual([expect.stringMatching(/^Reading, part 1 of 1: ¶1–¶\d+$/), expect.stringMatching(/^Reading, part 1 of 1 \(continued\): ¶\d+–¶11$/)]);
    expect(embedOf(latest[1] as StoredMessage)?.description).toContain(FINISHED);
    expect(fake.messagesIn(fake.dmChannels.get(ann.id) as string)).toHaveLength(1);
  }, 60_000);

  it('refuses without Manage Server and in a DM', async () => {
    const bo = makeUser('bo');
    const denied = await fake.answerTo(fake.sendSlash('reading', [{ name: 'stop', type: 1, options: [] } as unknown as CommandOptionValue], { user: bo }));
    expect((denied.data.embeds as Embed[])[0]?.title).toBe('Manage Server needed');
    const inDm = await fake.answerTo(fake.sendSlash('reading', [{ name: 'status', type: 1, options: [] } as unknown as CommandOptionValue], { user: bo, in: 'dm' }));
    expect((inDm.data.embeds as Embed[])[0]?.title).toBe('Reading plans need a server');
  });
});
