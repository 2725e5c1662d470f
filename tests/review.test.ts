/**
 * Spaced review: the schedule over simulated months, the cards each source
 * makes, /review through the same text parsing and handlers the chat and
 * Discord use, the Anki file, the figures, and daily reminders across a
 * restart and beside a second process.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { loadApp, type App } from '../src/app.ts';
import { NO_PERMISSIONS, type Invoker } from '../src/commands/types.ts';
import type { Reply, ReplyAction } from '../src/reply/reply.ts';
import { DMS_CLOSED, ReminderRunner, type DirectMessenger } from '../src/review/reminders.ts';
import { gradeCard, newSchedule, type GradeName } from '../src/review/schedule.ts';
import { reviewStats } from '../src/review/stats.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { dmScope, guildScope, type ReviewLogEntry } from '../src/store/types.ts';
import questions from './fixtures/article-questions.json' with { type: 'json' };
import { CORPUS_DIR } from './support/app.ts';
import { actionOf, pressButton, runLine, textOf } from './support/typed.ts';
import { SimulatedTime } from './support/reading.ts';

const DAY = 24 * 60 * 60 * 1000;
const GUILD = '300000000000000001';
const OTHER_GUILD = '300000000000000002';
const CHANNEL = '300000000000000003';
let app: App;
let time: SimulatedTime;

beforeEach(async () => {
  // Monday 2 March 2026, 07:00 UTC (08:00 in Berlin).
  time = new SimulatedTime(Date.parse('2026-03-02T07:00:00Z'));
  app = await loadApp(CORPUS_DIR, { store: new MemoryStore(), clock: time });
});

function member(userId: string, guildId = GUILD): Invoker {
  return { userId, displayName: `${userId}-name`, guildId, channelId: CHANNEL, inThread: false, permissions: NO_PERMISSIONS };
}

/** The same person in a direct message with Footnote. */
function inDm(userId: string): Invoker {
  const { guildId: _none, ...rest } = member(userId);
  return rest;
}

const run = (line: string, invoker: Invoker) => runLine(app, line, invoker);
const press = (action: ReplyAction | undefined, invoker: Invoker) => pressButton(app, action, invoker);
const text = textOf;
const button = actionOf;
const gradeButton = (reply: Reply, grade: GradeName) => button(reply, 'review-grade', (action) => action.grade === grade);

