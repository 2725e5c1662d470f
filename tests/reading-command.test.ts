/**
 * /reading through the same text parsing and handler the chat and Discord
 * use: who may do what, clear answers to bad input, what status says, and a
 * runner picking up what the commands change.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { loadApp, type App } from '../src/app.ts';
import { parseTextCommand } from '../src/commands/parse-text.ts';
import { LOCAL_INVOKER, NO_PERMISSIONS, type Invoker } from '../src/commands/types.ts';
import { commandPayloads, validatePayloads } from '../src/discord/api/deploy.ts';
import type { Reply } from '../src/reply/reply.ts';
import { ReadingRunner } from '../src/schedule/runner.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { guildScope, StoreWriteError } from '../src/store/types.ts';
import { CORPUS_DIR } from './support/app.ts';
import { RecordingPoster, SimulatedTime } from './support/reading.ts';

const GUILD = '200000000000000001';
const CHANNEL = '200000000000000002';
const OTHER_CHANNEL = '200000000000000009';
let app: App;
let time: SimulatedTime;

beforeEach(async () => {
  // Friday 6 June 2025, 10:00 in Berlin.
  time = new SimulatedTime(Date.parse('2025-06-06T08:00:00Z'));
  app = await loadApp(CORPUS_DIR, { store: new MemoryStore(), clock: time });
});

function member(userId: string, manageGuild = false, extra: Partial<Invoker> = {}): Invoker {
  return { userId, displayName: `${userId}-name`, guildId: GUILD, channelId: CHANNEL, inThread: false, permissions: { ...NO_PERMISSIONS, manageGuild }, ...extra };
}
const admin = (extra: Partial<Invoker> = {}) => member('ann', true, extra);

async function run(line: string, invoker: Invoker, extraOptions: Record<string, string> = {}): Promise<Reply> {
  const parsed = parseTextCommand(line, app.commands, invoker);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.command.handle({ ...parsed.input, options: { ...parsed.input.options, ...extraOptions } }, app.context);
}

const text = (reply: Reply) => reply.notes.join('\n');
const START = '/reading start paragraphs:3 every:day at:09:00 timezone:Europe/Berlin';

describe('/reading start', () => {
  it('starts a plan in this channel and says when the first part comes, in the plan’s zone', async () => {
    const reply = await run(START, admin());
    expect(reply.title).toBe('Reading plan started');
    expect(reply.private).toBeUndefined();
    expect(text(reply)).toContain('ann-name started a reading plan of “Russian-Iranian Relations: Troubled Ties”: 4 parts of 3 paragraphs, every day at 09:00 (Europe/Berlin), in this channel.');
    expect(text(reply)).toContain('First part (¶1–¶3): Sat 7 Jun 2025, 09:00 CEST.');
    expect(await app.context.store.readingPlans.get(guildScope(GUILD))).toMatchObject({ channelId: CHANNEL, paragraphsPerPart: 3, every: 'day', at: '09:00', timeZone: 'Europe/Berlin', startedBy: 'ann', nextDueAt: Date.parse('2025-06-07T07:00:00Z') });
  });

  it('posts in the channel given, defaults to UTC and says so, and normalises the time', async () => {
    const reply = await run('/reading start paragraphs:11 every:week at:7:30', admin(), { channel: OTHER_CHANNEL });
    expect(text(reply)).toContain('1 part of 11 paragraphs, every Saturday at 07:30 (UTC), in another channel of this server.');
    expect(text(reply)).toContain('Times are in UTC');
    expect(await app.context.store.readingPlans.get(guildScope(GUILD))).toMatchObject({ channelId: OTHER_CHANNEL, at: '07:30', timeZone: 'UTC', weekday: 6 });
  });

  it('answers bad input clearly, privately, and starts nothing', async () => {
    const cases: [string, RegExp][] = [
      ['/reading start paragraphs:3 every:day at:9am', /“9am” is not a time of day: use 24-hour HH:MM/],
      ['/reading start paragraphs:3 every:day at:24:00', /“24:00” is not a time of day/],
      ['/reading start paragraphs:3 every:day at:09:00 timezone:Mars/Olympus', /“Mars\/Olympus” is not a time zone Footnote knows/],
    ];
    for (const [line, message] of cases) {
      const reply = await run(line, admin());
      expect(reply.kind, line).toBe('error');
      expect(reply.private, line).toBe(true);
      expect(text(reply), line).toMatch(message);
    }
    // Out of range: refused by the text parser (Discord enforces min/max too), and by the handler if it gets through.
    expect(parseTextCommand('/reading start paragraphs:12 every:day at:09:00', app.commands, admin())).toEqual({ error: expect.stringMatching(/paragraphs must be at most 11/i) });
    const reading = app.commands.find((command) => command.definition.name === 'reading');
    for (const paragraphs of [0, 12, 2.5]) {
      const reply = await reading?.handle({ subcommand: 'start', options: { paragraphs, every: 'day', at: '09:00' }, invoker: admin() }, app.context);
      expect(text(reply as Reply)).toMatch(/a whole number from 1 to 11/);
    }
    // A cadence outside the choices, the same way.
    const fortnight = await reading?.handle({ subcommand: 'start', options: { paragraphs: 3, every: 'fortnight', at: '09:00' }, invoker: admin() }, app.context);
    expect(text(fortnight as Reply)).toMatch(/every is day, weekday \(Monday to Friday\) or week, not “fortnight”/);
    expect(await app.context.store.readingPlans.get(guildScope(GUILD))).toBeUndefined();
  });

  it('needs Manage Server, a server (not a DM or the terminal), and one plan at a time', async () => {
    expect((await run(START, member('bo'))).title).toBe('Manage Server needed');
    for (const where of [LOCAL_INVOKER, { ...admin(), guildId: undefined }]) {
      const reply = await run(START, where);
      expect(reply.title).toBe('Reading plans need a server');
      expect(reply.private).toBe(true);
    }
    await run(START, admin());
    const again = await run('/reading start paragraphs:1 every:weekday at:18:00', admin());
    expect(again.title).toBe('This server already has a reading plan');
    expect(text(again)).toContain('Running: every day at 09:00 (Europe/Berlin), in this channel. ¶1–¶3 next, 0 of 4 parts posted.');
  });

  it('says so when the database refuses the plan', async () => {
    app.context.store.readingPlans.start = async () => {
      throw new StoreWriteError('full', 'disk full');
    };
    const reply = await run(START, admin());
    expect(reply.title).toBe('Could not start the reading plan');
    expect(reply.private).toBe(true);
  });
});

describe('/reading status, pause, resume, next and stop', () => {
  it('shows the plan to anyone, with the position and the next time in the plan’s zone', async () => {
    expect((await run('/reading status', member('bo'))).title).toBe('No reading plan');
    await run(START, admin());
    const status = await run('/reading status', member('bo'));
    expect(status.private).toBe(true);
    expect(status.notes).toEqual([
      '3 paragraphs a part of “Russian-Iranian Relations: Troubled Ties”, every day at 09:00 (Europe/Berlin), in this channel.',
      '¶1–¶3 next, 0 of 4 parts posted.',
      'Next post: Sat 7 Jun 2025, 09:00 CEST.',
      'Started by ann-name on 6 Jun 2025.',
    ]);
    expect(text(await run('/reading status', member('bo', false, { channelId: OTHER_CHANNEL })))).toContain('in another channel of this server');
  });

  it('pauses and resumes (Manage Server only), and the next post follows the resume', async () => {
    await run(START, admin());
    expect((await run('/reading pause', member('bo'))).title).toBe('Manage Server needed');
    const paused = await run('/reading pause', admin());
    expect(paused.title).toBe('Reading plan paused');
    expect((await run('/reading pause', admin())).title).toBe('Already paused');
    expect(text(await run('/reading status', member('bo')))).toContain('Paused by ann-name. /reading resume starts it again.');
    expect((await run('/reading next', admin())).title).toBe('The reading plan is paused');

    time.time = Date.parse('2025-06-09T12:00:00Z');
    const resumed = await run('/reading resume', admin());
    expect(resumed.title).toBe('Reading plan resumed');
    expect(text(resumed)).toContain('¶1–¶3 next, 0 of 4 parts posted.');
    expect(text(resumed)).toContain('Next post: Tue 10 Jun 2025, 09:00 CEST.');
    expect((await run('/reading resume', admin())).title).toBe('Not paused');
  });

  it('stops the plan, and a new one can start', async () => {
    await run(START, admin());
    expect((await run('/reading stop', member('bo'))).title).toBe('Manage Server needed');
    const stopped = await run('/reading stop', admin());
    expect(text(stopped)).toContain('ann-name stopped the reading plan after 0 of 4 parts.');
    expect((await run('/reading stop', admin())).title).toBe('No reading plan');
    expect((await run(START, admin())).title).toBe('Reading plan started');
  });

  it('posts the next part at once through a running runner, and the schedule goes on', async () => {
    const poster = new RecordingPoster(time);
    const runner = new ReadingRunner({ context: app.context, poster, timer: time });
    runner.start();
    await run(START, admin());
    await time.runUntil(time.now(), runner);
    expect(poster.posted).toEqual([]);

    const next = await run('/reading next', admin());
    expect(text(next)).toBe('¶1–¶3 is being posted now in this channel; after it the plan goes on at its usual time.');
    await time.runUntil(time.now(), runner);
    expect(poster.titles(CHANNEL)).toEqual(['Reading, part 1 of 4: ¶1–¶3']);
    expect(text(await run('/reading status', member('bo')))).toContain('¶4–¶6 next, 1 of 4 parts posted.\nNext post: Sat 7 Jun 2025, 09:00 CEST.');

    await time.runUntil(Date.parse('2025-06-10T00:00:00Z'), runner);
    await runner.stop();
    expect(poster.titles(CHANNEL)).toEqual(['Reading, part 1 of 4: ¶1–¶3', 'Reading, part 2 of 4: ¶4–¶6', 'Reading, part 3 of 4: ¶7–¶9', 'Reading, part 4 of 4: ¶10–¶11']);
    const last = poster.posted.at(-1)?.reply;
    expect(last?.passages.map((passage) => passage.cite.label)).toEqual(['¶10', '¶11']);
    expect(text(await run('/reading status', member('bo')))).toContain('Finished: all 4 parts posted.');
    expect((await run('/reading next', admin())).title).toBe('The article is finished');
    // A finished plan makes room for a new one.
    expect((await run(START, admin())).title).toBe('Reading plan started');
  });

  it('answers in a DM and in the terminal that plans need a server', async () => {
    for (const sub of ['status', 'next', 'pause', 'resume', 'stop']) {
      expect((await run(`/reading ${sub}`, LOCAL_INVOKER)).title, sub).toBe('Reading plans need a server');
    }
  });

  it('has a definition Discord accepts: subcommands, choices, a channel option', () => {
    const reading = app.commands.filter((command) => command.definition.name === 'reading');
    expect(reading).toHaveLength(1);
    expect(validatePayloads(commandPayloads(reading))).toEqual([]);
  });

  it('suggests time zones as they are typed', async () => {
    const reading = app.commands.find((command) => command.definition.name === 'reading');
    const choices = await reading?.autocomplete?.('timezone', 'new york', app.context);
    expect(choices).toContainEqual({ name: 'America/New_York', value: 'America/New_York' });
    expect((await reading?.autocomplete?.('timezone', '', app.context))?.[0]).toEqual({ name: 'UTC', value: 'UTC' });
    expect((await reading?.autocomplete?.('timezone', '', app.context))?.length).toBe(25);
  });
});
