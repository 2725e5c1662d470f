/**
 * Spaced review end to end: the real bot with SQLite in a fresh folder
 * against the fake Discord, its clock sped up with FOOTNOTE_CLOCK (ten
 * minutes a real second). A quiz answered wrong becomes a card that /review
 * shows privately; Good brings it back later; a SIGKILL and restart keep it;
 * the export carries the sentence and its ¶; the daily reminder arrives as a
 * DM once, not again after a restart; closed DMs stop it and the member is
 * told. And the same commands in the terminal chat.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Quiz, ReviewReminder } from '../../src/store/types.ts';
import { buttonLabelled, buttonsOf, embedOf, EPHEMERAL, type Button, type Embed, type Message } from '../support/discord-messages.ts';
import { FastBot } from '../support/fast-bot.ts';
import { FakeDiscord, makeUser, type CommandOptionValue, type FakeUser, type SentInteraction } from '../support/fake-discord.ts';
import { runScript } from '../support/run.ts';

/** Ten simulated minutes every real second: a learning step passes in a second, a day takes 144 s. */
const SPEED = 600;
const START = Date.parse('2026-03-02T07:00:00Z');

let fake: FakeDiscord;
let bot: FastBot;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  bot = await FastBot.start(fake, 'review', START, SPEED);
}, 30_000);

afterAll(async () => {
  bot?.close();
  await fake?.close();
});

const sub = (name: string, options: CommandOptionValue[] = []) => [{ name, type: 1, options }] as unknown as CommandOptionValue[];
const titleOf = (message: Message) => embedOf(message).title ?? '';
const textOf = (message: Message) => embedOf(message).description ?? '';

async function answerTo(interaction: SentInteraction): Promise<{ type: number; message: Message; files: { name: string; text: string }[] }> {
  const { type, data, calls } = await fake.answerTo(interaction);
  return { type, message: data as Message, files: (calls[0]?.files ?? []).map((file) => ({ name: file.name, text: file.text })) };
}

const review = (user: FakeUser, subcommand: string, options: CommandOptionValue[] = []) => answerTo(fake.sendSlash('review', sub(subcommand, options), { user }));
const click = (button: Button, user: FakeUser) => answerTo(fake.sendButton(button.custom_id, { user }));
const inMinutes = (minutes: number) => bot.inMinutes(minutes).at;

