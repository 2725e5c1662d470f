/**
 * The Discord Poster against the fake Discord over real HTTP (in this
 * process, no bot): parts rendered like every reply, DMs through a DM
 * channel, and Discord's refusals sorted into what the runner acts on.
 */
import { REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscordPoster, postFailure } from '../src/discord/api/poster.ts';
import { textReply } from '../src/reply/reply.ts';
import { FakeDiscord, makeUser } from './support/fake-discord.ts';

let fake: FakeDiscord;
let poster: DiscordPoster;

beforeEach(async () => {
  fake = await FakeDiscord.start();
  const rest = new REST({ api: fake.apiUrl, retries: 1, rejectOnRateLimit: (limit) => limit.retryAfter > 1_000 }).setToken('TEST.token.for-the-fake-only');
  poster = new DiscordPoster(rest, () => fake.botUser.id);
});

afterEach(async () => {
  await fake.close();
});

const part = textReply('passage', 'Reading, part 1 of 4: ¶1–¶3', ['To discuss: @everyone <@123456789012345678> ¶1 says “x”'], { footer: 'Title — Author' });

describe('DiscordPoster', () => {
  it('posts a rendered, ping-free message in the channel', async () => {
    const result = await poster.post(fake.channelId, part);
    expect(result).toMatchObject({ outcome: 'sent' });
    const [stored] = fake.messagesIn(fake.channelId);
    expect((stored?.embeds as { title: string }[])[0]?.title).toBe('Reading, part 1 of 4: ¶1–¶3');
    const call = fake.calls.find((recorded) => recorded.method === 'POST' && recorded.route.endsWith(`/channels/${fake.channelId}/messages`));
    expect((call?.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] });
    // Mentions in the text show as written and ping no one.
    const description = (call?.body as { embeds: { description: string }[] }).embeds[0]?.description;
    expect(description).toContain('\\<@123456789012345678>');
    expect(description).toContain('@\u200beveryone');
  });

  it('sorts refusals: 403 pauses, 404 no channel, 5xx unknown (it may exist), a long rate limit not sent', async () => {
    fake.denyChannel(fake.channelId);
    expect(await poster.post(fake.channelId, part)).toEqual({ outcome: 'refused', reason: 'forbidden', detail: 'Missing Permissions' });
    fake.allowChannel(fake.channelId);
    expect(await poster.post('123456789012345678', part)).toMatchObject({ outcome: 'refused', reason: 'no-channel' });
    fake.failRoute(/^POST .*\/channels\/\d+\/messages$/, 500, 2);
    expect(await poster.post(fake.channelId, part)).toMatchObject({ outcome: 'unknown' });
    fake.failRoute(/^POST .*\/channels\/\d+\/messages$/, 429, 1, 30);
    expect(await poster.post(fake.channelId, part)).toMatchObject({ outcome: 'not-sent' });
    expect(postFailure(new Error('socket hang up'))).toEqual({ outcome: 'unknown', detail: 'socket hang up' });
  });

  it('sends a DM through a DM channel, and names a channel', async () => {
    const ann = makeUser('ann');
    expect(await poster.notifyUser(ann.id, textReply('info', 'Your reading plan is paused', ['Footnote could not post ¶1.']))).toBe(true);
    const dm = fake.dmChannels.get(ann.id) as string;
    expect(fake.messagesIn(dm).map((message) => (message.embeds as { title: string }[])[0]?.title)).toEqual(['Your reading plan is paused']);
    expect(await poster.channelName(fake.channelId)).toBe('#study-group');
    expect(await poster.channelName('123456789012345678')).toBeUndefined();
  });

  it('cannot read a channel the fake does not list: a post in doubt then stays unknown', async () => {
    expect(await poster.recentMessages(fake.channelId)).toBeUndefined();
  });
});
