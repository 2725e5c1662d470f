/**
 * What the organizer sees and the group marks, through the same parsing and
 * handlers the chat and Discord use: Helpful votes, "confused me" flags,
 * /assign with Done reading and its reminders (simulated clock), /report's
 * figures against the store, its picture decoded, its CSV, who may see what,
 * and /privacy forget-me.
 */
import { PNG } from 'pngjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadApp, type App } from '../src/app.ts';
import { NO_PERMISSIONS, type Invoker } from '../src/commands/types.ts';
import { AssignmentReminders } from '../src/organizer/reminders.ts';
import { drawnRows, heatmapSvg, MAX_ROWS } from '../src/organizer/heatmap.ts';
import type { ReadingReport } from '../src/organizer/report.ts';
import type { Reply, ReplyAction } from '../src/reply/reply.ts';
import type { DirectMessenger } from '../src/review/reminders.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { guildScope } from '../src/store/types.ts';
import { CORPUS_DIR } from './support/app.ts';
import { actionOf, pressButton, runLine, textOf } from './support/typed.ts';
import { SimulatedTime } from './support/reading.ts';

const GUILD = '400000000000000001';
const OTHER = '400000000000000002';
const SLUG = 'russian-iranian-relations-troubled-ties';
let app: App;
let time: SimulatedTime;

beforeEach(async () => {
  // Monday 7 December 2026, 09:00 UTC.
  time = new SimulatedTime(Date.parse('2026-12-07T09:00:00Z'));
  app = await loadApp(CORPUS_DIR, { store: new MemoryStore(), clock: time });
});

function member(name: string, manageGuild = false, guildId = GUILD): Invoker {
  return { userId: `${name}-id`, displayName: name, guildId, channelId: '400000000000000009', inThread: false, permissions: { ...NO_PERMISSIONS, manageGuild } };
}
const organizer = () => member('ann', true);

const run = (line: string, invoker: Invoker) => runLine(app, line, invoker);
const press = (action: ReplyAction | undefined, invoker: Invoker) => pressButton(app, action, invoker);
const text = textOf;
const button = actionOf;

describe('marks members make', () => {
  it('a Helpful vote counts once per member and is taken back by a second press; a flag likewise', async () => {
    await run('/note add paragraph:6 text:The second explanation fits the denial', member('cy'));
    const list = await run('/note list', member('ada'));
    const helpful = button(list, 'note-helpful');
    expect(helpful?.label ?? app.components.forAction(helpful!)?.label(helpful!, list)).toBe('Helpful #1');
    expect(text(await press(helpful, member('ada')))).toContain('1 member finds it helpful');
    expect(text(await press(helpful, member('bo')))).toContain('2 members find it helpful');
    expect(text(await press(helpful, member('ada')))).toContain('Your vote is taken back; 1 member finds it helpful');
    expect((await press(helpful, member('cy'))).title).toBe('Your own note');
    expect(text(await run('/note list sort:top', member('bo')))).toContain('most helpful first');

    const passage = await run('/passage 6', member('ada'));
    const flag = button(passage, 'confused');
    expect(app.components.forAction(flag!)?.label(flag!, passage)).toBe('¶6 confused me');
    expect((await press(flag, member('ada'))).title).toBe('¶6 confused you');
    expect(text(await press(flag, member('bo')))).toContain('and 1 other member');
    expect((await press(flag, member('ada'))).title).toBe('¶6: flag taken back');
    expect(await app.context.store.confusion.counts(guildScope(GUILD), SLUG)).toEqual(new Map([[6, 1]]));
    // Another server sees none of it.
    expect(await app.context.store.confusion.counts(guildScope(OTHER), SLUG)).toEqual(new Map());
    expect((await run('/confused paragraph:99', member('ada'))).title).toBe('No such paragraph');
  });

  it('an answer offers “confused me” for the paragraph it quotes, and counts for the report', async () => {
    const answer = await run('/ask Why are Russia and Iran not allies?', member('ada'));
    expect(button(answer, 'confused')).toEqual({ kind: 'confused', article: SLUG, paragraph: 9 });
    await app.context.store.activity.flush();
    expect((await app.context.store.activity.paragraphs(guildScope(GUILD), SLUG)).find((row) => row.paragraph === 9)).toMatchObject({ answered: 1 });
  });
});

class Messenger implements DirectMessenger {
  readonly sent: { userId: string; title: string; at: number }[] = [];
  constructor(private readonly clock: SimulatedTime) {}
  async sendDirect(userId: string, reply: Reply): Promise<'sent'> {
    this.sent.push({ userId, title: reply.title, at: this.clock.now() });
    return 'sent';
  }
}

