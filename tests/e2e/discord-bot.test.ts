/**
 * Footnote on Discord, end to end: the real entry point (`src/main.ts` with
 * DISCORD_TOKEN set) runs as a child process, with the real discord.js client,
 * against a fake Discord on 127.0.0.1 that records every REST call.
 *
 * One bot process serves the whole file (tests run in order); each test acts as
 * a different user so the per-user cooldown never interferes, except where it
 * is the subject. FOOTNOTE_FAULTS lets a test make a handler throw (KABOOM),
 * run slowly (SNAIL) or block the bot's thread (FREEZE); see src/discord/faults.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { testApp } from '../support/app.ts';
import { BotProcess } from '../support/bot-process.ts';
import { FakeDiscord, makeUser, type FakeUser, type RecordedCall, type SentInteraction } from '../support/fake-discord.ts';

interface Embed {
  title?: string;
  description?: string;
  fields?: { name: string; value: string }[];
  footer?: { text: string };
}
interface Button {
  custom_id: string;
  label: string;
}
interface Message {
  content?: string;
  embeds?: Embed[];
  components?: { components: Button[] }[];
  flags?: number;
  allowed_mentions?: { parse?: string[]; users?: string[]; replied_user?: boolean };
  message_reference?: { message_id: string; fail_if_not_exists?: boolean };
}

const EPHEMERAL = 64;
const FOOTER = 'Russian-Iranian Relations: Troubled Ties — Mark N. Katz';
const ARTICLE = 'russian-iranian-relations-troubled-ties';

let fake: FakeDiscord;
let bot: BotProcess;
/** The same corpus and commands the bot loads, to compare its answers with. */
let app: App;

beforeAll(async () => {
  // Loaded first: building the index blocks this process, which also serves the fake Discord.
  app = await testApp();
  fake = await FakeDiscord.start();
  bot = await BotProcess.start(fake, { FOOTNOTE_FAULTS: 'throw=KABOOM,slow=SNAIL,block=FREEZE' });
}, 30_000);

afterAll(async () => {
  bot?.kill();
  await fake?.close();
});

const question = (value: string) => [{ name: 'question', type: 3, value }];

async function answer(interaction: SentInteraction): Promise<Message> {
  return (await fake.answerTo(interaction)).data as Message;
}

function buttons(message: Message): Button[] {
  return (message.components ?? []).flatMap((row) => row.components);
}

function embedOf(message: Message): Embed {
  expect(message.embeds).toHaveLength(1);
  return message.embeds?.[0] as Embed;
}

/** The checks every answer with citations must pass. */
function expectCitedAnswer(message: Message): Embed {
  const embed = embedOf(message);
  expect(embed.description).toMatch(/\(¶\d+\)/);
  expect(embed.fields?.length).toBeGreaterThan(0);
  for (const field of embed.fields ?? []) expect(field.name).toMatch(/^¶\d+ · body$/);
  expect(embed.footer?.text).toBe(FOOTER);
  expect(buttons(message).some((button) => /^Full ¶\d+$/.test(button.label))).toBe(true);
  expect(message.allowed_mentions).toEqual({ parse: [] });
  return embed;
}

function channelMessage(call: RecordedCall): Message {
  return call.body as Message;
}

describe('the client', () => {
  it('identifies with the least intents: Guilds, GuildMessages and DirectMessages, none privileged', () => {
    const GUILDS = 1 << 0;
    const GUILD_MESSAGES = 1 << 9;
    const DIRECT_MESSAGES = 1 << 12;
    expect(fake.lastIntents).toBe(GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES);
    expect(fake.lastGatewayToken).toBe(bot.token);
  });
});

