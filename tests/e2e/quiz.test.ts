/**
 * /quiz end to end: the real bot with SQLite in a fresh data folder, against
 * the fake Discord on 127.0.0.1. A quiz started in a server, answered by two
 * members (each told privately in an ephemeral follow-up while the public
 * message's tally updates), a second click that does not count, Reveal
 * refused to another member, the bot killed and restarted on the same folder
 * and the old message's buttons still working, Reveal by the starter, scores
 * and forget-me; a quiz in a DM; and the same in the terminal chat.
 *
 * Each step is a different member where it can be, so the per-user cooldown
 * (5 requests in 10 s) never interferes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.ts';
import type { Quiz, Scope } from '../../src/store/types.ts';
import { BotProcess } from '../support/bot-process.ts';
import { FakeDiscord, makeUser, type CommandOptionValue, type FakeUser, type Place, type SentInteraction } from '../support/fake-discord.ts';
import { runScript } from '../support/run.ts';

interface Embed {
  title?: string;
  description?: string;
}
interface Button {
  custom_id: string;
  label: string;
}
interface Message {
  embeds?: Embed[];
  components?: { components: Button[] }[];
  flags?: number;
  allowed_mentions?: { parse?: string[]; users?: string[] };
}

const EPHEMERAL = 64;

let fake: FakeDiscord;
let bot: BotProcess;
let dataDir: string;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  dataDir = mkdtempSync(join(tmpdir(), 'footnote-quiz-e2e-'));
  bot = await BotProcess.start(fake, { DATA_DIR: dataDir });
}, 30_000);

afterAll(async () => {
  bot?.kill();
  await fake?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const sub = (name: string, options: CommandOptionValue[] = []) => [{ name, type: 1, options }] as unknown as CommandOptionValue[];
const embedOf = (message: Message): Embed => message.embeds?.[0] ?? {};
const titleOf = (message: Message) => embedOf(message).title ?? '';
const textOf = (message: Message) => embedOf(message).description ?? '';
const buttonsOf = (message: Message) => (message.components ?? []).flatMap((row) => row.components);

async function answerTo(interaction: SentInteraction): Promise<{ type: number; message: Message }> {
  const { type, data } = await fake.answerTo(interaction);
  return { type, message: data as Message };
}

/** The private follow-up a click's interaction posted through its webhook. */
async function followUpOf(interaction: SentInteraction): Promise<Message> {
  const call = await fake.waitForCall((candidate) => candidate.method === 'POST' && candidate.route.endsWith(`/webhooks/${fake.applicationId}/${interaction.token}`), 5_000, 'a follow-up');
  expect(call.status).toBeLessThan(300);
  return call.body as Message;
}

/** The quiz as the bot stored it, read through a second connection to its database (as a backup would). */
async function storedQuiz(scope: Scope, id: number): Promise<Quiz> {
  const store = new SqliteStore(dataDir);
  try {
    const quiz = await store.quizzes.get(scope, id);
    if (!quiz) throw new Error(`no quiz #${id} in ${scope}`);
    return quiz;
  } finally {
    await store.close();
  }
}

function quizId(message: Message): number {
  const id = /^Quiz #(\d+): /.exec(titleOf(message))?.[1];
  expect(id, JSON.stringify(message)).toBeDefined();
  return Number(id);
}

function click(button: Button, user: FakeUser, place: Partial<Place> = {}): SentInteraction {
  return fake.sendButton(button.custom_id, { user, ...place });
}

