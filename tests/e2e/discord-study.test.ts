/**
 * The study-group tools on Discord, end to end: the real bot process with a
 * SQLite database in a fresh data folder, against the fake Discord on
 * 127.0.0.1. Notes (slash, modal, pages, permissions, export), /passage's note
 * count, /discuss and its thread, questions in that thread, /outline, /who,
 * /timeline, /open-questions, isolation between servers and DMs, a restart
 * after SIGKILL, and a corrupt database file.
 *
 * One bot serves the file (tests run in order, each as its own users so the
 * per-user cooldown of 5 requests in 10 s never interferes); the restart test
 * replaces it with a second one on the same folder.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { bodyParagraphs } from '../../src/corpus/types.ts';
import { databaseFile, SqliteStore } from '../../src/store/sqlite.ts';
import { testApp } from '../support/app.ts';
import { BotProcess, runToExit, spawnBot } from '../support/bot-process.ts';
import { FakeDiscord, makeUser, MEMBER_PERMISSIONS, PERMISSIONS, type CommandOptionValue, type FakeUser, type Place, type RecordedCall, type SentInteraction } from '../support/fake-discord.ts';

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
  attachments?: { id: number | string; filename: string }[];
  allowed_mentions?: { parse?: string[]; users?: string[]; replied_user?: boolean };
}
interface Modal {
  custom_id: string;
  title: string;
  components: { components: { custom_id: string; style: number; max_length?: number }[] }[];
}

const EPHEMERAL = 64;
const ARTICLE = 'russian-iranian-relations-troubled-ties';
const MODERATOR = MEMBER_PERMISSIONS | PERMISSIONS.ManageMessages;

let fake: FakeDiscord;
let bot: BotProcess;
let app: App;
let dataDir: string;
const scratch: string[] = [];

beforeAll(async () => {
  // Loaded first: building the index blocks this process, which also serves the fake Discord.
  app = await testApp();
  fake = await FakeDiscord.start();
  dataDir = mkdtempSync(join(tmpdir(), 'footnote-study-e2e-'));
  bot = await BotProcess.start(fake, { DATA_DIR: dataDir });
}, 30_000);

afterAll(async () => {
  bot?.kill();
  await fake?.close();
  for (const dir of [dataDir, ...scratch]) if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- helpers -----------------------------------------------------------------------

const int = (name: string, value: number): CommandOptionValue => ({ name, type: 4, value });
const str = (name: string, value: string): CommandOptionValue => ({ name, type: 3, value });
const bool = (name: string, value: boolean): CommandOptionValue => ({ name, type: 5, value });
/** A subcommand with its options, as Discord nests them. */
const sub = (name: string, options: CommandOptionValue[] = []) => [{ name, type: 1, options }] as unknown as CommandOptionValue[];

async function answer(interaction: SentInteraction): Promise<Message> {
  return (await fake.answerTo(interaction)).data as Message;
}

function slash(name: string, options: CommandOptionValue[], place: Place): Promise<Message> {
  return answer(fake.sendSlash(name, options, place));
}

const note = (subcommand: string, options: CommandOptionValue[], place: Place) => slash('note', sub(subcommand, options), place);

function embedOf(message: Message): Embed {
  expect(message.embeds).toHaveLength(1);
  return message.embeds?.[0] as Embed;
}

const titleOf = (message: Message) => embedOf(message).title;
const textOf = (message: Message) => embedOf(message).description ?? '';
const buttons = (message: Message) => (message.components ?? []).flatMap((row) => row.components);
const button = (message: Message, label: RegExp | string) => buttons(message).find((candidate) => (typeof label === 'string' ? candidate.label === label : label.test(candidate.label)));

/** "Note #12 on ¶5" → 12. */
function noteId(message: Message): number {
  const id = /^Note #(\d+) on ¶\d+$/.exec(titleOf(message) ?? '')?.[1];
  expect(id, JSON.stringify(message)).toBeDefined();
  return Number(id);
}

/** Adds a note as `user` and returns its id. */
async function addNote(place: Place, paragraph: number, text: string, extra: CommandOptionValue[] = []): Promise<number> {
  return noteId(await note('add', [int('paragraph', paragraph), str('text', text), ...extra], place));
}

function body(paragraph: number): string {
  return bodyParagraphs(app.context.library.mainArticle)[paragraph - 1]?.text as string;
}

type Seeded = { scope: `guild:${string}` | `dm:${string}`; paragraph: number; authorId: string; authorName: string; text: string; private: boolean; createdAt?: number };

/**
 * Notes written straight into the bot's database through a second connection
 * (as `npm run backup` opens one while the bot runs): for states a slash command
 * cannot make quickly, like a day's 50 notes. Returns their ids.
 */
async function seed(notes: Seeded[]): Promise<number[]> {
  const store = new SqliteStore(dataDir);
  try {
    return await store.importNotes(notes.map((seeded) => ({ article: ARTICLE, ...seeded, createdAt: seeded.createdAt ?? Date.now() })));
  } finally {
    await store.close();
  }
}

/** The bot's "handled" log line for one command, once it is written (after any thread was opened). */
function handled(command: string, count = 1) {
  return bot.waitForLogs((line) => line.msg === 'handled' && line.command === command, count);
}

// ---- notes ---------------------------------------------------------------------------