/** Waits for writes made behind a reply (a missed quiz becomes a card after the verdict is sent). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the schedule (FSRS)', () => {
  it('over 90 simulated days, intervals grow with Good and shrink after Again', () => {
    let now = Date.parse('2026-01-01T09:00:00Z');
    let { schedule, dueAt } = newSchedule(now);
    const intervals: number[] = [];
    while (now < Date.parse('2026-04-01T09:00:00Z')) {
      now = dueAt;
      const graded = gradeCard(schedule, 'good', now);
      intervals.push(graded.dueAt - now);
      ({ schedule, dueAt } = graded);
    }
    // Learning steps first (minutes), then days that keep growing.
    expect(intervals[0]).toBe(10 * 60_000);
    const days = intervals.slice(1);
    expect(days.length).toBeGreaterThanOrEqual(3);
    for (let index = 1; index < days.length; index += 1) expect(days[index]).toBeGreaterThan(days[index - 1] as number);
    expect(days.at(-1)).toBeGreaterThan(20 * DAY);
    // Forgotten: back in minutes, and the next Good gives less than the last interval before it.
    const again = gradeCard(schedule, 'again', dueAt);
    expect(again.dueAt - dueAt).toBeLessThan(DAY);
    const relearned = gradeCard(again.schedule, 'good', again.dueAt);
    const afterLapse = gradeCard(relearned.schedule, 'good', relearned.dueAt);
    expect(afterLapse.dueAt - relearned.dueAt).toBeLessThan(days.at(-1) as number);
    expect(again.state).toBe(2);
  });

  it('orders the grades: Again < Hard < Good < Easy', () => {
    const now = Date.parse('2026-01-01T09:00:00Z');
    let { schedule, dueAt } = newSchedule(now);
    for (let step = 0; step < 3; step += 1) ({ schedule, dueAt } = gradeCard(schedule, 'good', dueAt));
    const due = (['again', 'hard', 'good', 'easy'] as const).map((grade) => gradeCard(schedule, grade, dueAt).dueAt);
    expect([...due].sort((a, b) => a - b)).toEqual(due);
    expect(new Set(due).size).toBe(4);
  });
});

describe('/review', () => {
  it('a quiz answered wrong becomes a card; Show answer quotes its sentence; Good brings it back later', async () => {
    const alice = member('alice');
    const quiz = await run('/quiz start paragraph:3 kind:cloze', alice);
    const stored = await app.context.store.quizzes.get(guildScope(GUILD), Number(button(quiz, 'quiz-answer')?.quiz));
    const wrongChoice = quiz.actions.find((action) => action.kind === 'quiz-answer' && action.choice !== stored?.answer);
    const verdict = await press(wrongChoice, alice);
    expect(text(verdict.followUp as Reply)).toContain('It is in your review deck now');
    await settle();

    const front = await run('/review next', alice);
    expect(front.private).toBe(true);
    expect(front.title).toBe('Review: ¶3');
    expect(text(front)).toContain(stored?.prompt);
    expect(text(front)).toContain('The last card due now.');
    const back = await press(button(front, 'review-show'), alice);
    expect(text(back)).toContain(`Answer: ${stored?.options[stored.answer]}`);
    expect(back.answer).toEqual([{ text: stored?.sentence, cite: { article: stored?.article, paragraph: 3, label: '¶3', role: 'body' } }]);
    expect(back.actions.map((action) => action.label)).toEqual(['Again · 1 min', 'Hard · 6 min', 'Good · 10 min', 'Easy · 8 d']);

    const good = await press(gradeButton(back, 'good'), alice);
    expect(good.title).toBe('Good: ¶3 comes back in 10 minutes');
    // A second click on the same showing counts nothing.
    const twice = await press(gradeButton(back, 'good'), alice);
    expect(twice.title).toBe('Already graded');
    expect(await app.context.store.reviews.log(guildScope(GUILD), 'alice', 0)).toHaveLength(1);

    expect((await run('/review next', alice)).title).toBe('Nothing to review');
    time.time += 11 * 60_000;
    const later = await press(button(await run('/review next', alice), 'review-show'), alice);
    expect(text(await press(gradeButton(later, 'good'), alice))).toContain('Nothing else is due now');
    const card = (await app.context.store.reviews.cards(guildScope(GUILD), 'alice', 10, 0))[0];
    expect((card?.dueAt ?? 0) - time.now()).toBeGreaterThan(DAY);

    // Bob, and Alice in another server or in DMs, have decks of their own.
    expect(text(await run('/review next', member('bob')))).toContain('Your review deck in this server is empty');
    expect(text(await run('/review next', member('alice', OTHER_GUILD)))).toContain('is empty');
    expect(text(await run('/review next', inDm('alice')))).toContain('Your review deck here is empty');
    // Another member cannot show or grade Alice's card with her button.
    await expect(press(button(front, 'review-show'), member('bob'))).rejects.toThrow();
  });

  it('“Review later” under an answer adds its cited sentence, for the article’s own questions', async () => {
    const alice = member('alice');
    const asked = (questions as { question: string; kind?: string }[]).filter((question) => question.kind !== 'off-topic').slice(0, 40);
    let offered = 0;
    for (const { question } of asked) {
      const reply = await run(`/ask ${question}`, alice);
      const remember = button(reply, 'remember-sentence');
      if (reply.kind !== 'answer' || reply.confidence === 'low' || reply.answer[0]?.cite.role !== 'body') {
        expect(remember, question).toBeUndefined();
        continue;
      }
      offered += 1;
      const added = await press(remember, alice);
      expect(added.kind, question).toBe('info');
      expect(text(added), question).toMatch(/Added 1 card|Already in your deck/);
    }
    expect(offered).toBeGreaterThan(20);
    const cards = await app.context.store.reviews.cards(guildScope(GUILD), 'alice', 100, 0);
    // Each card cites a sentence its paragraph holds, verbatim.
    for (const card of cards) expect(app.context.library.mainArticle.paragraphs.find((paragraph) => paragraph.number === card.paragraph && paragraph.role === 'body')?.text).toContain(card.sentence);
  });

  it('adds a paragraph’s key sentences once, and a member’s own notes; says what was wrong with a bad request', async () => {
    const alice = member('alice');
    const added = await run('/review add paragraph:6', alice);
    expect(text(added)).toContain('Added 5 cards from ¶6');
    expect(text(await run('/review add paragraph:6', alice))).toContain('Already in your deck');
    const passage = await run('/passage 6', alice);
    expect(text(await press(button(passage, 'remember-paragraph'), alice))).toContain('Already in your deck');
    expect((await run('/review add paragraph:99', alice)).title).toBe('No such paragraph');
    expect((await run('/review add', alice)).title).toBe('What should be added?');

    await run('/note add paragraph:4 text:Oil freeze\tdeal — remember\nthis', alice);
    await run('/note add paragraph:5 text:Bob’s own note', member('bob'));
    const notes = await run('/review add notes:true', alice);
    expect(text(notes)).toContain('Added 1 card from your notes');
    expect(text(notes)).toContain('Your note on ¶4');

    const exported = await run('/review export', alice);
    const file = exported.files?.[0];
    expect(file?.name).toBe('footnote-review.txt');
    const lines = String(file?.content ?? '').trimEnd().split('\n');
    expect(lines.slice(0, 5)).toEqual(['#separator:tab', '#html:false', '#notetype:Basic', '#deck:Footnote', '#tags column:3']);
    const cards = lines.slice(5).map((line) => line.split('\t'));
    expect(cards).toHaveLength(6);
    for (const fields of cards) expect(fields).toHaveLength(3);
    expect(cards.map((fields) => fields[2])).toContain('russian-iranian-relations-troubled-ties ¶6');
    expect(cards.find((fields) => fields[0]?.includes('Your note on ¶4'))?.[1]).toContain('Oil freeze deal — remember this');

    const forgot = await run('/review forget-me', alice);
    expect(text(forgot)).toContain('Deleted your 6 review cards in this server');
    expect((await run('/review export', alice)).title).toBe('Nothing to export');
  });

  it('stats: cards, due, reviewed today, streak and retention', async () => {
    const alice = member('alice');
    await run('/review add paragraph:6', alice);
    const stats = text(await run('/review stats', alice));
    expect(stats).toContain('Cards: 5 in this server; due now: 5.');
    expect(stats).toContain('Reviewed today: 0. Streak: 0 days.');
    expect(stats).toContain('Retention over 30 days: not measured yet');
  });
});

describe('review figures', () => {
  const at = (iso: string) => Date.parse(iso);
  const entry = (iso: string, rating: number, state = 2): ReviewLogEntry => ({ cardId: 1, rating, state, reviewedAt: at(iso) });

  it('counts a streak of the person’s own days, today or up to yesterday', () => {
    const log = [entry('2026-03-01T23:30:00Z', 3), entry('2026-03-02T23:30:00Z', 1), entry('2026-03-04T08:00:00Z', 3, 0)];
    // In Berlin, 23:30 UTC is the next day: the reviews fall on 2, 3 and 4 March.
    expect(reviewStats(log, at('2026-03-04T12:00:00Z'), 'Europe/Berlin')).toEqual({ reviewedToday: 1, streak: 3, retention: { remembered: 1, reviewed: 2 } });
    // In UTC they fall on 1, 2 and 4 March: the streak is today's one day.
    expect(reviewStats(log, at('2026-03-04T12:00:00Z'), 'UTC').streak).toBe(1);
    // Nothing yet today: the streak up to yesterday still stands.
    expect(reviewStats(log.slice(0, 2), at('2026-03-04T12:00:00Z'), 'Europe/Berlin')).toMatchObject({ reviewedToday: 0, streak: 2 });
    expect(reviewStats([], at('2026-03-04T12:00:00Z'), 'UTC')).toEqual({ reviewedToday: 0, streak: 0 });
  });
});

class RecordingMessenger implements DirectMessenger {
  readonly sent: { userId: string; at: number; reply: Reply }[] = [];
  closed = new Set<string>();

  constructor(private readonly clock: SimulatedTime) {}

  async sendDirect(userId: string, reply: Reply): Promise<'sent' | 'closed' | 'failed'> {
    if (this.closed.has(userId)) return 'closed';
    this.sent.push({ userId, at: this.clock.now(), reply });
    return 'sent';
  }
}

describe('daily reminders', () => {
  it('come once a day at the local time when cards are due, across a restart and beside a second process', async () => {
    const alice = member('alice');
    const set = await run('/review remind at:8:30 timezone:europe/berlin', alice);
    expect(text(set)).toContain('at 08:30 (Europe/Berlin)');
    expect(text(set)).toContain('First look: Mon 2 Mar 2026, 08:30 CET.');
    const messenger = new RecordingMessenger(time);
    const first = new ReminderRunner({ context: app.context, messenger, timer: time });
    const second = new ReminderRunner({ context: app.context, messenger, timer: time });
    first.start();
    second.start();
    const both = { whenIdle: () => Promise.all([first.whenIdle(), second.whenIdle()]).then(() => undefined) };
    // No cards yet: the first morning passes without a message.
    await time.runUntil(Date.parse('2026-03-02T12:00:00Z'), both);
    expect(messenger.sent).toHaveLength(0);
    await run('/review add paragraph:6', alice);
    await run('/review add paragraph:2', inDm('alice'));
    await time.runUntil(Date.parse('2026-03-04T12:00:00Z'), both);
    expect(messenger.sent.map((message) => new Date(message.at).toISOString())).toEqual(['2026-03-03T07:30:00.000Z', '2026-03-04T07:30:00.000Z']);
    const inDms = (await app.context.store.reviews.deckSummary(dmScope('alice'), 'alice', time.now())).due;
    expect(messenger.sent[0]?.reply.title).toBe(`Review: ${5 + inDms} cards due`);
    expect(text(messenger.sent[0]?.reply as Reply)).toContain(`5 in a server, ${inDms} in your direct messages with Footnote`);
    // A restart at 08:31 on the day it was sent: nothing twice.
    await first.stop();
    await second.stop();
    time.time = Date.parse('2026-03-04T07:31:00Z');
    const restarted = new ReminderRunner({ context: app.context, messenger, timer: time });
    restarted.start();
    await time.runUntil(Date.parse('2026-03-04T20:00:00Z'), restarted);
    expect(messenger.sent).toHaveLength(2);
    // Reviewed everything: no message on a day without due cards.
    await app.context.store.reviews.forget(guildScope(GUILD), 'alice');
    await app.context.store.reviews.forget(dmScope('alice'), 'alice');
    await time.runUntil(Date.parse('2026-03-06T20:00:00Z'), restarted);
    expect(messenger.sent).toHaveLength(2);
    await restarted.stop();
  });

  it('stop when direct messages are closed, and say so once on the next /review', async () => {
    const alice = member('alice');
    await run('/review add paragraph:6', alice);
    await run('/review remind at:09:00', alice);
    const messenger = new RecordingMessenger(time);
    messenger.closed.add('alice');
    const runner = new ReminderRunner({ context: app.context, messenger, timer: time });
    runner.start();
    await time.runUntil(Date.parse('2026-03-05T12:00:00Z'), runner);
    await runner.stop();
    expect(await app.context.store.reviews.getReminder('alice')).toMatchObject({ status: 'stopped', stoppedReason: DMS_CLOSED });
    const next = text(await run('/review next', alice));
    expect(next).toContain('Your daily reminder is off: Footnote could not send you a direct message');
    expect(text(await run('/review next', alice))).not.toContain('daily reminder is off');
    expect(text(await run('/review stats', alice))).toContain('Daily reminder: stopped.');
    expect(text(await run('/review remind off', alice))).toContain('Your reminder is off');
    expect(await app.context.store.reviews.getReminder('alice')).toBeUndefined();
  });

  it('refuse a time or zone that is not one, clearly', async () => {
    expect(text(await run('/review remind at:8am', member('alice')))).toMatch(/“8am” is not a time/);
    expect(text(await run('/review remind at:08:00 timezone:Mars/Olympus', member('alice')))).toMatch(/“Mars\/Olympus” is not a time zone/);
    expect(await app.context.store.reviews.getReminder('alice')).toBeUndefined();
  });
});