describe('a quiz in a server', () => {
  it('counts first clicks privately and publicly, survives a restart, reveals for its starter, and keeps scores', async () => {
    const [ada, bo, cy, di, ed] = ['ada', 'bo', 'cy', 'di', 'ed'].map((name) => makeUser(name)) as [FakeUser, FakeUser, FakeUser, FakeUser, FakeUser];
    const started = await answerTo(fake.sendSlash('quiz', sub('start'), { user: ada }));
    // The first quiz builds the article's quiz bank (about half a second), so it may be deferred first.
    expect([4, 5]).toContain(started.type);
    expect(started.message.flags ?? 0).toBe(0);
    expect(started.message.allowed_mentions).toEqual({ parse: [] });
    const id = quizId(started.message);
    const buttons = buttonsOf(started.message);
    expect(buttons.map((button) => button.custom_id)).toEqual([0, 1, 2, 3].map((choice) => `fn1:qa:${id}.${choice}`).concat(`fn1:qr:${id}`));
    expect(buttons.at(-1)?.label).toBe('Reveal');
    expect(textOf(started.message)).toContain('No answers yet.');

    const quiz = await storedQuiz(`guild:${fake.guildId}`, id);
    expect(buttons.slice(0, 4).map((button) => button.label)).toEqual(quiz.options);
    const right = buttons[quiz.answer] as Button;
    const wrong = buttons.find((_, index) => index < 4 && index !== quiz.answer) as Button;
    const reveal = buttons[4] as Button;
    const quoted = quiz.sentence.slice(0, 30);

    // Two members answer: each click updates the public message and tells the clicker privately.
    const boClick = click(right, bo);
    const first = await answerTo(boClick);
    expect(first.type).toBe(7);
    expect(textOf(first.message)).toContain('1 answered · 1 right');
    expect(buttonsOf(first.message)).toHaveLength(5);
    const boTold = await followUpOf(boClick);
    expect(boTold.flags).toBe(EPHEMERAL);
    expect(titleOf(boTold)).toBe('Right!');
    expect(textOf(boTold)).toContain(`(¶${quiz.paragraph})`);
    expect(textOf(boTold)).toContain(quoted.replace(/[_*~`|]/g, ''));
    expect(boTold.components ?? []).toEqual([]);
    expect(boTold.allowed_mentions).toEqual({ parse: [] });

    const cyClick = click(wrong, cy);
    const second = await answerTo(cyClick);
    expect(textOf(second.message)).toContain('2 answered · 1 right');
    expect(titleOf(await followUpOf(cyClick))).toBe('Not quite');

    // A second click by bo changes nothing, and bo is told so privately.
    const again = await answerTo(click(wrong, bo));
    expect(again.type).toBe(4);
    expect(again.message.flags).toBe(EPHEMERAL);
    expect(titleOf(again.message)).toBe('You already answered');

    // Only the starter may reveal.
    const refused = await answerTo(click(reveal, cy));
    expect(refused.type).toBe(4);
    expect(refused.message.flags).toBe(EPHEMERAL);
    expect(titleOf(refused.message)).toBe('Only the starter can reveal');

    // Killed and restarted on the same folder: the answers are there, and the old message's buttons work.
    const exited = new Promise((resolve) => bot.child.once('exit', (_code, signal) => resolve(signal)));
    bot.child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    bot = await BotProcess.start(fake, { DATA_DIR: dataDir });

    const diClick = click(right, di);
    const third = await answerTo(diClick);
    expect(third.type).toBe(7);
    expect(textOf(third.message)).toContain('3 answered · 2 right');
    expect(titleOf(await followUpOf(diClick))).toBe('Right!');

    const shown = await answerTo(click(reveal, ada));
    expect(shown.type).toBe(7);
    expect(titleOf(shown.message)).toBe(`Quiz #${id}: the answer`);
    expect(buttonsOf(shown.message)).toEqual([]);
    expect(textOf(shown.message)).toContain('3 answered · 2 right');
    expect(textOf(shown.message)).toContain(`(¶${quiz.paragraph})`);
    const late = await answerTo(click(right, ed));
    expect(late.message.flags).toBe(EPHEMERAL);
    expect(titleOf(late.message)).toBe('This quiz is over');

    // Scores: names, not mentions; bo and di tie (1 of 1), cy has 0 of 1.
    const scores = await answerTo(fake.sendSlash('quiz', sub('scores'), { user: bo }));
    expect(scores.message.flags).toBe(EPHEMERAL);
    expect(scores.message.allowed_mentions).toEqual({ parse: [] });
    const lines = textOf(scores.message).split('\n');
    expect(lines.slice(0, 3)).toEqual(['1\\. bo — 1 right of 1', '1\\. di — 1 right of 1', '3\\. cy — 0 right of 1']);
    expect(textOf(scores.message)).toContain('You: #1, 1 right of 1.');
    expect(textOf(scores.message)).not.toContain('<@');

    const forgot = await answerTo(fake.sendSlash('quiz', sub('forget-me'), { user: cy }));
    expect(forgot.message.flags).toBe(EPHEMERAL);
    expect(textOf(forgot.message)).toContain('Deleted your answer in this server');
    const after = await answerTo(fake.sendSlash('quiz', sub('scores'), { user: di }));
    expect(textOf(after.message)).not.toContain('cy');
  }, 60_000);
});

describe('a quiz in a DM', () => {
  it('works for one person: the click is counted and told privately; no leaderboard', async () => {
    const fay = makeUser('fay');
    const place: Partial<Place> = { in: 'dm' };
    const started = await answerTo(fake.sendSlash('quiz', sub('start', [{ name: 'kind', type: 3, value: 'which-paragraph' }]), { user: fay, in: 'dm' }));
    const id = quizId(started.message);
    expect(titleOf(started.message)).toBe(`Quiz #${id}: which paragraph`);
    const quiz = await storedQuiz(`dm:${fay.id}`, id);
    const buttons = buttonsOf(started.message);
    expect(buttons.slice(0, 4).map((button) => button.label)).toEqual(quiz.options);
    const clicked = click(buttons[quiz.answer] as Button, fay, place);
    const updated = await answerTo(clicked);
    expect(updated.type).toBe(7);
    expect(textOf(updated.message)).toContain('1 answered · 1 right');
    const told = await followUpOf(clicked);
    expect(told.flags).toBe(EPHEMERAL);
    expect(titleOf(told)).toBe('Right!');
    const scores = await answerTo(fake.sendSlash('quiz', sub('scores'), { user: fay, in: 'dm' }));
    expect(textOf(scores.message)).toContain('there is no leaderboard');
    expect(textOf(scores.message)).toContain('You have answered 1 right of 1.');
  }, 30_000);
});

describe('a quiz in the terminal chat', () => {
  it('is answered with /press N: the tally, then the private verdict; a second press and Reveal', async () => {
    const { code, stdout } = await runScript('src/main.ts', [], { input: '/quiz start\n/press 1\n/press 2\n/press 5\n' });
    expect(code).toBe(0);
    expect(stdout).toMatch(/Quiz #1: (fill in the blank|which paragraph)/);
    expect(stdout).toContain('/press 5 for Reveal');
    expect(stdout).toMatch(/1 answered · [01] right[\s\S]*(Right!|Not quite)\n\nYou chose /);
    expect(stdout).toContain('You already answered');
    expect(stdout).toContain('Quiz #1: the answer');
  }, 30_000);
});
