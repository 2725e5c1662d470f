/**
 * What a group marks and its organizer sees, end to end: the real bot with
 * SQLite in a fresh folder against the fake Discord, its clock sped up with
 * FOOTNOTE_CLOCK (ten minutes a real second). A reading-plan part shows each
 * paragraph's notes with a "Notes on ¶N" button and carries Done reading; a
 * Helpful vote and a "confused me" flag count once per member and survive a
 * SIGKILL; /assign's Done reading updates the post and its reminder reaches
 * only those who asked and are not done; /report attaches a PNG that decodes
 * and whose figures match the store; another server sees none of it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonLabelled, buttonsOf, embedOf, EPHEMERAL, type Button, type Message } from '../support/discord-messages.ts';
import { FastBot } from '../support/fast-bot.ts';
import { FakeDiscord, makeUser, MEMBER_PERMISSIONS, PERMISSIONS, type CommandOptionValue, type FakeUser, type SentInteraction, type StoredMessage } from '../support/fake-discord.ts';

const SPEED = 600;
const START = Date.parse('2026-03-02T07:00:00Z');
const SLUG = 'russian-iranian-relations-troubled-ties';

let fake: FakeDiscord;
let bot: FastBot;
const ann = makeUser('ann');
const organizer = { user: ann, permissions: MEMBER_PERMISSIONS | PERMISSIONS.ManageGuild };

beforeAll(async () => {
  fake = await FakeDiscord.start();
  bot = await FastBot.start(fake, 'organizer', START, SPEED);
}, 30_000);

afterAll(async () => {
  bot?.close();
  await fake?.close();
});

const option = (name: string, value: string | number | boolean): CommandOptionValue => ({ name, type: typeof value === 'number' ? 4 : typeof value === 'boolean' ? 5 : 3, value }) as CommandOptionValue;
const sub = (name: string, options: CommandOptionValue[] = []) => [{ name, type: 1, options }] as unknown as CommandOptionValue[];

async function answerTo(interaction: SentInteraction): Promise<{ type: number; message: Message; files: { name: string; content: Buffer }[] }> {
  const { type, data, calls } = await fake.answerTo(interaction, 10_000);
  const files = calls.flatMap((call) => call.files).map((file) => ({ name: file.name, content: file.content }));
  return { type, message: data as Message, files };
}

const click = (button: Button, user: FakeUser, place: { messageId?: string; in?: 'other-guild' } = {}) => answerTo(fake.sendButton(button.custom_id, { user, ...place }));

describe('the group’s marks and the organizer’s view on Discord', () => {
  it('a reading part shows each paragraph’s notes with its button, and Done reading', async () => {
    for (const [name, text] of [
      ['bo', 'Velayati’s motive?'],
      ['cy', 'Two explanations, both bad'],
    ] as const) {
      const added = await answerTo(fake.sendSlash('note', sub('add', [option('paragraph', 2), option('text', text)]), { user: makeUser(name) }));
      expect(embedOf(added.message).title).toMatch(/^Note #\d+ on ¶2$/);
    }
    const { at } = bot.inMinutes(10);
    const started = await answerTo(fake.sendSlash('reading', sub('start', [option('paragraphs', 3), option('every', 'day'), option('at', at)]), organizer));
    expect(embedOf(started.message).title).toBe('Reading plan started');
    const part = await fake.waitFor(() => fake.messagesIn(fake.channelId).find((message) => embedOf(message).title === 'Reading, part 1 of 4: ¶1–¶3'), 15_000, 'the first part');
    expect(embedOf(part).description).toContain('Notes: none yet on ¶1, 2 notes on ¶2, none yet on ¶3.');
    const notesOnTwo = buttonLabelled(part, 'Notes on ¶2 (2)');
    expect(buttonLabelled(part, '¶2 confused me')).toBeDefined();
    const listed = await click(notesOnTwo, makeUser('di'), { messageId: part.id });
    expect(listed.message.flags).toBe(EPHEMERAL);
    expect(embedOf(listed.message).description).toContain('Two explanations, both bad');
    const done = await click(buttonLabelled(part, 'Done reading'), makeUser('di'), { messageId: part.id });
    expect(done.type).toBe(7);
    expect(embedOf(done.message).description).toContain('1 member has read it.');
    await answerTo(fake.sendSlash('reading', sub('stop'), organizer));
  }, 40_000);

  it('counts a Helpful vote and a flag once per member, across a SIGKILL and restart', async () => {
    const ed = makeUser('ed');
    const list = await answerTo(fake.sendSlash('note', sub('list', [option('paragraph', 2)]), { user: ed }));
    const helpful = buttonsOf(list.message).filter((button) => button.label.startsWith('Helpful #'));
    expect(helpful).toHaveLength(2);
    expect(embedOf((await click(helpful[0] as Button, ed)).message).description ?? '').toContain('1 member finds it helpful');
    const passage = await answerTo(fake.sendSlash('passage', [option('number', 6)], { user: ed }));
    const flag = buttonLabelled(passage.message, '¶6 confused me');
    expect(embedOf((await click(flag, ed)).message).title).toBe('¶6 confused you');
    await bot.restart();
    // After the restart: the same member's second press takes each back; another's adds.
    expect(embedOf((await click(helpful[0] as Button, ed)).message).description).toContain('Your vote is taken back; 0 members find it helpful');
    expect(embedOf((await click(flag, makeUser('fay'))).message).description).toContain('and 1 other member');
    expect(await bot.withStore((store) => store.confusion.counts(`guild:${fake.guildId}`, SLUG))).toEqual(new Map([[6, 2]]));
  }, 40_000);

  it('/assign: Done reading for all, the reminder only to those who asked and are not done, and the report', async () => {
    const [gus, hal, ivy] = ['gus', 'hal', 'ivy'].map((name) => makeUser(name)) as [FakeUser, FakeUser, FakeUser];
    const due = bot.inMinutes(40);
    const posted = await answerTo(fake.sendSlash('assign', [option('paragraphs', '4-6'), option('due', due.day), option('at', due.at)], organizer));
    expect(posted.message.flags ?? 0).toBe(0);
    expect(embedOf(posted.message).title).toBe('Reading assignment: ¶4–¶6');
    const post = fake.messagesIn(fake.channelId).filter((message) => embedOf(message).title === 'Reading assignment: ¶4–¶6').at(-1) as StoredMessage;
    const done = buttonLabelled(post, 'Done reading');
    const remind = buttonLabelled(post, 'Remind me');
    expect(embedOf((await click(done, gus, { messageId: post.id })).message).description).toContain('1 member has read it.');
    for (const user of [gus, hal]) expect(embedOf((await click(remind, user, { messageId: post.id })).message).title).toBe('Reminder set');
    // Reminders go out halfway to the due time (20 simulated minutes: 2 real seconds): Hal's, not Gus's (done), not Ivy's (never asked).
    const dmsTo = (user: FakeUser) => bot.dmsTo(user);
    await fake.waitFor(() => (dmsTo(hal).length > 0 ? true : undefined), 15_000, 'Hal’s reminder');
    expect(embedOf(dmsTo(hal)[0] as StoredMessage).title).toBe('Reading due soon: ¶4–¶6');
    await delay(500);
    expect(dmsTo(gus)).toEqual([]);
    expect(dmsTo(ivy)).toEqual([]);

    // The report: private, with the picture shown in it, and its figures those of the store.
    expect(embedOf((await answerTo(fake.sendSlash('report', [], { user: gus }))).message).title).toBe('Manage Server needed');
    const report = await answerTo(fake.sendSlash('report', [], organizer));
    expect(report.message.flags).toBe(EPHEMERAL);
    expect(report.message.attachments).toEqual([{ id: 0, filename: 'report.png' }]);
    expect(embedOf(report.message).image?.url).toBe('attachment://report.png');
    const png = PNG.sync.read(report.files.find((file) => file.name === 'report.png')?.content as Buffer);
    expect(png.width).toBeGreaterThan(600);
    expect(png.height).toBe(70 + 26 * 11 + 34);
    const figures = await bot.withStore((store) => store.activity.paragraphs(`guild:${fake.guildId}`, SLUG));
    const description = embedOf(report.message).description ?? '';
    const flags = figures.reduce((sum, row) => sum + row.confusing, 0);
    const notes = figures.reduce((sum, row) => sum + row.notes, 0);
    expect(description).toContain(`notes: ${notes} · confusing flags: ${flags}.`);
    expect(description).toContain(`¶6 — ${flags} confusing flags`);
    expect(description).toMatch(/¶4–¶6, due .*: 1 member done/);

    // Another server sees none of it.
    const elsewhere = await answerTo(fake.sendSlash('report', [], { ...organizer, in: 'other-guild' }));
    expect(embedOf(elsewhere.message).description).toContain('No paragraph has been flagged');
  }, 60_000);
});