describe('/note add and /note list', () => {
  it('adds a shared note, posted publicly with the quoted paragraph, and lists it privately', async () => {
    const ada = makeUser('ada');
    const added = await note('add', [int('paragraph', 5), str('text', 'Velayati is the key figure here')], { user: ada, nick: 'Ada L.' });
    expect(added.flags ?? 0).toBe(0);
    expect(titleOf(added)).toMatch(/^Note #\d+ on ¶5$/);
    expect(textOf(added)).toContain(`“${body(5).slice(0, 60)}`);
    expect(textOf(added)).toContain('(¶5)');
    expect(textOf(added)).toContain('Ada L.: Velayati is the key figure here');

    const list = await note('list', [], { user: makeUser('bob') });
    expect(list.flags).toBe(EPHEMERAL);
    expect(titleOf(list)).toBe('Notes in this server');
    expect(textOf(list)).toMatch(new RegExp(`#${noteId(added)} · ¶5 · Ada L\\. · \\d+ \\w+ \\d{4} — Velayati is the key figure here`));

    await addNote({ user: makeUser('abe') }, 5, 'someone else on the same paragraph');
    const byAda = await answer(fake.sendSlash('note', sub('list', [{ name: 'user', type: 6, value: ada.id }]), { user: makeUser('bob2') }, [ada]));
    expect(titleOf(byAda)).toBe('Notes in this server by Ada L.');
    expect(textOf(byAda)).toMatch(/^1–1 of 1, newest first/);
    expect(textOf(byAda)).not.toContain('someone else');
  });

  it('without text, opens a modal (callback type 9) whose submission saves the note', async () => {
    const cleo = makeUser('cleo');
    const opened = await fake.answerTo(fake.sendSlash('note', sub('add', [int('paragraph', 7)]), { user: cleo }));
    expect(opened.type).toBe(9);
    const modal = opened.data as unknown as Modal;
    expect(modal.custom_id).toBe(`fn1:nt:7:0:${ARTICLE}`);
    expect(modal.title.startsWith('¶7: Further, on March 13')).toBe(true);
    expect(modal.title.length).toBeLessThanOrEqual(45);
    expect(modal.components[0]?.components[0]).toMatchObject({ custom_id: 'text', style: 2, max_length: 1_000 });

    const saved = await answer(fake.sendModalSubmit(modal.custom_id, { text: 'Written in the form' }, { user: cleo }));
    expect(titleOf(saved)).toMatch(/^Note #\d+ on ¶7$/);
    expect(saved.flags ?? 0).toBe(0);
    const list = await note('list', [int('paragraph', 7)], { user: makeUser('dan') });
    expect(textOf(list)).toContain(`#${noteId(saved)} · ¶7 · cleo`);
    expect(textOf(list)).toContain('Written in the form');

  });

  it('turns bad input away with a clear private message', async () => {
    const eli = makeUser('eli');
    const missing = await note('add', [int('paragraph', 99), str('text', 'nowhere')], { user: eli });
    expect(missing.flags).toBe(EPHEMERAL);
    expect(titleOf(missing)).toBe('No such paragraph');
    expect(textOf(missing)).toContain('¶1 to ¶11');
    const blank = await fake.answerTo(fake.sendSlash('note', sub('add', [int('paragraph', 99)]), { user: eli }));
    expect(blank.type).toBe(4);
    expect(titleOf(blank.data as Message)).toBe('No such paragraph');
    const empty = await answer(fake.sendModalSubmit('fn1:nt:3:0', { text: '   ' }, { user: eli }));
    expect(titleOf(empty)).toBe('Empty note');
    const deleted = await note('delete', [int('id', 999_999)], { user: eli });
    expect(titleOf(deleted)).toBe('No such note');
  });

  it('shows hostile note text escaped, and pings nobody', async () => {
    const text = '@everyone <@123> **bold** \u202Eevil';
    const added = await note('add', [int('paragraph', 2), str('text', text)], { user: makeUser('mal') });
    const list = await note('list', [int('paragraph', 2)], { user: makeUser('nia') });
    for (const message of [added, list]) {
      const shown = textOf(message);
      expect(shown).toContain('@\u200beveryone \\<@123> \\*\\*bold\\*\\* evil');
      expect(shown).not.toContain('\u202E');
      expect(shown).not.toContain('@everyone');
      expect(shown).not.toMatch(/(^|[^\\])<@123>/);
      expect(message.allowed_mentions).toEqual({ parse: [] });
      expect(message.content).toBeUndefined();
    }
  });
});

describe('pages of notes', () => {
  it('Older and Newer replace the list message in place (callback type 7)', async () => {
    for (let i = 1; i <= 10; i += 1) await addNote({ user: makeUser(`pager${i}`) }, 3, `page note ${i}`);
    const reader = makeUser('reader');
    const first = await fake.answerTo(fake.sendSlash('note', sub('list', [int('paragraph', 3)]), { user: reader }));
    const list = first.data as Message;
    expect(first.type).toBe(4);
    expect(list.flags).toBe(EPHEMERAL);
    expect(titleOf(list)).toBe('Notes on ¶3');
    expect(textOf(list)).toMatch(/^1–8 of 10, newest first/);
    expect(textOf(list)).toContain('page note 10');
    expect(textOf(list)).not.toContain('page note 2\n');
    // A Helpful button per note on the page (all by others), then the page buttons.
    expect(buttons(list).filter((b) => /^Helpful #\d+$/.test(b.label))).toHaveLength(8);
    expect(buttons(list).map((b) => b.label).filter((label) => !label.startsWith('Helpful'))).toEqual(['Older']);
    const listMessage = fake.messagesIn(fake.channelId).findLast((message) => (message.embeds as Embed[] | undefined)?.[0]?.description === list.embeds?.[0]?.description);
    expect(listMessage).toBeDefined();

    const older = await fake.answerTo(fake.sendButton(button(list, 'Older')?.custom_id as string, { user: reader, messageId: listMessage?.id as string }));
    expect(older.type).toBe(7);
    const page2 = older.data as Message;
    expect(textOf(page2)).toMatch(/^9–10 of 10, newest first/);
    expect(textOf(page2)).toContain('page note 1');
    expect(buttons(page2).map((b) => b.label).filter((label) => !label.startsWith('Helpful'))).toEqual(['Newer']);
    // The stored list message itself changed, and is still visible to the reader only.
    const stored = fake.storedMessage(listMessage?.id as string) as unknown as Message;
    expect(textOf(stored)).toMatch(/^9–10 of 10/);
    expect(stored.flags).toBe(EPHEMERAL);

    const newer = await fake.answerTo(fake.sendButton(button(page2, 'Newer')?.custom_id as string, { user: reader, messageId: listMessage?.id as string }));
    expect(newer.type).toBe(7);
    expect(textOf(newer.data as Message)).toMatch(/^1–8 of 10, newest first/);
    expect(textOf(fake.storedMessage(listMessage?.id as string) as unknown as Message)).toMatch(/^1–8 of 10/);
  });

  it('/passage tells how many notes ¶N has, and its "Notes on ¶N" button lists them for whoever clicks', async () => {
    const passage = await slash('passage', [int('number', 3)], { user: makeUser('pat') });
    expect(titleOf(passage)).toBe('¶3');
    expect(textOf(passage)).toContain('10 notes on ¶3.');
    expect(textOf(passage)).toContain(body(3).slice(0, 80));
    const notesOn = button(passage, 'Notes on ¶3 (10)');
    expect(notesOn?.custom_id).toBe(`fn1:nn:3:10:${ARTICLE}`);

    const clicked = await fake.answerTo(fake.sendButton(notesOn?.custom_id as string, { user: makeUser('quin') }));
    expect(clicked.type).toBe(4);
    expect(clicked.data.flags).toBe(EPHEMERAL);
    expect(titleOf(clicked.data as Message)).toBe('Notes on ¶3');
    expect(textOf(clicked.data as Message)).toMatch(/^1–8 of 10/);

    const empty = await slash('passage', [int('number', 11)], { user: makeUser('pat2') });
    expect(textOf(empty)).toContain('No notes on ¶11 yet: add one with /note add paragraph:11.');
    expect(button(empty, 'Notes on ¶11 (0)')).toBeDefined();
  });
});

describe('who may see and delete a note', () => {
  it('/note add private:true keeps the note to its author', async () => {
    const rae = makeUser('rae');
    const added = await note('add', [int('paragraph', 4), str('text', 'my secret reading'), bool('private', true)], { user: rae });
    expect(textOf(added)).toContain('Only you can see this note.');
    expect(added.flags).toBe(EPHEMERAL);
    expect(textOf(await note('list', [int('paragraph', 4)], { user: rae }))).toMatch(/· private — my secret reading/);
    expect(textOf(await note('list', [int('paragraph', 4)], { user: makeUser('sid') }))).not.toContain('my secret reading');
  });

  it('/note add private:true without text opens a modal that keeps the note private', async () => {
    const roy = makeUser('roy');
    const opened = await fake.answerTo(fake.sendSlash('note', sub('add', [int('paragraph', 4), bool('private', true)]), { user: roy }));
    expect(opened.type).toBe(9);
    const modal = opened.data as unknown as Modal;
    expect(modal.custom_id).toBe(`fn1:nt:4:1:${ARTICLE}`);
    const kept = await answer(fake.sendModalSubmit(modal.custom_id, { text: 'only for me, from the form' }, { user: roy }));
    expect(kept.flags).toBe(EPHEMERAL);
    expect(textOf(await note('list', [int('paragraph', 4)], { user: makeUser('sid2') }))).not.toContain('only for me, from the form');
  });

  it('someone else’s private note is not listed, counted, exported or deletable, even by a moderator', async () => {
    const ria = makeUser('ria');
    const [id] = await seed([{ scope: `guild:${fake.guildId}`, paragraph: 11, authorId: ria.id, authorName: 'ria', text: 'hidden thoughts', private: true }]);
    expect(textOf(await note('list', [int('paragraph', 11)], { user: ria }))).toMatch(new RegExp(`#${id} · ¶11 · ria · .* · private — hidden thoughts`));
    expect(textOf(await slash('passage', [int('number', 11)], { user: ria }))).toContain('1 note on ¶11.');

    const other = makeUser('sid3');
    expect(textOf(await note('list', [int('paragraph', 11)], { user: other }))).toContain('No notes yet');
    expect(textOf(await slash('passage', [int('number', 11)], { user: other }))).toContain('No notes on ¶11 yet');
    const exported = await fake.answerTo(fake.sendSlash('note', sub('export'), { user: other }));
    expect(exported.calls[0]?.files[0]?.text).not.toContain('hidden thoughts');
    const gone = await note('delete', [int('id', id as number)], { user: makeUser('mod0'), permissions: MODERATOR });
    expect(titleOf(gone)).toBe('No such note');
    expect(textOf(await note('list', [int('paragraph', 11)], { user: ria }))).toContain('hidden thoughts');
  });

  it('deleting another member’s note takes Manage Messages; one’s own does not', async () => {
    const tom = makeUser('tom');
    const id = await addNote({ user: tom }, 8, 'to be deleted by a moderator');
    const own = await addNote({ user: tom }, 8, 'to be deleted by its author');

    const refused = await note('delete', [int('id', id)], { user: makeUser('uma') });
    expect(refused.flags).toBe(EPHEMERAL);
    expect(titleOf(refused)).toBe('Not your note');
    expect(textOf(refused)).toContain('Manage Messages');
    expect(textOf(await note('list', [int('paragraph', 8)], { user: makeUser('vic') }))).toContain('to be deleted by a moderator');

    const allowed = await note('delete', [int('id', id)], { user: makeUser('mod1'), permissions: MODERATOR });
    expect(titleOf(allowed)).toBe(`Deleted note #${id}`);
    expect(allowed.flags).toBe(EPHEMERAL);
    // An administrator counts as having every permission.
    const byAdmin = await addNote({ user: tom }, 8, 'to be deleted by an administrator');
    expect(titleOf(await note('delete', [int('id', byAdmin)], { user: makeUser('adm'), permissions: PERMISSIONS.Administrator | PERMISSIONS.ViewChannel }))).toBe(`Deleted note #${byAdmin}`);
    expect(titleOf(await note('delete', [int('id', own)], { user: tom }))).toBe(`Deleted note #${own}`);

    const after = await note('list', [int('paragraph', 8)], { user: makeUser('vic2') });
    expect(textOf(after)).toContain('No notes yet');
  });

  it('a member past 50 notes in 24 hours, in any server or DM, is asked to take a break', async () => {
    const busy = makeUser('busy');
    // Written through a second connection to the bot's database: 50 notes of the last hour, in the member's DMs.
    const now = Date.now();
    await seed(Array.from({ length: 50 }, (_, i) => ({ scope: `dm:${busy.id}` as const, paragraph: 1, authorId: busy.id, authorName: 'busy', text: `seeded ${i}`, private: true, createdAt: now - i * 60_000 })));
    const refused = await note('add', [int('paragraph', 1), str('text', 'one more')], { user: busy });
    expect(refused.flags).toBe(EPHEMERAL);
    expect(titleOf(refused)).toBe('That is a lot of notes');
    expect(textOf(await note('list', [], { user: busy, in: 'dm' }))).toMatch(/^1–8 of 50/);
  });
});

describe('/note export', () => {
  it('sends the visible notes as a Markdown attachment, privately', async () => {
    const wes = makeUser('wes');
    await addNote({ user: wes }, 9, 'Export me, please');
    await seed([{ scope: `guild:${fake.guildId}`, paragraph: 9, authorId: wes.id, authorName: 'wes', text: 'Mine \u202Ealone', private: true }]);
    const sent = fake.sendSlash('note', sub('export'), { user: wes });
    const result = await fake.answerTo(sent);
    const message = result.data as Message;
    expect(result.type).toBe(4);
    expect(message.flags).toBe(EPHEMERAL);
    expect(titleOf(message)).toBe('Notes exported');
    expect(message.attachments).toEqual([{ id: 0, filename: `notes-${ARTICLE}.md` }]);

    const callback = result.calls[0] as RecordedCall;
    expect(callback.files).toHaveLength(1);
    const file = callback.files[0];
    expect(file?.name).toBe(`notes-${ARTICLE}.md`);
    expect(file?.contentType).toMatch(/^text\/markdown/);
    const markdown = file?.text ?? '';
    expect(markdown).toMatch(/^# Notes on “Russian-Iranian Relations: Troubled Ties” by Mark N\. Katz\n/);
    expect(markdown).toContain(`## ¶9\n\n> ${body(9)}\n`);
    expect(markdown).toMatch(/- \*\*wes\*\*, .*\(#\d+\): Export me, please/);
    expect(markdown).toMatch(/\(#\d+, private\): Mine alone/);
    expect(markdown).toContain('Velayati is the key figure here');
    expect(markdown).toContain('page note 10');
    // People's text is shown as written, but no character may turn the rest of the file around.
    expect(markdown).toContain('@everyone \\<@123\\> \\*\\*bold\\*\\* evil');
    expect(markdown).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    // Someone else's private note is not in it.
    expect(markdown).not.toContain('hidden thoughts');
    // The file is where Discord keeps it: on the stored message.
    const stored = fake.messagesIn(fake.channelId).at(-1) as unknown as { attachments: { filename: string }[] };
    expect(stored.attachments.map((attachment) => attachment.filename)).toEqual([`notes-${ARTICLE}.md`]);
  });

  it('with no notes to export, says so', async () => {
    const empty = await note('export', [], { user: makeUser('xan'), in: 'dm' });
    expect(titleOf(empty)).toBe('No notes to export');
    expect(empty.attachments).toBeUndefined();
  });
});

// ---- discussions -----------------------------------------------------------------------

describe('/discuss', () => {
  let threadId = '';

  it('posts ¶N with a prompt, then opens a thread on that message named "¶N — <first words>"', async () => {
    const yara = makeUser('yara');
    const sent = fake.sendSlash('discuss', [int('paragraph', 10), str('prompt', 'Would Iran ever side with Russia against Turkey?')], { user: yara, nick: 'Yara' });
    const posted = await answer(sent);
    expect(posted.flags ?? 0).toBe(0);
    expect(titleOf(posted)).toBe('Discussion: ¶10');
    expect(textOf(posted)).toContain('Yara asks: Would Iran ever side with Russia against Turkey?');
    expect(textOf(posted)).toContain(body(10).slice(0, 100));

    const create = await fake.waitForCall((call) => call.method === 'POST' && /\/channels\/\d+\/messages\/\d+\/threads$/.test(call.route), 5_000, 'the thread');
    expect(create.status).toBe(201);
    const message = fake.messagesIn(fake.channelId).find((stored) => (stored.interaction_metadata as { id?: string } | undefined)?.id === sent.id);
    expect(create.route).toBe(`/api/v10/channels/${fake.channelId}/messages/${message?.id}/threads`);
    const name = (create.body as { name: string }).name;
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name.startsWith(`¶10 — ${body(10).slice(0, 40)}`)).toBe(true);
    expect(name).toMatch(/…$/);
    const thread = fake.threadsIn().find((candidate) => candidate.id === message?.id);
    expect(thread).toMatchObject({ name, type: 11, parent_id: fake.channelId });
    threadId = thread?.id as string;
    await handled('discuss');
  });

  it('a mention in the thread ranks ¶N or a neighbour first; the same question outside does not', async () => {
    const question = 'What does Moscow want?';
    const outside = await fake.replyTo(fake.sendMessage(`<@${fake.botUser.id}> ${question}`, { user: makeUser('zed'), mentions: [fake.botUser] }).id);
    const inside = await fake.replyTo(fake.sendMessage(`<@${fake.botUser.id}> ${question}`, { user: makeUser('zoe'), channelId: threadId, mentions: [fake.botUser] }).id);
    expect(inside.route).toBe(`/api/v10/channels/${threadId}/messages`);
    const first = (call: RecordedCall) => embedOf(call.body as Message).fields?.[0]?.name.split(' · ')[0];
    expect(['¶9', '¶10', '¶11']).toContain(first(inside));
    expect(first(outside)).not.toBe(first(inside));
    expect(textOf(inside.body as Message)).toMatch(/\(¶\d+\)/);

    // /ask in the thread does the same.
    const asked = await slash('ask', [str('question', question)], { user: makeUser('zia'), channelId: threadId });
    expect(['¶9', '¶10', '¶11']).toContain(embedOf(asked).fields?.[0]?.name.split(' · ')[0]);
  });

  it('suggests a prompt of its own, quoting the paragraph, when none is given', async () => {
    const posted = await slash('discuss', [int('paragraph', 6)], { user: makeUser('ari') });
    expect(textOf(posted)).toMatch(/^To discuss: /);
    const create = await fake.waitForCall((call) => call.method === 'POST' && call.route.endsWith('/threads') && (call.body as { name: string }).name.startsWith('¶6 — '));
    expect((create.body as { name: string }).name.startsWith(`¶6 — ${body(6).slice(0, 30)}`)).toBe(true);
  });

  it('in the ¶6 thread, questions that do not name their subject are answered from ¶6 and its neighbours', async () => {
    const thread = fake.threadsIn().find((candidate) => String(candidate.name).startsWith('¶6 — '));
    expect(thread).toBeDefined();
    const mention = async (question: string, channelId?: string) =>
      (await fake.replyTo(fake.sendMessage(`<@${fake.botUser.id}> ${question}`, { user: makeUser('ona'), mentions: [fake.botUser], ...(channelId ? { channelId } : {}) }).id)).body as Message;
    const inThread = await mention('which explanation is more likely?', thread?.id as string);
    expect(textOf(inThread)).not.toMatch(/does not seem to cover/i);
    expect(textOf(inThread)).toMatch(/\(¶6\)/);
    const response = await mention('what was the Russian response', thread?.id as string);
    expect(['¶5', '¶6', '¶7']).toContain(embedOf(response).fields?.[0]?.name.split(' · ')[0]);
  });

  it('follow-ups in a channel: a pronoun is read with the last question, a question about the text is not', async () => {
    const place = { user: makeUser('fio') };
    const ask = (question: string) => slash('ask', [str('question', question)], place);
    expect(textOf(await ask('Who made the oil freeze deal?'))).toMatch(/\(¶7\)/);
    const point = await ask('what was the point of it');
    expect(textOf(point)).toMatch(/Read with your last question, “Who made the oil freeze deal\?”/);
    expect(textOf(point)).toMatch(/bolster oil prices.*\(¶7\)/s);
    const written = await ask('when was this written');
    expect(textOf(written)).toMatch(/does not say when it was written\. The latest date it mentions is 14 March 2016/);
    expect(textOf(written)).not.toMatch(/Read with your last question/);
  });

  it('when Discord refuses the thread, the asker is told privately and the bot goes on', async () => {
    fake.denyChannel(fake.channelId);
    try {
      const sent = fake.sendSlash('discuss', [int('paragraph', 4)], { user: makeUser('bea') });
      expect(titleOf(await answer(sent))).toBe('Discussion: ¶4');
      const refused = await fake.waitForCall((call) => call.route.endsWith('/threads') && call.status === 403);
      expect((refused.response as { code: number }).code).toBe(50013);
      const followUp = await fake.waitForCall((call) => call.method === 'POST' && call.route === `/api/v10/webhooks/${fake.applicationId}/${sent.token}`);
      const told = followUp.body as Message;
      expect(told.flags).toBe(EPHEMERAL);
      expect(told.content).toMatch(/could not open a thread.*Create Public Threads/);
      expect(told.allowed_mentions).toEqual({ parse: [] });
      expect(followUp.status).toBe(200);
      await bot.waitForLog((line) => line.msg === 'could not open a thread');
    } finally {
      fake.allowChannel(fake.channelId);
    }
    expect(bot.running).toBe(true);
    expect(titleOf(await slash('outline', [], { user: makeUser('bea2') }))).toMatch(/^Outline of /);
  });

  it('/discuss inside a discussion thread makes that thread about the new paragraph, without asking Discord for a thread in a thread', async () => {
    const threadsBefore = fake.calls.filter((call) => call.route.endsWith('/threads')).length;
    const sent = fake.sendSlash('discuss', [int('paragraph', 3)], { user: makeUser('dov'), channelId: threadId });
    const posted = await answer(sent);
    expect(titleOf(posted)).toBe('Discussion: ¶3');
    expect(posted.flags ?? 0).toBe(0);
    expect(textOf(posted)).toContain('this thread');
    await handled('discuss', 4);
    expect(fake.calls.filter((call) => call.route.endsWith('/threads'))).toHaveLength(threadsBefore);
    expect(fake.callsFor(sent).filter((call) => call.method === 'POST' && call.route.includes('/webhooks/'))).toEqual([]);
    const inside = await fake.replyTo(fake.sendMessage(`<@${fake.botUser.id}> What does Moscow want?`, { user: makeUser('dov2'), channelId: threadId, mentions: [fake.botUser] }).id);
    expect(['¶2', '¶3', '¶4']).toContain(embedOf(inside.body as Message).fields?.[0]?.name.split(' · ')[0]);
    // Back to ¶10 for the tests that follow.
    await slash('discuss', [int('paragraph', 10)], { user: makeUser('dov3'), channelId: threadId });
    await handled('discuss', 5);
  });

  it('in a DM explains that discussions need a server; a bad paragraph is refused', async () => {
    const dm = await slash('discuss', [int('paragraph', 6)], { user: makeUser('cal'), in: 'dm' });
    expect(titleOf(dm)).toBe('Discussions need a server');
    expect(dm.flags).toBe(EPHEMERAL);
    const bad = await slash('discuss', [int('paragraph', 40)], { user: makeUser('cal2') });
    expect(titleOf(bad)).toBe('No such paragraph');
    expect(bad.flags).toBe(EPHEMERAL);
  });
});

// ---- the article's guide ------------------------------------------------------------

describe('/outline, /who and /timeline', () => {
  it('/outline: the thesis, then each paragraph’s lead with its ¶', async () => {
    const outline = await slash('outline', [], { user: makeUser('dee') });
    expect(titleOf(outline)).toBe('Outline of “Russian-Iranian Relations: Troubled Ties”');
    const lines = textOf(outline).split('\n');
    expect(lines[0]).toMatch(/^Thesis: “.+” \(¶\d+\)$/);
    for (let n = 1; n <= 11; n += 1) expect(lines.some((line) => line.startsWith(`¶${n} — `))).toBe(true);
    expect(outline.flags ?? 0).toBe(0);
  });

  it('/who lists the people with their ¶; /who name: gives one person’s sentences, cited', async () => {
    const all = await slash('who', [], { user: makeUser('fox') });
    expect(titleOf(all)).toBe('People in the article');
    expect(textOf(all)).toMatch(/Velayati — “.+” \(¶5\)/);
    const one = await slash('who', [str('name', 'velayati')], { user: makeUser('fox2') });
    expect(titleOf(one)).toBe('Ali Akbar Velayati');
    expect(textOf(one)).toMatch(/\*\*\(¶5\)\*\*/);
    const nobody = await slash('who', [str('name', 'Napoleon')], { user: makeUser('fox3') });
    expect(textOf(nobody)).toContain('The article names nobody called “Napoleon”.');
    const suggested = await fake.answerTo(fake.sendAutocomplete('who', [{ name: 'name', type: 3, value: 'vela', focused: true }], { user: makeUser('fox4') }));
    expect(suggested.type).toBe(8);
    expect((suggested.data as { choices: { name: string }[] }).choices.map((choice) => choice.name)).toEqual(['Ali Akbar Velayati']);
  });

  it('/timeline: dated events in date order, each with its sentence and ¶', async () => {
    const timeline = await slash('timeline', [], { user: makeUser('gia') });
    expect(titleOf(timeline)).toBe('Timeline of “Russian-Iranian Relations: Troubled Ties”');
    const events = textOf(timeline)
      .split('\n')
      .filter((line) => /\(¶\d+\)$/.test(line));
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.some((line) => line.startsWith('December 2015'))).toBe(true);
    const years = events.map((line) => Number(/^(?:\d{1,2} )?(?:[A-Z][a-z]+ )?(\d{4})/.exec(line)?.[1]));
    expect(years).toEqual([...years].sort((a, b) => a - b));
  });
});

// ---- open questions ---------------------------------------------------------------

describe('/open-questions', () => {
  it('keeps what /ask and mentions could not answer, per server; only Manage Messages clears it', async () => {
    const asker = makeUser('hal');
    const refused = await slash('ask', [str('question', 'Who won the 2018 World Cup?')], { user: asker });
    expect(embedOf(refused).title).toBe('Who won the 2018 World Cup?');
    await fake.replyTo(fake.sendMessage(`<@${fake.botUser.id}> How do vaccines work?`, { user: makeUser('ivo'), nick: 'Ivo', mentions: [fake.botUser] }).id);
    await slash('ask', [str('question', 'What is a good pasta recipe?')], { user: makeUser('jan'), in: 'other-guild' });

    const list = await slash('open-questions', [], { user: makeUser('kit') });
    expect(titleOf(list)).toBe('Open questions');
    const text = textOf(list);
    expect(text).toMatch(/“How do vaccines work\?” — Ivo, \d+ \w+ \d{4}\n“Who won the 2018 World Cup\?” — hal, /);
    expect(text).not.toContain('pasta');
    expect(text).not.toContain('Moscow want');
    expect(textOf(await slash('open-questions', [], { user: makeUser('lea'), in: 'other-guild' }))).toContain('pasta');
    expect(textOf(await slash('open-questions', [], { user: makeUser('lea2'), in: 'dm' }))).toMatch(/^No open questions/);

    const notAllowed = await slash('open-questions', [bool('clear', true)], { user: makeUser('max') });
    expect(titleOf(notAllowed)).toBe('Not allowed');
    expect(notAllowed.flags).toBe(EPHEMERAL);
    const cleared = await slash('open-questions', [bool('clear', true)], { user: makeUser('mod2'), permissions: MODERATOR });
    expect(textOf(cleared)).toBe('2 questions removed.');
    expect(textOf(await slash('open-questions', [], { user: makeUser('ned') }))).toMatch(/^No open questions/);
    // The other server's list is untouched.
    expect(textOf(await slash('open-questions', [], { user: makeUser('lea3'), in: 'other-guild' }))).toContain('pasta');
  });
});

// ---- isolation -------------------------------------------------------------------------

describe('servers and DMs keep to themselves', () => {
  it('notes of the test server, another server and a DM are never visible in one another', async () => {
    const oli = makeUser('oli');
    const elsewhere = await addNote({ user: oli, in: 'other-guild' }, 1, 'written in the other server');
    const inDm = await note('add', [int('paragraph', 1), str('text', 'written in a DM')], { user: oli, in: 'dm' });
    // A DM note is its author's alone anyway.
    expect(inDm.flags).toBe(EPHEMERAL);
    const here = await addNote({ user: makeUser('oli2') }, 1, 'written in the test server');

    const views: [Place, string, string[]][] = [
      [{ user: makeUser('pam') }, 'written in the test server', ['written in the other server', 'written in a DM']],
      [{ user: makeUser('pam2'), in: 'other-guild' }, 'written in the other server', ['written in the test server', 'written in a DM', 'Velayati is the key figure']],
      [{ user: oli, in: 'dm' }, 'written in a DM', ['written in the test server', 'written in the other server', 'Velayati is the key figure']],
    ];
    for (const [place, seen, unseen] of views) {
      const list = textOf(await note('list', [int('paragraph', 1)], place));
      expect(list, place.in ?? 'guild').toContain(seen);
      for (const text of unseen) expect(list, place.in ?? 'guild').not.toContain(text);
    }
    // By number too: a note of another server is not there, even for a moderator.
    expect(titleOf(await note('delete', [int('id', elsewhere)], { user: makeUser('mod3'), permissions: MODERATOR }))).toBe('No such note');
    expect(titleOf(await note('delete', [int('id', here)], { user: makeUser('mod4'), permissions: MODERATOR, in: 'other-guild' }))).toBe('No such note');
    // And in /passage's count.
    expect(textOf(await slash('passage', [int('number', 1)], { user: makeUser('pam3'), in: 'other-guild' }))).toContain('1 note on ¶1.');
    const export_ = await fake.answerTo(fake.sendSlash('note', sub('export'), { user: makeUser('pam4'), in: 'other-guild' }));
    const file = export_.calls[0]?.files[0]?.text ?? '';
    expect(file).toContain('written in the other server');
    expect(file).not.toContain('written in the test server');
  });

  it('a thread opened in a server the bot is not in fails politely; its discussion is not stored', async () => {
    const sent = fake.sendSlash('discuss', [int('paragraph', 2)], { user: makeUser('quy'), in: 'other-guild' });
    expect(titleOf(await answer(sent))).toBe('Discussion: ¶2');
    const followUp = await fake.waitForCall((call) => call.method === 'POST' && call.route === `/api/v10/webhooks/${fake.applicationId}/${sent.token}`);
    expect((followUp.body as Message).content).toMatch(/could not open a thread/);
  });
});

// ---- restarts and a damaged database ------------------------------------------------

describe('one path: what a reply asks for works from a slash command, a DM and a mention', () => {
  const mention = (text: string, user: FakeUser, channelId?: string) => fake.sendMessage(`<@${fake.botUser.id}> ${text}`, { user, mentions: [fake.botUser], ...(channelId ? { channelId } : {}) });
  const threadCalls = () => fake.calls.filter((call) => call.route.endsWith('/threads')).length;

  it('a thread: /discuss typed in a mention opens one on the reply and its questions look at ¶N first; in a DM it says threads need a server', async () => {
    const reply = await fake.replyTo(mention('/discuss paragraph:7', makeUser('mia')).id);
    const posted = reply.body as Message;
    expect(titleOf(posted)).toBe('Discussion: ¶7');
    const replyId = (reply.response as { id: string }).id;
    const create = await fake.waitForCall((call) => call.method === 'POST' && call.route === `/api/v10/channels/${fake.channelId}/messages/${replyId}/threads`, 5_000, 'the thread on the reply');
    expect(create.status).toBe(201);
    expect((create.body as { name: string }).name.startsWith(`¶7 — ${body(7).slice(0, 30)}`)).toBe(true);
    await bot.waitForLog((line) => line.msg === 'handled' && line.command === 'discuss' && line.kind === 'mention');

    // The thread has the reply's id; a question asked in it without naming a paragraph looks at ¶7 and its neighbours.
    const inside = await fake.replyTo(mention('What does Moscow want?', makeUser('mia2'), replyId).id);
    expect(inside.route).toBe(`/api/v10/channels/${replyId}/messages`);
    expect(['¶6', '¶7', '¶8']).toContain(embedOf(inside.body as Message).fields?.[0]?.name.split(' · ')[0]);

    const before = threadCalls();
    const dm = await fake.replyTo(fake.sendMessage('/discuss paragraph:7', { user: makeUser('mia3'), in: 'dm' }).id);
    expect(titleOf(dm.body as Message)).toBe('Discussions need a server');
    expect(threadCalls()).toBe(before);
  });

  it('a file: /note export from a DM attaches the Markdown file; from a mention in a server, a private answer says where to ask instead', async () => {
    const una = makeUser('una');
    await seed([{ scope: `dm:${una.id}`, paragraph: 2, authorId: una.id, authorName: 'una', text: 'A note of my own', private: false }]);
    const dm = await fake.replyTo(fake.sendMessage('/note export', { user: una, in: 'dm' }).id);
    expect(titleOf(dm.body as Message)).toBe('Notes exported');
    expect(dm.files.map((file) => file.name)).toEqual([`notes-${ARTICLE}.md`]);
    expect(dm.files[0]?.text).toContain('A note of my own');

    const inServer = await fake.replyTo(mention('/note export', makeUser('una2')).id);
    expect(textOf(inServer.body as Message)).toMatch(/private: ask me in a direct message/);
    expect(inServer.files).toEqual([]);
  });

  it("the modal's fallback: /note add without text opens a modal from a slash command, and says how to type the note from a DM or a mention", async () => {
    const opened = await fake.answerTo(fake.sendSlash('note', sub('add', [int('paragraph', 3)]), { user: makeUser('val') }));
    expect(opened.type).toBe(9);
    const usage = 'Type the note: /note add paragraph:3 text:<your note>';
    const dm = await fake.replyTo(fake.sendMessage('/note add paragraph:3', { user: makeUser('val2'), in: 'dm' }).id);
    expect((dm.body as Message).content).toBe(usage);
    const inServer = await fake.replyTo(mention('/note add paragraph:3', makeUser('val3')).id);
    expect((inServer.body as Message).content).toBe(usage);
  });
});

describe('the database across processes', () => {
  it('a note acknowledged just before SIGKILL is there after a restart, and so is the discussion thread', async () => {
    const sam = makeUser('sam');
    const id = await addNote({ user: sam }, 6, 'written just before the crash');
    const threadsBefore = fake.threadsIn();
    const discussion = threadsBefore.find((thread) => String(thread.name).startsWith('¶10 — '));
    expect(discussion).toBeDefined();

    const exited = new Promise((resolve) => bot.child.once('exit', (_code, signal) => resolve(signal)));
    bot.child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    bot = await BotProcess.start(fake, { DATA_DIR: dataDir });

    const list = await note('list', [int('paragraph', 6)], { user: makeUser('tia') });
    expect(textOf(list)).toContain(`#${id} · ¶6 · sam`);
    expect(textOf(list)).toContain('written just before the crash');
    const inside = await fake.replyTo(fake.sendMessage(`<@${fake.botUser.id}> What does Moscow want?`, { user: makeUser('tia2'), channelId: discussion?.id as string, mentions: [fake.botUser] }).id);
    expect(['¶9', '¶10', '¶11']).toContain(embedOf(inside.body as Message).fields?.[0]?.name.split(' · ')[0]);
    // Numbering goes on after the restart: no id is reused.
    expect(await addNote({ user: sam }, 6, 'after the restart')).toBeGreaterThan(id);
  });

  it('a corrupt database file: the bot exits 1 with one line naming the file, and leaves the file as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'footnote-corrupt-'));
    scratch.push(dir);
    const file = databaseFile(dir);
    const garbage = randomBytes(64 * 1024);
    writeFileSync(file, garbage);

    const { child } = spawnBot(fake, { env: { DATA_DIR: dir } });
    const { code, stderr } = await runToExit(child);
    expect(code).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^Footnote cannot start\. /);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toMatch(/damaged or not a database/);
    expect(lines[0]).toMatch(/backup/);
    expect(readFileSync(file).equals(garbage)).toBe(true);
    expect(readdirSync(dir)).toEqual(['footnote.db']);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});

// ---- over the whole run --------------------------------------------------------------

describe('what the bot sent, over the whole run', () => {
  it('every message, edit, follow-up and reply pinged no one', () => {
    const sent = fake.sentMessages();
    expect(sent.length).toBeGreaterThan(60);
    for (const { call, message } of sent) {
      const where = `${call.method} ${call.route}: ${JSON.stringify(message).slice(0, 200)}`;
      const allowed = (message as Message).allowed_mentions;
      expect(allowed?.parse, where).toEqual([]);
      expect(allowed?.users, where).toBeUndefined();
      if (/\/channels\/\d+\/messages$/.test(call.route)) expect(allowed?.replied_user, where).toBe(false);
    }
  });

  it('every message respected Discord limits, and Discord refused only the threads it was meant to', () => {
    for (const { call, message } of fake.sentMessages()) {
      const m = message as Message;
      const where = `${call.method} ${call.route}`;
      expect(m.content?.length ?? 0, where).toBeLessThanOrEqual(2_000);
      expect((m.embeds ?? []).length, where).toBeLessThanOrEqual(10);
      for (const embed of m.embeds ?? []) {
        const total = (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0);
        expect(total, where).toBeLessThanOrEqual(6_000);
        expect(embed.title?.length ?? 0, where).toBeLessThanOrEqual(256);
        expect(embed.description?.length ?? 0, where).toBeLessThanOrEqual(4_096);
        expect((embed.fields ?? []).length, where).toBeLessThanOrEqual(25);
        for (const field of embed.fields ?? []) {
          expect(field.name.length, where).toBeLessThanOrEqual(256);
          expect(field.value.length, where).toBeLessThanOrEqual(1_024);
        }
        expect(embed.footer?.text.length ?? 0, where).toBeLessThanOrEqual(2_048);
      }
      expect((m.components ?? []).length, where).toBeLessThanOrEqual(5);
      for (const row of m.components ?? []) {
        expect(row.components.length, where).toBeLessThanOrEqual(5);
        for (const b of row.components) {
          expect(b.custom_id.length, where).toBeLessThanOrEqual(100);
          expect(b.label.length, where).toBeLessThanOrEqual(80);
        }
      }
    }
    const threads = fake.calls.filter((call) => call.route.endsWith('/threads'));
    for (const call of threads) expect((call.body as { name: string }).name.length).toBeLessThanOrEqual(100);
    // The denied channel (50013) and the server the bot is not in (50001); nothing else.
    expect(fake.refusedCalls().map((call) => `${call.method} ${call.route.replace(/\d+/g, 'N')} ${call.status}`)).toEqual([
      'POST /api/vN/channels/N/messages/N/threads 403',
      'POST /api/vN/channels/N/messages/N/threads 403',
    ]);
  });

  it('no handler failed, and nothing a user wrote reached the log', () => {
    expect(bot.logs.filter((line) => line.msg === 'command handler failed')).toEqual([]);
    expect(bot.output).not.toMatch(/UnhandledPromiseRejection|Uncaught/i);
    for (const text of ['written just before the crash', 'after the restart']) expect(bot.output).not.toContain(text);
  });
});