describe('slash commands', () => {
  it('/why-not-allies answers publicly with an embed of cited passages and buttons', async () => {
    const message = await answer(fake.sendSlash('why-not-allies', [], { user: makeUser('ana') }));
    const embed = expectCitedAnswer(message);
    expect(embed.title).toBe('Why are Russia and Iran not allies?');
    expect(embed.description).toContain('Russia and Iran are not allies');
    expect(message.flags ?? 0).toBe(0);
  });

  it('/ask answers with ¶ citations; private:true makes it ephemeral', async () => {
    const user = makeUser('ben');
    const open = await answer(fake.sendSlash('ask', question('Why did Iran refuse the oil freeze?'), { user }));
    expectCitedAnswer(open);
    expect(open.flags ?? 0).toBe(0);

    const hidden = await answer(fake.sendSlash('ask', [...question('Why did Iran refuse the oil freeze?'), { name: 'private', type: 5, value: true }], { user }));
    expectCitedAnswer(hidden);
    expect(hidden.flags).toBe(EPHEMERAL);
  });

  it('to:@user addresses the answer to that user and pings only them', async () => {
    const friend = makeUser('friend');
    const message = await answer(fake.sendSlash('ask', [...question('Who is Velayati?'), { name: 'to', type: 6, value: friend.id }], { user: makeUser('cal') }, [friend]));
    expect(message.content).toBe(`for <@${friend.id}>`);
    expect(message.allowed_mentions).toEqual({ parse: [], users: [friend.id] });
    expect(embedOf(message).description).toMatch(/\(¶\d+\)/);
  });

  it('to:@user pings even when the answer comes late: the deferral is replaced by a new message, since edits notify no one', async () => {
    const friend = makeUser('pal');
    const sent = fake.sendSlash('ask', [...question('SNAIL Who is Velayati?'), { name: 'to', type: 6, value: friend.id }], { user: makeUser('cat') }, [friend]);
    const followUp = await fake.waitForCall((call) => call.method === 'POST' && call.route === `/api/v10/webhooks/${fake.applicationId}/${sent.token}`, 8_000);
    expect(fake.callsFor(sent).map((call) => `${call.method} ${call.route.split('/')[3]}`)).toEqual(['POST interactions', 'DELETE webhooks', 'POST webhooks']);
    const message = channelMessage(followUp);
    expect(message.content).toBe(`for <@${friend.id}>`);
    expect(message.allowed_mentions).toEqual({ parse: [], users: [friend.id] });
    expect(message.flags ?? 0).toBe(0);
    expect(embedOf(message).description).toMatch(/\(¶\d+\)/);
  });

  it('to:@user with private:true says that user was not notified, and pings no one', async () => {
    const friend = makeUser('mate');
    const message = await answer(
      fake.sendSlash('ask', [...question('Who is Velayati?'), { name: 'to', type: 6, value: friend.id }, { name: 'private', type: 5, value: true }], { user: makeUser('dan') }, [friend]),
    );
    expect(message.flags).toBe(EPHEMERAL);
    expect(message.content).toContain(`<@${friend.id}> was not notified`);
    expect(message.allowed_mentions).toEqual({ parse: [] });
  });

  it('works in a server the bot is not in, when a user installed the app', async () => {
    const message = await answer(fake.sendSlash('why-not-allies', [], { user: makeUser('uli'), in: 'other-guild' }));
    expectCitedAnswer(message);
  });

  it('works in a DM with the bot too', async () => {
    const message = await answer(fake.sendSlash('passage', [{ name: 'number', type: 4, value: 9 }], { user: makeUser('dee'), in: 'dm' }));
    expect(embedOf(message).title).toBe('¶9');
    expect(embedOf(message).description).toContain('Despite their numerous anti-Western interests');
  });
});