describe('spaced review on Discord', () => {
  it('a missed quiz becomes a private card; Good brings it back later; a restart keeps it; the export cites it', async () => {
    const ada = makeUser('ada');
    const started = await answerTo(fake.sendSlash('quiz', sub('start', [{ name: 'kind', type: 3, value: 'cloze' }]), { user: makeUser('starter') }));
    const id = Number(/^Quiz #(\d+): /.exec(titleOf(started.message))?.[1]);
    const quiz = (await bot.withStore((store) => store.quizzes.get(`guild:${fake.guildId}`, id))) as Quiz;
    const wrong = buttonsOf(started.message).find((_, index) => index < 4 && index !== quiz.answer) as Button;
    expect((await click(wrong, ada)).type).toBe(7);

    // The card is written behind the verdict: it is there by the next command.
    let front = await review(ada, 'next');
    for (let tries = 0; titleOf(front.message) === 'Nothing to review' && tries < 20; tries += 1) {
      await delay(50);
      front = await review(ada, 'next');
    }
    expect(front.message.flags).toBe(EPHEMERAL);
    expect(front.message.allowed_mentions).toEqual({ parse: [] });
    expect(titleOf(front.message)).toBe(`Review: ¶${quiz.paragraph}`);
    expect(textOf(front.message)).toContain('what fills the blank?');
    const shown = await click(buttonLabelled(front.message, /^Show answer$/), ada);
    expect(shown.type).toBe(7);
    expect(textOf(shown.message)).toContain(`Answer: ${quiz.options[quiz.answer]}`);
    expect(textOf(shown.message)).toContain(`(¶${quiz.paragraph})`);
    expect(buttonsOf(shown.message).map((button) => button.label.split(' · ')[0])).toEqual(['Again', 'Hard', 'Good', 'Easy']);
    const good = await click(buttonLabelled(shown.message, /^Good/), ada);
    expect(titleOf(good.message)).toBe(`Good: ¶${quiz.paragraph} comes back in 10 minutes`);

    // Ten simulated minutes later it is due again; a second Good sends it days away.
    await delay(1_200);
    const again = await click(buttonLabelled((await review(ada, 'next')).message, /^Show answer$/), ada);
    const days = await click(buttonLabelled(again.message, /^Good/), ada);
    expect(titleOf(days.message)).toMatch(new RegExp(`^Good: ¶${quiz.paragraph} comes back in [2-9] days$`));

    await bot.restart();
    const stats = await review(ada, 'stats');
    expect(textOf(stats.message)).toContain('Cards: 1 in this server; due now: 0.');
    expect(textOf(stats.message)).toContain('Reviewed today: 2.');
    expect(titleOf((await review(ada, 'next')).message)).toBe('Nothing to review');
    // Another member has a deck of their own.
    expect(textOf((await review(makeUser('bo'), 'next')).message)).toContain('Your review deck in this server is empty');

    const exported = await review(ada, 'export');
    expect(exported.message.flags).toBe(EPHEMERAL);
    const file = exported.files[0];
    expect(file?.name).toBe('footnote-review.txt');
    const line = (file?.text ?? '').trimEnd().split('\n').at(-1) ?? '';
    const [cardFront, back, tags] = line.split('\t');
    expect(cardFront).toContain(quiz.prompt);
    expect(back).toContain(quiz.sentence);
    expect(tags).toBe(`${quiz.article} ¶${quiz.paragraph}`);
  }, 60_000);

  it('sends the daily reminder as a DM once, not again after a restart; closed DMs stop it and the member is told', async () => {
    const cy = makeUser('cy');
    // Private from the start: a slow answer (the quiz bank builds on first use) is deferred ephemerally too.
    const addedSix = await review(cy, 'add', [{ name: 'paragraph', type: 4, value: 6 }]);
    expect(addedSix.message.flags).toBe(EPHEMERAL);
    expect(titleOf(addedSix.message)).toBe('Added to your review deck');
    const set = await review(cy, 'remind', [{ name: 'at', type: 3, value: inMinutes(20) }]);
    expect(titleOf(set.message)).toBe('Daily review reminder set');
    await fake.waitFor(() => (bot.dmsTo(cy).length > 0 ? true : undefined), 10_000, 'the reminder DM');
    const [dm] = bot.dmsTo(cy);
    expect((dm?.embeds as Embed[] | undefined)?.[0]?.title).toBe('Review: 5 cards due');
    expect((dm?.embeds as Embed[] | undefined)?.[0]?.description).toContain('5 in a server');
    await bot.restart();
    // An hour of simulated time after the restart: still the one message.
    await delay(600);
    expect(bot.dmsTo(cy)).toHaveLength(1);
    const reminder = (await bot.withStore((store) => store.reviews.getReminder(cy.id))) as ReviewReminder;
    expect(reminder.nextAt - bot.now()).toBeGreaterThan(12 * 60 * 60_000);

    const di = makeUser('di');
    fake.closedDms.add(di.id);
    await review(di, 'add', [{ name: 'paragraph', type: 4, value: 2 }]);
    await review(di, 'remind', [{ name: 'at', type: 3, value: inMinutes(10) }]);
    let status: string | undefined;
    for (let tries = 0; status !== 'stopped' && tries < 100; tries += 1) {
      await delay(100);
      status = (await bot.withStore((store) => store.reviews.getReminder(di.id)))?.status;
    }
    expect(status).toBe('stopped');
    expect(bot.dmsTo(di)).toEqual([]);
    const told = await review(di, 'next');
    expect(textOf(told.message)).toContain('Your daily reminder is off: Footnote could not send you a direct message');
  }, 60_000);
});

describe('spaced review in the terminal chat', () => {
  it('adds, shows, grades and exports with typed commands', async () => {
    const { code, stdout } = await runScript('src/main.ts', [], { input: 'Why are Russia and Iran not allies?\n/remember\n/review next\n/show\n/press 3\n/review export\n' });
    expect(code).toBe(0);
    expect(stdout).toContain('/remember for review later');
    expect(stdout).toContain('Added 1 card from ¶9');
    expect(stdout).toContain('/show for show answer');
    expect(stdout).toContain('/press 3 for Good · 10 min');
    expect(stdout).toContain('Good: ¶9 comes back in 10 minutes');
    expect(stdout).toMatch(/--- footnote-review\.txt ---\n#separator:tab\n/);
  }, 30_000);
});
