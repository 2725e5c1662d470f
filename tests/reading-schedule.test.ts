/**
 * Reading plans in time: the due-time rules (daily, weekdays, weekly, across
 * daylight-saving changes), how an article is cut into parts and messages,
 * and the runner posting a simulated month, surviving downtime, restarts in
 * the middle of a post and a channel it may not post in.
 */
import { DateTime } from 'luxon';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadApp, type App } from '../src/app.ts';
import type { CommandContext } from '../src/commands/types.ts';
import { articleFromTexts } from '../src/corpus/load.ts';
import { bodyParagraphs } from '../src/corpus/types.ts';
import { Library } from '../src/library.ts';
import { createLogger } from '../src/log.ts';
import { CLAIM_HOLD_MS, inDoubtOutcome, nextStep, type RecentMessages } from '../src/schedule/due.ts';
import { FINISHED_LINE, messageFrom, MESSAGE_TEXT_BUDGET, messageTitle } from '../src/schedule/parts.ts';
import { ReadingRunner, readingPlansChanged } from '../src/schedule/runner.ts';
import { canonicalZone, nextSlot, parseTimeOfDay, scheduleFrom, type Schedule } from '../src/schedule/timing.ts';
import { testClockFrom } from '../src/schedule/test-clock.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { guildScope, type NewReadingPlan, type ReadingCadence, type ReadingPlan, type Store } from '../src/store/types.ts';
import { CORPUS_DIR } from './support/app.ts';
import { RecordingPoster, SimulatedTime } from './support/reading.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SCOPE = guildScope('100000000000000001');
const CHANNEL = '100000000000000002';
const STARTER = '100000000000000003';

/** Local wall-clock time of an instant: "2025-03-31 09:00". */
const local = (epochMs: number, zone: string) => DateTime.fromMillis(epochMs, { zone }).toFormat('yyyy-MM-dd HH:mm');
const utc = (iso: string) => Date.parse(iso);

describe('times of day and zones', () => {
  it('reads 24-hour HH:MM and nothing else', () => {
    expect(parseTimeOfDay('09:00')).toEqual({ hour: 9, minute: 0 });
    expect(parseTimeOfDay(' 9:05 ')).toEqual({ hour: 9, minute: 5 });
    expect(parseTimeOfDay('23:59')).toEqual({ hour: 23, minute: 59 });
    for (const bad of ['24:00', '9am', '09:60', '0900', '9.30', '', '12:3', '-1:00']) expect(parseTimeOfDay(bad), bad).toBeUndefined();
  });

  it('knows IANA zones by their canonical name, whatever the case', () => {
    expect(canonicalZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalZone('America/New_York')).toBe('America/New_York');
    expect(canonicalZone('UTC')).toBe('UTC');
    for (const bad of ['Mars/Olympus', '', 'Berlin', 'GMT+25']) expect(canonicalZone(bad), bad).toBeUndefined();
  });
});