describe('autocomplete for ask.question', () => {
  it('returns at most 25 choices with names of at most 100 characters', async () => {
    const user = makeUser('eve');
    for (const typed of ['', 'russ', 'why', 'x'.repeat(300)]) {
      const result = await fake.answerTo(fake.sendAutocomplete('ask', [{ name: 'question', type: 3, value: typed, focused: true }], { user }));
      expect(result.type).toBe(8);
      const { choices } = result.data as { choices: { name: string; value: string }[] };
      expect(choices.length).toBeLessThanOrEqual(25);
      if (typed !== 'x'.repeat(300)) expect(choices.length).toBeGreaterThan(0);
      for (const choice of choices) {
        expect(choice.name.length).toBeGreaterThan(0);
        expect(choice.name.length).toBeLessThanOrEqual(100);
        expect(choice.value.length).toBeLessThanOrEqual(100);
      }
    }
    // Only this test autocompletes: one log line per request, each answered well inside the deadline.
    const logs = await bot.waitForLogs((line) => line.msg === 'handled' && line.kind === 'autocomplete', 4);
    expect(logs).toHaveLength(4);
    for (const log of logs) expect(log).toMatchObject({ command: 'ask', outcome: 'answered', latencyMs: expect.any(Number) });
    for (const log of logs) expect(log.latencyMs).toBeLessThan(1_000);
  });
});

describe('buttons', () => {
  it('"Full ¶N" shows the whole paragraph to the clicker only', async () => {
    const user = makeUser('fay');
    const first = await answer(fake.sendSlash('ask', question('Why are Russia and Iran not allies?'), { user }));
    const full = buttons(first).find((button) => button.label.startsWith('Full ¶'));
    const number = Number(full?.label.slice('Full ¶'.length));
    expect(embedOf(first).fields?.map((field) => field.name)).toContain(`¶${number} · body`);
    const paragraph = app.context.library.passage(number).passages[0]?.full as string;

    const message = await answer(fake.sendButton(full?.custom_id as string, { user: makeUser('gus') }));
    expect(message.flags).toBe(EPHEMERAL);
    expect(embedOf(message).title).toBe(`¶${number}`);
    expect(embedOf(message).description).toContain(paragraph.slice(0, 200));
    expect(message.allowed_mentions).toEqual({ parse: [] });
  });

  it('"More passages" shows the next passages, and still works after a restart (state is in the custom_id)', async () => {
    const user = makeUser('hal');
    const first = await answer(fake.sendSlash('ask', question('Why are Russia and Iran not allies?'), { user }));
    const more = buttons(first).find((button) => button.label === 'More passages');
    expect(more?.custom_id.length).toBeLessThanOrEqual(100);
    const shown = new Set(embedOf(first).fields?.map((field) => field.name));

    // The bot never saw this click's message before: only the custom_id carries the state.
    const next = await answer(fake.sendButton(more?.custom_id as string, { user, in: 'dm' }));
    expect(next.flags).toBe(EPHEMERAL);
    const fields = embedOf(next).fields ?? [];
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) expect(shown.has(field.name)).toBe(false);
  });

  it('"More passages" after a question too long to fit in a custom_id shows the true next passages, page after page', async () => {
    const long = 'Why are Russia and Iran not allies even though they both oppose the West and share interests in Syria and the Caspian?';
    const user = makeUser('lia');
    const labels = (message: Message) => embedOf(message).fields?.map((field) => field.name.split(' · ')[0]);
    let message = await answer(fake.sendSlash('ask', question(long), { user }));
    for (const offset of [3, 6]) {
      const more = buttons(message).find((button) => button.label === 'More passages');
      expect(more?.custom_id.length).toBeLessThanOrEqual(100);
      message = await answer(fake.sendButton(more?.custom_id as string, { user }));
      expect(message.flags).toBe(EPHEMERAL);
      expect(labels(message)).toEqual(app.context.library.ask(long, { offset }).passages.map((passage) => passage.cite.label));
    }
  });

  it('a forged or stale custom_id gets an ephemeral explanation', async () => {
    const user = makeUser('ida');
    for (const customId of ['hello', 'fn0:p:9:' + ARTICLE, 'fn1:p:0:' + ARTICLE, 'fn1:p:9:../../etc', 'fn1:m:abc:why', 'fn1:x:1:y', `fn1:r:${ARTICLE}:0`, 'fn1:r:no-such-article:0102', `fn1:r:${ARTICLE}:zz`]) {
      const message = await answer(fake.sendButton(customId, { user }));
      expect(message.flags).toBe(EPHEMERAL);
      expect(message.content).toMatch(/out of date|not made by Footnote/);
    }
    // Well-formed but pointing nowhere: the library explains, still privately.
    const missing = await answer(fake.sendButton('fn1:p:9:no-such-article', { user: makeUser('jon') }));
    expect(missing.flags).toBe(EPHEMERAL);
    expect(embedOf(missing).title).toBe('Unknown article');
    const outOfRange = await answer(fake.sendButton(`fn1:p:999:${ARTICLE}`, { user: makeUser('kim') }));
    expect(embedOf(outOfRange).title).toBe('No such passage');
  });
});