describe('/assign', () => {
  it('posts the paragraphs with Done reading for all, and reminds those who asked and are not done, once', async () => {
    const posted = await run('/assign paragraphs:1-4 due:2026-12-09 at:18:00 timezone:Europe/Berlin', organizer());
    expect(posted.title).toBe('Reading assignment: ¶1–¶4');
    expect(posted.private).toBeUndefined();
    expect(text(posted)).toContain('ann asks the group to read ¶1–¶4 of “Russian-Iranian Relations: Troubled Ties”.');
    expect(text(posted)).toContain('Due: Wed 9 Dec 2026, 18:00 CET. Nobody has marked it done yet.');
    expect(text(posted)).toContain('¶4: “The prospect of Iranian-Turkish cooperation');
    const done = button(posted, 'assignment-done');
    const remind = button(posted, 'assignment-remind');

    const first = await press(done, member('ada'));
    expect(text(first)).toContain('1 member has read it.');
    expect(first.followUp?.title).toBe('¶1–¶4: done');
    expect(text(await press(done, member('bo')))).toContain('2 members have read it.');
    expect(text(await press(done, member('bo')))).toContain('1 member has read it.');
    expect((await press(remind, member('bo'))).title).toBe('Reminder set');
    expect((await press(remind, member('ada'))).title).toBe('Reminder set');
    expect((await press(remind, member('cy'))).title).toBe('Reminder set');
    expect((await press(remind, member('cy'))).title).toBe('No reminder');

    const messenger = new Messenger(time);
    const runners = [new AssignmentReminders({ context: app.context, messenger, timer: time }), new AssignmentReminders({ context: app.context, messenger, timer: time })];
    for (const runner of runners) runner.start();
    const both = { whenIdle: () => Promise.all(runners.map((runner) => runner.whenIdle())).then(() => undefined) };
    await time.runUntil(Date.parse('2026-12-08T16:00:00Z'), both);
    expect(messenger.sent).toEqual([]);
    // A day before 18:00 Berlin: Bo asked and is not done; Ada is done; Cy took it back.
    await time.runUntil(Date.parse('2026-12-10T12:00:00Z'), both);
    expect(messenger.sent).toEqual([{ userId: 'bo-id', title: 'Reading due soon: ¶1–¶4', at: Date.parse('2026-12-08T17:00:00Z') }]);
    for (const runner of runners) await runner.stop();
    expect(text(await press(done, member('ada')))).toContain('Was due');
  });

  it('is for organizers, in a server, with a range, a date and a time that exist and have not passed', async () => {
    const cases: [string, Invoker, string][] = [
      ['/assign paragraphs:1-4 due:2026-12-09', member('ada'), 'Manage Server needed'],
      ['/assign paragraphs:1-4 due:2026-12-09', { ...member('ada'), guildId: undefined } as unknown as Invoker, 'Assignments need a server'],
      ['/assign paragraphs:4-1 due:2026-12-09', organizer(), 'Which paragraphs?'],
      ['/assign paragraphs:1-40 due:2026-12-09', organizer(), 'Which paragraphs?'],
      ['/assign paragraphs:1-4 due:2026-13-45', organizer(), 'Not a date'],
      ['/assign paragraphs:1-4 due:2026-12-01', organizer(), 'That time has passed'],
      ['/assign paragraphs:1-4 due:2026-12-09 at:25:00', organizer(), 'Not a time of day'],
      ['/assign paragraphs:1-4 due:2026-12-09 timezone:Mars/Base', organizer(), 'Unknown time zone'],
    ];
    for (const [line, who, title] of cases) {
      const { guildId, ...rest } = who;
      const reply = await run(line, guildId === undefined ? rest : who);
      expect(reply.title, line).toBe(title);
      expect(reply.private, line).toBe(true);
    }
    expect(await app.context.store.assignments.list(guildScope(GUILD), 10)).toEqual([]);
  });
});