describe('the next slot', () => {
  const daily = (at: string, timeZone: string, every: ReadingCadence = 'day', weekday = 1): Schedule => ({ every, at, timeZone, weekday });

  /** Every slot from `from` for `count` posts. */
  function slots(from: number, schedule: Schedule, count: number): number[] {
    const found: number[] = [];
    let after = from;
    for (let i = 0; i < count; i += 1) found.push((after = nextSlot(after, schedule)));
    return found;
  }

  it('keeps 09:00 in Berlin across the spring change: 08:00 UTC before, 07:00 UTC after', () => {
    const found = slots(utc('2025-03-28T10:00:00Z'), daily('09:00', 'Europe/Berlin'), 4);
    expect(found.map((time) => new Date(time).toISOString())).toEqual(['2025-03-29T08:00:00.000Z', '2025-03-30T07:00:00.000Z', '2025-03-31T07:00:00.000Z', '2025-04-01T07:00:00.000Z']);
  });

  it('keeps 09:00 in New York across both changes', () => {
    expect(slots(utc('2025-03-08T12:00:00Z'), daily('09:00', 'America/New_York'), 2).map((time) => new Date(time).toISOString())).toEqual([
      '2025-03-08T14:00:00.000Z',
      '2025-03-09T13:00:00.000Z',
    ]);
    expect(slots(utc('2025-11-01T12:00:00Z'), daily('09:00', 'America/New_York'), 3).map((time) => new Date(time).toISOString())).toEqual([
      '2025-11-01T13:00:00.000Z',
      '2025-11-02T14:00:00.000Z',
      '2025-11-03T14:00:00.000Z',
    ]);
  });

  it('posts a skipped time an hour later, and a doubled time once', () => {
    const gap = slots(utc('2025-03-29T12:00:00Z'), daily('02:30', 'Europe/Berlin'), 2);
    expect(gap.map((time) => local(time, 'Europe/Berlin'))).toEqual(['2025-03-30 03:30', '2025-03-31 02:30']);
    const doubled = slots(utc('2025-10-25T12:00:00Z'), daily('02:30', 'Europe/Berlin'), 2);
    expect(doubled.map((time) => new Date(time).toISOString())).toEqual(['2025-10-26T01:30:00.000Z', '2025-10-27T01:30:00.000Z']);
    // Asked between the two 02:30s, it does not post the second one.
    expect(new Date(nextSlot(utc('2025-10-26T00:45:00Z'), daily('02:30', 'Europe/Berlin'))).toISOString()).toBe('2025-10-26T01:30:00.000Z');
    expect(new Date(nextSlot(utc('2025-10-26T01:30:00Z'), daily('02:30', 'Europe/Berlin'))).toISOString()).toBe('2025-10-27T01:30:00.000Z');
  });

  it('is strictly after: a post at 09:00 sharp is followed by the next day’s', () => {
    const at = utc('2025-06-02T07:00:00Z');
    expect(nextSlot(at - 1, daily('09:00', 'Europe/Berlin'))).toBe(at);
    expect(nextSlot(at, daily('09:00', 'Europe/Berlin'))).toBe(at + DAY);
  });

  it('skips weekends for weekdays, and keeps the first post’s day for weeks', () => {
    // Friday 2025-06-06, after 09:00 in Berlin.
    const friday = utc('2025-06-06T10:00:00Z');
    expect(slots(friday, daily('09:00', 'Europe/Berlin', 'weekday'), 3).map((time) => local(time, 'Europe/Berlin'))).toEqual(['2025-06-09 09:00', '2025-06-10 09:00', '2025-06-11 09:00']);
    const { schedule, firstAt } = scheduleFrom(friday, 'week', '18:30', 'America/New_York');
    expect(local(firstAt, 'America/New_York')).toBe('2025-06-06 18:30');
    expect(schedule.weekday).toBe(5);
    expect(slots(firstAt, schedule, 2).map((time) => local(time, 'America/New_York'))).toEqual(['2025-06-13 18:30', '2025-06-20 18:30']);
  });
});