describe('the "Find in article" message command', () => {
  it('searches the article for the selected message', async () => {
    const author = makeUser('lou');
    const message = await answer(
      fake.sendMessageCommand('Find in article', { content: 'Someone said Iran is buying more arms from Russia, is that true?', author }, { user: makeUser('max') }),
    );
    const embed = embedOf(message);
    expect(embed.title).toMatch(/^Find in article: /);
    expect(embed.description).toMatch(/\(¶\d+\)/);
    expect(message.allowed_mentions).toEqual({ parse: [] });
  });

  it('reads an embed-only message, such as one of Footnote’s own answers', async () => {
    const embeds = [{ title: 'Why are Russia and Iran not allies?', description: '> Despite their numerous anti-Western interests, Russia and Iran are not allies. **(¶9)**' }];
    const message = await answer(fake.sendMessageCommand('Find in article', { content: '', author: fake.botUser, embeds }, { user: makeUser('mia') }));
    expect(embedOf(message).description).toContain('(¶9)');
  });
});

describe('direct messages and mentions', () => {
  it('a plain DM is a question and gets a cited answer', async () => {
    const sent = fake.sendMessage('why did iran refuse the oil freeze', { user: makeUser('ned'), in: 'dm' });
    const reply = channelMessage(await fake.replyTo(sent.id));
    expect(embedOf(reply).description).toMatch(/\(¶\d+\)/);
    expect(reply.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('a question deleted before the answer arrives still gets the answer, just not as a reply', async () => {
    const asked = fake.sendMessage(`<@${fake.botUser.id}> who is Velayati?`, { user: makeUser('del'), mentions: [fake.botUser] });
    fake.deleteMessage(asked.id);
    const reply = await fake.replyTo(asked.id);
    expect(channelMessage(reply).message_reference).toMatchObject({ message_id: asked.id, fail_if_not_exists: false });
    expect(reply.status).toBe(200);
    expect(embedOf(channelMessage(reply)).description).toMatch(/\(¶\d+\)/);
  });

  it('a DM typed as /why-not-allies or /passage 9 runs that command', async () => {
    const user = makeUser('oda');
    const topic = channelMessage(await fake.replyTo(fake.sendMessage('/why-not-allies', { user, in: 'dm' }).id));
    expect(embedOf(topic).title).toBe('Why are Russia and Iran not allies?');
    const passage = channelMessage(await fake.replyTo(fake.sendMessage('/passage 9', { user, in: 'dm' }).id));
    expect(embedOf(passage).title).toBe('¶9');
    const unknown = channelMessage(await fake.replyTo(fake.sendMessage('/nope', { user, in: 'dm' }).id));
    expect(embedOf(unknown).description).toContain('Unknown command /nope');
  });

  it('a mention in a server is answered as a reply to that message; a bare mention gets help', async () => {
    const user = makeUser('pia');
    const asked = fake.sendMessage(`<@${fake.botUser.id}> who is Velayati?`, { user, mentions: [fake.botUser] });
    const reply = await fake.replyTo(asked.id);
    expect(reply.route).toBe(`/api/v10/channels/${fake.channelId}/messages`);
    expect(embedOf(channelMessage(reply)).description).toMatch(/\(¶\d+\)/);
    expect(embedOf(channelMessage(reply)).title).toBe('who is Velayati?');

    const bare = channelMessage(await fake.replyTo(fake.sendMessage(`<@!${fake.botUser.id}>`, { user, mentions: [fake.botUser] }).id));
    expect(embedOf(bare).description).toContain('mention me with a question');
  });

  it('ignores bots (itself included) and server messages that do not mention it', async () => {
    const otherBot = makeUser('otherbot', { bot: true });
    const ignored = [
      fake.sendMessage(`<@${fake.botUser.id}> why not allies?`, { user: otherBot, mentions: [fake.botUser] }),
      fake.sendMessage('why not allies?', { user: otherBot, in: 'dm' }),
      fake.sendMessage(`<@${fake.botUser.id}> why not allies?`, { user: fake.botUser, mentions: [fake.botUser] }),
      fake.sendMessage('why are russia and iran not allies?', { user: makeUser('quinn') }),
    ];
    // A message sent after them is answered; by then the ignored ones would have been too.
    const later = fake.sendMessage('why not allies?', { user: makeUser('rae'), in: 'dm' });
    await fake.replyTo(later.id);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const referenced = fake.sentMessages().map(({ message }) => (message as Message).message_reference?.message_id);
    for (const message of ignored) expect(referenced).not.toContain(message.id);
  });
});

describe('no one is ever pinged', () => {
  const pings = (user: FakeUser) => `@everyone @here <@&${user.id}> <@${user.id}> why are Russia and Iran not allies?`;

  it('mentions inside questions are not pings, on every path', async () => {
    const victim = makeUser('victim');
    const user = makeUser('sam');
    const slash = await answer(fake.sendSlash('ask', question(pings(victim)), { user }));
    expect(slash.allowed_mentions).toEqual({ parse: [] });
    expect(embedOf(slash).title).not.toContain('@everyone');
    const dm = channelMessage(await fake.replyTo(fake.sendMessage(pings(victim), { user, in: 'dm' }).id));
    expect(dm.allowed_mentions?.parse).toEqual([]);
    const mention = channelMessage(await fake.replyTo(fake.sendMessage(`<@${fake.botUser.id}> ${pings(victim)}`, { user: makeUser('tia'), mentions: [fake.botUser] }).id));
    expect(mention.allowed_mentions?.parse).toEqual([]);
    const menu = await answer(fake.sendMessageCommand('Find in article', { content: pings(victim), author: victim }, { user: makeUser('uma') }));
    expect(menu.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('hostile and odd input', () => {
  it('6,000-character questions are cut with a notice and answered within the limits', async () => {
    const long = `Why are Russia and Iran not allies? ${'Explain it to me in detail please. '.repeat(200)}`.slice(0, 6_000);
    const dm = channelMessage(await fake.replyTo(fake.sendMessage(long, { user: makeUser('val'), in: 'dm' }).id));
    expect(dm.content).toMatch(/longer than 300 characters/);
    expect(embedOf(dm).title?.length).toBeLessThanOrEqual(256);
    const mention = channelMessage(await fake.replyTo(fake.sendMessage(`<@${fake.botUser.id}> ${long}`, { user: makeUser('wes'), mentions: [fake.botUser] }).id));
    expect(mention.content).toMatch(/longer than 300 characters/);
    // Discord itself caps the option at 300; the bot copes even if something longer arrives.
    const slash = await answer(fake.sendSlash('ask', question(long), { user: makeUser('xia') }));
    expect(embedOf(slash).title?.length).toBeLessThanOrEqual(256);
    const menu = await answer(fake.sendMessageCommand('Find in article', { content: long, author: makeUser('yan') }, { user: makeUser('zed') }));
    expect(embedOf(menu).title?.length).toBeLessThanOrEqual(256);
  });

  it('zero-width, emoji-only and markdown-heavy questions get a sensible reply', async () => {
    for (const text of ['\u200b\u200b\u200d\ufeff', '🤔🤔🤔']) {
      const message = await answer(fake.sendSlash('ask', question(text), { user: makeUser('odd') }));
      expect(embedOf(message).title).toBe('Ask me about the article');
    }
    const markdown = await answer(fake.sendSlash('ask', question('**__~~||`#> [click](http://e.x) why__ not allies||~~**'), { user: makeUser('md') }));
    const title = embedOf(markdown).title ?? '';
    // Shown as typed: every Markdown character escaped, so nothing renders as formatting or a link.
    expect(title).toContain('\\*\\*\\_\\_\\~\\~\\|\\|\\`');
    expect(title).toContain('\\[click\\](');
    expect(title).not.toMatch(/(^|[^\\])[*_~|`]/);

    const user = makeUser('abe');
    const zeroWidth = channelMessage(await fake.replyTo(fake.sendMessage('\u200b\u200b', { user, in: 'dm' }).id));
    expect(embedOf(zeroWidth).description).toContain('mention me with a question');
    const emoji = channelMessage(await fake.replyTo(fake.sendMessage('🤔', { user, in: 'dm' }).id));
    expect(embedOf(emoji).title).toBe('Ask me about the article');
  });
});

describe('robustness', () => {
  it('a handler that throws gets an ephemeral apology with an error id, and the next command is answered', async () => {
    const user = makeUser('bea');
    const apology = await answer(fake.sendSlash('ask', question('KABOOM why not allies'), { user }));
    expect(apology.flags).toBe(EPHEMERAL);
    const errorId = /error id ([0-9a-f]+)/.exec(apology.content ?? '')?.[1];
    expect(errorId).toBeDefined();
    const logged = await bot.waitForLog((line) => line.msg === 'command handler failed' && line.errorId === errorId);
    expect(logged.command).toBe('ask');

    expectCitedAnswer(await answer(fake.sendSlash('why-not-allies', [], { user })));
    const dmApology = channelMessage(await fake.replyTo(fake.sendMessage('KABOOM', { user: makeUser('cy'), in: 'dm' }).id));
    expect(dmApology.content).toMatch(/error id [0-9a-f]+/);
    expect(bot.running).toBe(true);
  });

  it('a slow handler that then throws: public deferral replaced by a private apology', async () => {
    const sent = fake.sendSlash('ask', question('SNAIL KABOOM'), { user: makeUser('fin') });
    const followUp = await fake.waitForCall((call) => call.method === 'POST' && call.route === `/api/v10/webhooks/${fake.applicationId}/${sent.token}`, 8_000);
    const calls = fake.callsFor(sent).map((call) => `${call.method} ${call.route.split('/').slice(3, 4).join('')}`);
    expect(calls).toEqual(['POST interactions', 'DELETE webhooks', 'POST webhooks']);
    expect((fake.callsFor(sent)[0]?.body as { type: number }).type).toBe(5);
    expect(channelMessage(followUp).flags).toBe(EPHEMERAL);
    expect(channelMessage(followUp).content).toMatch(/error id [0-9a-f]+/);
  });

  it('a slow handler is deferred within the deadline, then the answer is edited in', async () => {
    const [result, hidden] = await Promise.all([
      fake.answerTo(fake.sendSlash('ask', question('SNAIL why are Russia and Iran not allies'), { user: makeUser('dot') }), 8_000),
      fake.answerTo(fake.sendSlash('ask', [...question('SNAIL why not allies'), { name: 'private', type: 5, value: true }], { user: makeUser('eli') }), 8_000),
    ]);
    expect(result.type).toBe(5);
    expect(result.data.flags).toBe(0);
    expectCitedAnswer(result.data as Message);
    expect(hidden.type).toBe(5);
    expect(hidden.data.flags).toBe(EPHEMERAL);
    const deferred = await bot.waitForLog((line) => line.outcome === 'deferred');
    expect(deferred.latencyMs).toBeGreaterThanOrEqual(1_000);
  });

  it('a handler that blocks the thread for 3.5 s is still acknowledged within 3 s, then answered', async () => {
    const sent = fake.sendSlash('ask', question('FREEZE why are Russia and Iran not allies'), { user: makeUser('ole') });
    const result = await fake.answerTo(sent, 8_000);
    const [callback, edit] = result.calls;
    expect(callback?.body).toEqual({ type: 5, data: {} });
    expect((callback?.at ?? Infinity) - sent.createdAt).toBeLessThan(3_000);
    expect((edit?.at ?? 0) - sent.createdAt).toBeGreaterThanOrEqual(3_500);
    expectCitedAnswer(result.data as Message);
  });

  it('a 500 on the callback is logged, the process lives, and the next command is answered', async () => {
    const user = makeUser('flo');
    // Matched by interaction id so retries of this one request keep failing, as an outage would.
    let failedId = '';
    fake.failRoute((call) => failedId !== '' && call.route.includes(`/interactions/${failedId}/`), 500, 10);
    const failed = fake.sendSlash('why-not-allies', [], { user });
    failedId = failed.id;
    const logged = await bot.waitForLog((line) => line.msg === 'could not send the answer' && (line.err as { status?: number } | undefined)?.status === 500);
    expect(logged.errorId).toMatch(/^[0-9a-f]+$/);
    expect(fake.callsFor(failed).every((call) => call.status === 500)).toBe(true);

    expect(bot.running).toBe(true);
    expectCitedAnswer(await answer(fake.sendSlash('why-not-allies', [], { user })));
  });

  it('a 429 on the callback is logged and the answer goes through after the wait', async () => {
    let limitedId = '';
    fake.failRoute((call) => limitedId !== '' && call.route.includes(`/interactions/${limitedId}/`), 429, 1, 0.2);
    const limited = fake.sendSlash('why-not-allies', [], { user: makeUser('gil') });
    limitedId = limited.id;
    expectCitedAnswer(await answer(limited));
    expect(fake.callsFor(limited).map((call) => call.status)).toEqual([429, 204]);
    await bot.waitForLog((line) => line.msg === 'rate limited by Discord');
  });

  it('after the gateway drops, the client resumes, gets what was sent meanwhile, and answers the next command', async () => {
    const identifies = fake.identifies;
    fake.dropGateway();
    // Sent while the connection is down: replayed on RESUME, as Discord does.
    const meanwhile = fake.sendSlash('why-not-allies', [], { user: makeUser('hugo') });
    await fake.waitForResume(1, 10_000);
    await fake.waitForReady(2, 10_000);
    expect(fake.identifies).toBe(identifies);
    expect(fake.lastGatewayToken).toBe(bot.token);
    expectCitedAnswer(await answer(meanwhile));
    expectCitedAnswer(await answer(fake.sendSlash('why-not-allies', [], { user: makeUser('hugh') })));
  });

  it('a malformed event from the gateway is logged, and the bot goes on', async () => {
    // No `entitlements`: discord.js 14.28 fails to build the interaction.
    fake.dispatch('INTERACTION_CREATE', { id: '1', type: 2, token: 'broken', application_id: fake.applicationId, data: { id: '2', name: 'ask', type: 1 }, user: makeUser('kai') });
    await bot.waitForLog((line) => line.msg === 'unhandled promise rejection');
    expect(bot.running).toBe(true);
    expectCitedAnswer(await answer(fake.sendSlash('why-not-allies', [], { user: makeUser('kai') })));
  });

  it('a user over 5 requests in 10 s is told to slow down, across commands and DMs', async () => {
    const user = makeUser('ivy');
    for (let i = 0; i < 3; i += 1) await answer(fake.sendSlash('why-not-allies', [], { user }));
    for (let i = 0; i < 2; i += 1) await fake.replyTo(fake.sendMessage('why not allies', { user, in: 'dm' }).id);
    const refused = await answer(fake.sendSlash('ask', question('why not allies'), { user }));
    expect(refused.flags).toBe(EPHEMERAL);
    expect(refused.content).toMatch(/^Slow down a little: you can ask again in \d+ s\.$/);
    // Someone else is not affected.
    expectCitedAnswer(await answer(fake.sendSlash('why-not-allies', [], { user: makeUser('jay') })));
  });
});

describe('what the bot sent and logged, over the whole run', () => {
  it('every message, edit, follow-up and DM pinged no one, except the user a "for @user" answer addresses', () => {
    const sent = fake.sentMessages();
    expect(sent.length).toBeGreaterThan(40);
    let addressedMessages = 0;
    for (const { call, message } of sent) {
      const { allowed_mentions: allowed, content } = message as Message;
      const where = `${call.method} ${call.route}: ${JSON.stringify(message).slice(0, 200)}`;
      expect(allowed?.parse, where).toEqual([]);
      const addressed = /^for <@(\d+)>(\n|$)/.exec(content ?? '')?.[1];
      if (addressed === undefined) {
        expect(allowed?.users, where).toBeUndefined();
      } else {
        expect(allowed?.users, where).toEqual([addressed]);
        addressedMessages += 1;
      }
      // A reply in a channel does not ping the person it replies to either.
      if (/\/channels\/\d+\/messages$/.test(call.route)) expect(allowed?.replied_user, where).toBe(false);
    }
    // The to:@user tests: answered at once, and after a deferral.
    expect(addressedMessages).toBe(2);
  });

  it('every message respected Discord limits', () => {
    for (const { message } of fake.sentMessages()) {
      const m = message as Message;
      expect(m.content?.length ?? 0).toBeLessThanOrEqual(2_000);
      for (const embed of m.embeds ?? []) {
        const total = (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0);
        expect(total).toBeLessThanOrEqual(6_000);
        expect(embed.title?.length ?? 0).toBeLessThanOrEqual(256);
        expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4_096);
        expect((embed.fields ?? []).length).toBeLessThanOrEqual(25);
        for (const field of embed.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(1_024);
      }
      for (const row of m.components ?? []) {
        expect(row.components.length).toBeLessThanOrEqual(5);
        for (const button of row.components) {
          expect(button.custom_id.length).toBeLessThanOrEqual(100);
          expect(button.label.length).toBeLessThanOrEqual(80);
        }
      }
    }
  });

  it('logged one line per interaction with kind, command, latency and outcome, and no content or token at info', () => {
    const handled = bot.logs.filter((line) => line.msg === 'handled');
    expect(handled.length).toBeGreaterThan(40);
    for (const line of handled) {
      expect(line).toEqual(expect.objectContaining({ kind: expect.any(String), command: expect.any(String), latencyMs: expect.any(Number), outcome: expect.any(String) }));
    }
    expect(new Set(handled.map((line) => line.kind))).toEqual(new Set(['slash', 'autocomplete', 'button', 'context-menu', 'dm', 'mention']));
    expect(bot.output).not.toContain(bot.token);
    expect(bot.output).not.toContain('interaction-token-');
    for (const text of ['oil freeze', 'Velayati', 'Someone said Iran', 'Explain it to me']) expect(bot.output).not.toContain(text);
    // The one unhandled rejection is discord.js failing on the malformed event above; none is ours.
    const unhandled = bot.logs.filter((line) => line.msg === 'unhandled promise rejection');
    expect(unhandled).toHaveLength(1);
    expect((unhandled[0]?.err as { stack: string }).stack).toContain('BaseInteraction');
    expect(bot.output).not.toMatch(/UnhandledPromiseRejection|Uncaught/i);
  });

  it('SIGTERM: disconnects and exits 0 within 2 s', async () => {
    const { code, ms } = await bot.signal('SIGTERM');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(2_000);
    expect(bot.logs.some((line) => line.msg === 'stopping' && line.signal === 'SIGTERM')).toBe(true);
  });
});