describe('/report', () => {
  async function groupActivity(): Promise<void> {
    await run('/note add paragraph:6 text:Two explanations here', member('cy'));
    await run('/note add paragraph:6 text:And a third?', member('di'));
    await press(button(await run('/note list', member('ada')), 'note-helpful'), member('ada'));
    for (const name of ['ada', 'bo', 'cy']) await run('/confused paragraph:6', member(name));
    await run('/confused paragraph:2', member('ada'));
    await run('/ask Why are Russia and Iran not allies?', member('ada'));
    await run('/ask What was the second explanation of the Velayati episode?', member('bo'));
    await run('/ask What is the best programming language for beginners?', member('bo'));
    await run('/assign paragraphs:5-7 due:2026-12-09', organizer()).then((posted) => press(button(posted, 'assignment-done'), member('cy')));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  it('attaches a heat map that decodes, says where the group got stuck, and its figures match the store', async () => {
    await groupActivity();
    const report = await run('/report', organizer());
    expect(report.private).toBe(true);
    const picture = report.files?.[0];
    expect(picture?.name).toBe('report.png');
    expect(report.image).toBe('report.png');
    const png = PNG.sync.read(Buffer.from(picture?.content as Uint8Array));
    // Eleven rows of paragraphs under a header; seven columns of figures.
    expect(png.width).toBe(70 + 96 * 7 + 20);
    expect(png.height).toBe(70 + 26 * 11 + 34);
    // The ¶6 row's "Confusing" cell (3 flags, the column's highest) is the darkest red; ¶1's, empty, is faint grey.
    const pixel = (x: number, y: number) => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3));
    const confusingX = 70 + 96 * 6 + 5;
    expect(pixel(confusingX, 70 + 26 * 5 + 5)).toEqual([179, 38, 30]);
    expect(pixel(confusingX, 70 + 26 * 0 + 5)).toEqual([244, 244, 244]);

    const figures = await app.context.store.activity.paragraphs(guildScope(GUILD), SLUG);
    const sixth = figures.find((row) => row.paragraph === 6);
    expect(sixth).toMatchObject({ notes: 2, helpful: 1, confusing: 3 });
    const summary = text(report);
    expect(summary).toContain(`Most confusing:\n¶6 — 3 confusing flags`);
    expect(summary).toMatch(/Questions answered: \d+ · notes: 2 · confusing flags: 4\./);
    expect(summary).toContain('¶5–¶7, due Wed 9 Dec 2026, 23:59 UTC: 1 member done');
    expect(summary).toContain('Participation (counts only):');
    expect(summary).toMatch(/ada: .*1 Helpful vote, 2 flags/);

    const csv = String((await run('/report export:true', organizer())).files?.[0]?.content);
    const rows = csv.trimEnd().split('\r\n');
    expect(rows[0]).toBe('paragraph,questions_answered,low_confidence,open_questions_near,quiz_answers,quiz_misses,quiz_miss_rate,notes,helpful_votes,confusing_flags,opening');
    expect(rows).toHaveLength(12);
    expect(rows[6]?.split(',').slice(0, 10)).toEqual(['6', String(sixth?.answered), String(sixth?.low), expect.any(String), '0', '0', '', '2', '1', '3']);
  });

  it('is refused to members without Manage Server, and another server’s is empty', async () => {
    await groupActivity();
    expect((await run('/report', member('ada'))).title).toBe('Manage Server needed');
    const elsewhere = text(await run('/report', member('ann', true, OTHER)));
    expect(elsewhere).toContain('No paragraph has been flagged');
    expect(elsewhere).toContain('Participation: nobody has written');
  });

  it('draws a long text’s most troubled paragraphs only, and escapes what it writes', () => {
    const rows = Array.from({ length: 300 }, (_, index) => ({ paragraph: index + 1, answered: 0, low: 0, quizAnswers: 0, quizMisses: 0, notes: 0, helpful: 0, confusing: index === 250 ? 5 : 0, unanswered: 0, opening: '' }));
    const report = { article: { title: 'A & <B>', slug: 'x' }, rows, openQuestions: new Map(), members: [], assignments: [], madeAt: 0 } as unknown as ReadingReport;
    expect(drawnRows(report)).toHaveLength(MAX_ROWS);
    expect(drawnRows(report).map((row) => row.paragraph)).toContain(251);
    expect(heatmapSvg(report)).toContain('A &#38; &#60;B&#62;');
    expect(heatmapSvg(report)).not.toContain('<B>');
  });
});

describe('/privacy', () => {
  it('lists what is kept and deletes all of it after a confirmation', async () => {
    await run('/note add paragraph:6 text:Mine', member('ada'));
    await run('/confused paragraph:6', member('ada'));
    await run('/review add paragraph:6', member('ada'));
    await run('/note add paragraph:6 text:Bo keeps his', member('bo'));
    expect(text(await run('/privacy show', member('ada')))).toContain('• 1 note you wrote');
    const confirm = await run('/privacy forget-me', member('ada'));
    expect(confirm.title).toBe('Delete everything about you?');
    expect(await app.context.store.notes.countByAuthor(guildScope(GUILD), 'ada-id')).toBe(1);
    const done = await press(button(confirm, 'privacy-forget'), member('ada'));
    expect(text(done)).toContain('Deleted in this server: 1 note, 0 quiz answers and your score, 5 review cards, 1 vote, flag and reading mark');
    expect(text(await run('/privacy show', member('ada')))).toContain('• 0 notes you wrote');
    expect(await app.context.store.notes.countByAuthor(guildScope(GUILD), 'bo-id')).toBe(1);
  });
});