describe('parts and messages', () => {
  let app: App;
  beforeEach(async () => {
    app ??= await loadApp(CORPUS_DIR);
  });

  it('cuts the article into parts of N paragraphs, each in one message when it fits', () => {
    const body = bodyParagraphs(app.context.library.mainArticle);
    expect(body).toHaveLength(11);
    const messages = [1, 4, 7, 10].map((next) => messageFrom(body, 3, next));
    expect(messages.map((message) => message && messageTitle(message))).toEqual([
      'Reading, part 1 of 4: ¶1–¶3',
      'Reading, part 2 of 4: ¶4–¶6',
      'Reading, part 3 of 4: ¶7–¶9',
      'Reading, part 4 of 4: ¶10–¶11',
    ]);
    expect(messages.map((message) => message?.lastOfPlan)).toEqual([false, false, false, true]);
    expect(messageFrom(body, 3, 12)).toBeUndefined();
  });

  it('posts a part too long for one message in several, whole paragraphs each, within the budget', () => {
    const body = bodyParagraphs(app.context.library.mainArticle);
    const first = messageFrom(body, 11, 1);
    expect(first).toMatchObject({ part: 1, parts: 1, from: 1, firstOfPart: true, lastOfPart: false });
    const second = messageFrom(body, 11, (first?.to ?? 0) + 1);
    expect(second).toMatchObject({ part: 1, firstOfPart: false, lastOfPart: true, lastOfPlan: true, to: 11 });
    for (const message of [first, second]) {
      const text = body.slice((message?.from ?? 1) - 1, message?.to).reduce((sum, paragraph) => sum + paragraph.text.length + 20, 0);
      expect(text).toBeLessThanOrEqual(MESSAGE_TEXT_BUDGET);
    }
    expect(second && messageTitle(second)).toMatch(/^Reading, part 1 of 1 \(continued\): ¶\d+–¶11$/);
    // A paragraph longer than the budget goes alone.
    const long = bodyParagraphs(articleFromTexts('long', 'Long', ['short one', 'x'.repeat(MESSAGE_TEXT_BUDGET + 10), 'short two']));
    expect([1, 2, 3].map((next) => messageFrom(long, 3, next)).map((message) => [message?.from, message?.to])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });

  it('settles a post in doubt: found, surely absent, or unknown', () => {
    const claim = { part: 2, from: 4, to: 6, dueAt: 1_000_000, claimedAt: 2_000_000 };
    const title = 'Reading, part 2 of 4: ¶4–¶6';
    const seen = (messages: RecentMessages['messages'], complete = false): RecentMessages => ({ messages, complete });
    expect(inDoubtOutcome(claim, title, undefined)).toBe('unknown');
    expect(inDoubtOutcome(claim, title, seen([{ title, fromBot: true, at: 2_000_100 }]))).toBe('posted');
    // A member's message with the same title is not Footnote's post.
    expect(inDoubtOutcome(claim, title, seen([{ title, fromBot: false, at: 2_000_100 }], true))).toBe('not-posted');
    expect(inDoubtOutcome(claim, title, seen([], true))).toBe('not-posted');
    expect(inDoubtOutcome(claim, title, seen([{ fromBot: false, at: 2_000_500 }, { fromBot: false, at: 100 }]))).toBe('not-posted');
    // A full page of messages, all newer than the claim: it may be further back.
    expect(inDoubtOutcome(claim, title, seen([{ fromBot: false, at: 2_000_500 }, { fromBot: true, title: 'other', at: 1_990_000 }]))).toBe('unknown');
  });
});

/** A long article, so a month of one-paragraph parts does not run out. */
const LONG = articleFromTexts(
  'long-read',
  'A Long Read',
  Array.from({ length: 45 }, (_, i) => `Paragraph ${i + 1} argues that reading slowly is not a waste of time, because discussion needs it.`),
);

interface Harness {
  time: SimulatedTime;
  store: Store;
  poster: RecordingPoster;
  context: CommandContext;
  runner(): ReadingRunner;
  plan(): Promise<ReadingPlan>;
}

let loaded: App | undefined;

async function harness(start: string): Promise<Harness> {
  loaded ??= await loadApp(CORPUS_DIR);
  const time = new SimulatedTime(utc(start));
  const store = new MemoryStore();
  const poster = new RecordingPoster(time);
  const context: CommandContext = { ...loaded.context, library: new Library([LONG]), store, clock: time, logger: createLogger('silent') };
  return {
    time,
    store,
    poster,
    context,
    runner: () => new ReadingRunner({ context, poster, timer: time }),
    plan: async () => (await store.readingPlans.get(SCOPE)) as ReadingPlan,
  };
}

async function startPlan(h: Harness, every: ReadingCadence, at: string, timeZone: string, paragraphsPerPart = 1, article = LONG.slug): Promise<ReadingPlan> {
  const { schedule, firstAt } = scheduleFrom(h.time.now(), every, at, timeZone);
  const plan: NewReadingPlan = { scope: SCOPE, channelId: CHANNEL, article, paragraphsPerPart, ...schedule, startedBy: STARTER, startedByName: 'Ann', nextDueAt: firstAt };
  return (await h.store.readingPlans.start(plan, h.time.now())) as ReadingPlan;
}

describe('the runner', () => {
  it('posts a month of daily parts at 09:00 Berlin time, across the change to summer time, in order, in milliseconds', async () => {
    const h = await harness('2025-03-01T09:00:00Z');
    await startPlan(h, 'day', '09:00', 'Europe/Berlin');
    const runner = h.runner();
    runner.start();
    const started = performance.now();
    await h.time.runUntil(utc('2025-04-01T00:00:00Z'), runner);
    const elapsed = performance.now() - started;
    await runner.stop();

    expect(h.poster.posted).toHaveLength(30);
    expect(h.poster.titles()).toEqual(Array.from({ length: 30 }, (_, i) => `Reading, part ${i + 1} of 45: ¶${i + 1}`));
    expect(h.poster.posted.map((post) => local(post.at, 'Europe/Berlin'))).toEqual(Array.from({ length: 30 }, (_, i) => `2025-03-${String(i + 2).padStart(2, '0')} 09:00`));
    // 08:00 UTC in winter, 07:00 UTC from 30 March.
    expect(new Date(h.poster.posted[27]?.at ?? 0).toISOString()).toBe('2025-03-29T08:00:00.000Z');
    expect(new Date(h.poster.posted[28]?.at ?? 0).toISOString()).toBe('2025-03-30T07:00:00.000Z');
    expect(await h.plan()).toMatchObject({ nextParagraph: 31, partsPosted: 30, status: 'active' });
    expect(elapsed).toBeLessThan(2_000);
  });

  it('posts on weekdays only, at 09:00 New York time, through the March change', async () => {
    const h = await harness('2025-03-01T12:00:00Z');
    await startPlan(h, 'weekday', '09:00', 'America/New_York');
    const runner = h.runner();
    runner.start();
    await h.time.runUntil(utc('2025-04-01T00:00:00Z'), runner);
    await runner.stop();
    const days = h.poster.posted.map((post) => DateTime.fromMillis(post.at, { zone: 'America/New_York' }));
    expect(days).toHaveLength(21);
    expect(days.every((day) => day.weekday <= 5 && day.toFormat('HH:mm') === '09:00')).toBe(true);
    expect(days.map((day) => day.toUTC().hour)).toEqual([...Array(5).fill(14), ...Array(16).fill(13)]);
  });

  it('posts once a week on the first post’s weekday', async () => {
    const h = await harness('2025-03-05T20:00:00Z');
    await startPlan(h, 'week', '18:30', 'America/New_York', 2);
    const runner = h.runner();
    runner.start();
    await h.time.runUntil(utc('2025-04-05T00:00:00Z'), runner);
    await runner.stop();
    // Started on Wednesday 5 March at 15:00 New York time: Wednesdays it is, through the change on 9 March.
    expect(h.poster.posted.map((post) => local(post.at, 'America/New_York'))).toEqual(['2025-03-05 18:30', '2025-03-12 18:30', '2025-03-19 18:30', '2025-03-26 18:30', '2025-04-02 18:30']);
    expect(h.poster.titles()[1]).toBe('Reading, part 2 of 23: ¶3–¶4');
  });

  it('after 3 days of downtime posts the missed part once, then keeps to the schedule', async () => {
    const h = await harness('2025-05-01T06:00:00Z');
    await startPlan(h, 'day', '09:00', 'Europe/Berlin');
    const first = h.runner();
    first.start();
    await h.time.runUntil(utc('2025-05-02T12:00:00Z'), first);
    await first.stop();
    expect(h.poster.posted).toHaveLength(2);

    // Down from 2 May 12:00 to 5 May 15:00 UTC: the 3, 4 and 5 May slots are missed.
    h.time.time = utc('2025-05-05T15:00:00Z');
    const second = h.runner();
    second.start();
    await h.time.runUntil(utc('2025-05-07T12:00:00Z'), second);
    await second.stop();
    expect(h.poster.posted.map((post) => local(post.at, 'Europe/Berlin'))).toEqual(['2025-05-01 09:00', '2025-05-02 09:00', '2025-05-05 17:00', '2025-05-06 09:00', '2025-05-07 09:00']);
    expect(h.poster.titles().slice(2)).toEqual(['Reading, part 3 of 45: ¶3', 'Reading, part 4 of 45: ¶4', 'Reading, part 5 of 45: ¶5']);
  });

  it('posts a long part in several messages at once, says the article is finished on the last, and then stops', async () => {
    const app = await loadApp(CORPUS_DIR);
    const h = await harness('2025-05-01T06:00:00Z');
    const context: CommandContext = { ...h.context, library: app.context.library };
    const runner = new ReadingRunner({ context, poster: h.poster, timer: h.time });
    await startPlan(h, 'day', '09:00', 'UTC', 11, app.context.library.mainArticle.slug);
    runner.start();
    await h.time.runUntil(utc('2025-05-10T00:00:00Z'), runner);
    await runner.stop();
    expect(h.poster.posted).toHaveLength(2);
    expect(h.poster.posted.map((post) => post.at)).toEqual([utc('2025-05-01T09:00:00Z'), utc('2025-05-01T09:00:00Z')]);
    const [first, last] = h.poster.posted;
    expect(first?.title).toMatch(/^Reading, part 1 of 1: ¶1–¶\d+$/);
    expect(first?.reply.notes[0]).toMatch(/^To discuss: ¶1 (says|reports) “/);
    expect(first?.reply.notes).not.toContain(FINISHED_LINE);
    expect(last?.reply.notes[0]).toBe(FINISHED_LINE);
    // The last post closes the reading: its due time and buttons, and a recap.
    expect(last?.reply.notes.join('\n')).toContain('To close the reading: /quiz start asks about the whole text');
    expect(last?.reply.actions.map((action) => action.kind)).toEqual(expect.arrayContaining(['notes-on', 'confused', 'assignment-done', 'assignment-remind']));
    // Every paragraph in full, cited, once.
    const shown = h.poster.posted.flatMap((post) => post.reply.passages);
    expect(shown.map((passage) => passage.cite.label)).toEqual(Array.from({ length: 11 }, (_, i) => `¶${i + 1}`));
    expect(shown.map((passage) => passage.full)).toEqual(bodyParagraphs(app.context.library.mainArticle).map((paragraph) => paragraph.text));
    expect(await h.store.readingPlans.get(SCOPE)).toMatchObject({ status: 'finished', partsPosted: 1, nextParagraph: 12 });
  });

  describe('a restart in the middle of a post posts nothing twice', () => {
    /** Runs until the first post is attempted and hangs there: the process dies mid-post. */
    async function dieMidPost(h: Harness, behaviour: 'hang-after-posting' | 'hang-before-posting'): Promise<void> {
      await startPlan(h, 'day', '09:00', 'Europe/Berlin');
      h.poster.behaviour = behaviour;
      const doomed = h.runner();
      doomed.start();
      // The look never finishes, so the timer is fired by hand and not awaited.
      h.time.time = (await h.plan()).nextDueAt;
      void h.time.runUntil(h.time.time, doomed);
      await vi.waitFor(() => expect(h.poster.attempts).toBe(1));
      void doomed.stop();
      expect((await h.plan()).claim).toMatchObject({ part: 1, from: 1, to: 1 });
      h.poster.behaviour = 'post';
    }

    async function restart(h: Harness, until: string): Promise<void> {
      const runner = h.runner();
      runner.start();
      await h.time.runUntil(utc(until), runner);
      await runner.stop();
    }

    it('the message got out: the channel shows it, so it is not posted again', async () => {
      const h = await harness('2025-05-01T06:00:00Z');
      await dieMidPost(h, 'hang-after-posting');
      h.time.time += 10 * 60_000;
      await restart(h, '2025-05-03T12:00:00Z');
      expect(h.poster.titles()).toEqual(['Reading, part 1 of 45: ¶1', 'Reading, part 2 of 45: ¶2', 'Reading, part 3 of 45: ¶3']);
      expect(h.poster.notified).toEqual([]);
    });

    it('the message never got out: the channel shows it missing, so it is posted once', async () => {
      const h = await harness('2025-05-01T06:00:00Z');
      await dieMidPost(h, 'hang-before-posting');
      h.time.time += 10 * 60_000;
      await restart(h, '2025-05-02T12:00:00Z');
      expect(h.poster.titles()).toEqual(['Reading, part 1 of 45: ¶1', 'Reading, part 2 of 45: ¶2']);
      expect(local(h.poster.posted[0]?.at ?? 0, 'Europe/Berlin')).toBe('2025-05-01 09:10');
    });

    it('the channel cannot be read: the part counts as posted (at most once) and the starter is told', async () => {
      const h = await harness('2025-05-01T06:00:00Z');
      await dieMidPost(h, 'hang-before-posting');
      h.poster.readable = false;
      await restart(h, '2025-05-02T12:00:00Z');
      expect(h.poster.titles()).toEqual(['Reading, part 2 of 45: ¶2']);
      expect(h.poster.notified).toHaveLength(1);
      expect(h.poster.notified[0]?.userId).toBe(STARTER);
      expect(h.poster.notified[0]?.reply.notes.join(' ')).toMatch(/stopped while posting ¶1 .* in #study-group.*\/passage 1/);
    });
  });

  it('leaves a post with no answer in doubt, then settles it from the channel without posting it twice', async () => {
    const h = await harness('2025-05-01T06:00:00Z');
    await startPlan(h, 'day', '09:00', 'Europe/Berlin');
    h.poster.behaviour = 'unknown-after-posting';
    const runner = h.runner();
    runner.start();
    await h.time.runUntil(utc('2025-05-01T07:00:00Z'), runner);
    expect((await h.plan()).claim).toMatchObject({ from: 1 });
    h.poster.behaviour = 'post';
    await h.time.runUntil(utc('2025-05-02T12:00:00Z'), runner);
    await runner.stop();
    expect(h.poster.titles()).toEqual(['Reading, part 1 of 45: ¶1', 'Reading, part 2 of 45: ¶2']);
  });

  it('tries a rate-limited post again later, without pausing', async () => {
    const h = await harness('2025-05-01T06:00:00Z');
    await startPlan(h, 'day', '09:00', 'UTC');
    h.poster.behaviour = 'rate-limited';
    const runner = h.runner();
    runner.start();
    await h.time.runUntil(utc('2025-05-01T09:01:00Z'), runner);
    expect(h.poster.attempts).toBe(1);
    h.poster.behaviour = 'post';
    await h.time.runUntil(utc('2025-05-01T10:00:00Z'), runner);
    await runner.stop();
    expect(h.poster.posted.map((post) => new Date(post.at).toISOString())).toEqual(['2025-05-01T09:05:00.000Z']);
    expect((await h.plan()).status).toBe('active');
  });

  it('pauses when it may not post in the channel, tells the starter once, and goes on after a resume', async () => {
    const h = await harness('2025-05-01T06:00:00Z');
    await startPlan(h, 'day', '09:00', 'Europe/Berlin');
    h.poster.behaviour = 'forbidden';
    const runner = h.runner();
    runner.start();
    await h.time.runUntil(utc('2025-05-04T00:00:00Z'), runner);
    expect(h.poster.attempts).toBe(1);
    expect(h.poster.posted).toEqual([]);
    const paused = await h.plan();
    expect(paused).toMatchObject({ status: 'paused', nextParagraph: 1, pausedReason: 'Paused by Footnote: Footnote may not post there (Missing Permissions)' });
    expect(paused.claim).toBeUndefined();
    expect(h.poster.notified).toHaveLength(1);
    expect(h.poster.notified[0]).toMatchObject({ userId: STARTER, reply: { title: 'Your reading plan is paused' } });
    expect(h.poster.notified[0]?.reply.notes.join(' ')).toMatch(/could not post ¶1 in #study-group.*Missing Permissions.*\/reading resume/);

    h.poster.behaviour = 'post';
    await h.store.readingPlans.resume(SCOPE, nextSlot(h.time.now(), paused));
    readingPlansChanged();
    await h.time.runUntil(utc('2025-05-05T12:00:00Z'), runner);
    await runner.stop();
    expect(h.poster.titles()).toEqual(['Reading, part 1 of 45: ¶1', 'Reading, part 2 of 45: ¶2']);
    expect(h.poster.posted.map((post) => local(post.at, 'Europe/Berlin'))).toEqual(['2025-05-04 09:00', '2025-05-05 09:00']);
  });

  it('wakes at once when a plan asks to post now, and keeps the schedule after', async () => {
    const h = await harness('2025-05-01T06:00:00Z');
    await startPlan(h, 'day', '18:00', 'UTC');
    const runner = h.runner();
    runner.start();
    await h.time.runUntil(utc('2025-05-01T07:00:00Z'), runner);
    await h.store.readingPlans.postNow(SCOPE, h.time.now());
    readingPlansChanged();
    await h.time.runUntil(h.time.now(), runner);
    expect(h.poster.posted.map((post) => new Date(post.at).toISOString())).toEqual(['2025-05-01T07:00:00.000Z']);
    await h.time.runUntil(utc('2025-05-02T00:00:00Z'), runner);
    await runner.stop();
    expect(h.poster.posted.map((post) => new Date(post.at).toISOString())).toEqual(['2025-05-01T07:00:00.000Z', '2025-05-01T18:00:00.000Z']);
  });

  it('pauses a plan whose article is gone', async () => {
    const h = await harness('2025-05-01T06:00:00Z');
    await startPlan(h, 'day', '09:00', 'UTC', 1, 'no-such-article');
    const runner = h.runner();
    runner.start();
    await h.time.runUntil(utc('2025-05-02T00:00:00Z'), runner);
    await runner.stop();
    expect(h.poster.posted).toEqual([]);
    expect((await h.plan()).pausedReason).toMatch(/no longer in Footnote’s library/);
    expect(h.poster.notified).toHaveLength(1);
  });

  it('decides nothing for a paused or finished plan, and waits for a future one', async () => {
    const h = await harness('2025-05-01T06:00:00Z');
    const plan = await startPlan(h, 'day', '09:00', 'UTC');
    const body = bodyParagraphs(LONG);
    expect(nextStep(plan, h.time.now(), body)).toEqual({ kind: 'wait', until: utc('2025-05-01T09:00:00Z') });
    expect(nextStep({ ...plan, status: 'paused' }, utc('2025-06-01T00:00:00Z'), body)).toEqual({ kind: 'idle' });
    expect(nextStep({ ...plan, nextParagraph: 46 }, utc('2025-06-01T00:00:00Z'), body)).toEqual({ kind: 'past-the-end' });
    const step = nextStep(plan, utc('2025-05-01T09:00:00Z'), body);
    expect(step).toMatchObject({ kind: 'post', claim: { part: 1, from: 1, to: 1, dueAt: utc('2025-05-01T09:00:00Z') }, progress: { partDone: true, finished: false, nextDueAt: utc('2025-05-02T09:00:00Z') } });
  });

  it('leaves a fresh claim to its holder (its post may still be on the way), and settles an older one', async () => {
    const h = await harness('2025-05-01T06:00:00Z');
    const plan = await startPlan(h, 'day', '09:00', 'UTC');
    const body = bodyParagraphs(LONG);
    const claimedAt = utc('2025-05-01T09:00:00Z');
    const claimed = { ...plan, claim: { part: 1, from: 1, to: 1, dueAt: claimedAt, claimedAt } };
    expect(nextStep(claimed, claimedAt + 5_000, body)).toEqual({ kind: 'wait', until: claimedAt + CLAIM_HOLD_MS });
    expect(nextStep(claimed, claimedAt + CLAIM_HOLD_MS, body)).toMatchObject({ kind: 'in-doubt', claim: claimed.claim });
  });
});

describe('FOOTNOTE_CLOCK', () => {
  it('is off unless set, and runs from its start at its speed on one timeline', () => {
    expect(testClockFrom(undefined)).toBeUndefined();
    expect(testClockFrom('  ')).toBeUndefined();
    let real = 1_000_000;
    const fast = testClockFrom('start=2025-03-28T07:00:00Z,from=1000000,speed=3600,tick=20', () => real);
    expect(fast?.tickMs).toBe(20);
    expect(fast?.clock.now()).toBe(utc('2025-03-28T07:00:00Z'));
    real += 1_000;
    expect(fast?.clock.now()).toBe(utc('2025-03-28T08:00:00Z'));
    expect(() => testClockFrom('speed=0')).toThrow(/speed/);
    expect(() => testClockFrom('start=yesterday')).toThrow(/start/);
    expect(() => testClockFrom('warp=9')).toThrow(/warp=9/);
  });
});
