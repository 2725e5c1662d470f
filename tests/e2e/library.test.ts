/**
 * A server's library end to end: the real bot process (SQLite in a fresh
 * folder) against the fake Discord, with documents served on 127.0.0.1. An
 * admin adds a web page by URL and a Word file by attachment; /ask article:
 * cites them; /text use makes one the default; a member without Manage Server
 * is refused; another server and a DM see none of it; a restart keeps it;
 * private addresses (directly or through a redirect) are refused with no
 * request reaching them; removing asks first and takes the notes with it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess } from '../support/bot-process.ts';
import { docxOf, newsPage, type SourceText } from '../support/documents.ts';
import { FakeDiscord, makeUser, MEMBER_PERMISSIONS, PERMISSIONS, type CommandOptionValue, type Place, type UploadedAttachment } from '../support/fake-discord.ts';

interface Message {
  content?: string;
  embeds?: { title?: string; description?: string; footer?: { text: string }; fields?: { name: string; value: string }[] }[];
  components?: { components: { custom_id: string; label: string }[] }[];
  flags?: number;
}

const BEES: SourceText = {
  title: 'How Bees Make Honey',
  author: 'Dana Reyes',
  paragraphs: [
    'Forager bees leave the hive at dawn and visit hundreds of flowers on a single trip, sipping nectar with their long tongues and storing it in a special honey stomach.',
    'Back at the hive, the foragers pass the nectar mouth to mouth to house bees, whose enzymes begin to break its sugars down into simpler ones.',
    'The house bees spread the nectar thinly over the wax cells and fan it with their wings until most of its water evaporates and it thickens into honey.',
    'When the honey is ripe, the bees seal each cell with a cap of fresh wax, which keeps the honey clean and dry through the winter.',
    'A strong colony can store more than twenty kilograms of surplus honey in a good summer, which is the share beekeepers harvest.',
  ],
};

const GLACIERS: SourceText = {
  title: 'Why Glaciers Move',
  author: 'Ola Nordmann',
  paragraphs: [
    'A glacier forms where more snow falls each winter than melts each summer, so that the snow packs down year after year into dense blue ice.',
    'Under its own enormous weight the ice deforms like a very slow liquid, and the glacier creeps downhill a few centimetres to several metres a day.',
    'Meltwater at the bed lubricates the ice, which is why many glaciers slide fastest in early summer.',
  ],
};

const EPHEMERAL = 64;
const ADMIN = MEMBER_PERMISSIONS | PERMISSIONS.ManageGuild;

let fake: FakeDiscord;
let bot: BotProcess;
let dataDir: string;
let documents: Server;
let privateListener: Server;
const privateRequests: string[] = [];
const servedRequests: string[] = [];

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
}

let docsPort = 0;
let privatePort = 0;
const docsUrl = (path: string) => `http://127.0.0.1:${docsPort}${path}`;

beforeAll(async () => {
  documents = createServer((request: IncomingMessage, response: ServerResponse) => {
    servedRequests.push(request.url ?? '');
    if (request.url === '/bees.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(newsPage(BEES));
    } else if (request.url === '/to-private') {
      response.writeHead(302, { location: `http://127.0.0.2:${privatePort}/secret` });
      response.end();
    } else {
      response.writeHead(404).end();
    }
  });
  docsPort = await listen(documents, '127.0.0.1');
  // 127.0.0.2 is loopback too, and not named in IMPORT_ALLOW_HOSTS: nothing may reach it.
  privateListener = createServer((request, response) => {
    privateRequests.push(request.url ?? '');
    response.end('secret');
  });
  privatePort = await listen(privateListener, '127.0.0.2');
  fake = await FakeDiscord.start();
  dataDir = mkdtempSync(join(tmpdir(), 'footnote-library-e2e-'));
  bot = await BotProcess.start(fake, { DATA_DIR: dataDir, IMPORT_ALLOW_HOSTS: '127.0.0.1' });
}, 30_000);

afterAll(async () => {
  bot?.kill();
  await fake?.close();
  documents?.close();
  privateListener?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const str = (name: string, value: string): CommandOptionValue => ({ name, type: 3, value });
const sub = (name: string, options: CommandOptionValue[] = []) => [{ name, type: 1, options }] as unknown as CommandOptionValue[];

async function slash(name: string, options: CommandOptionValue[], place: Place, attachments: UploadedAttachment[] = []): Promise<Message> {
  return (await fake.answerTo(fake.sendSlash(name, options, place, [], attachments), 20_000)).data as Message;
}

const text = (message: Message) => `${message.embeds?.[0]?.title ?? ''}\n${message.embeds?.[0]?.description ?? message.content ?? ''}`;
const footer = (message: Message) => message.embeds?.[0]?.footer?.text ?? '';
const admin = (name: string): Place => ({ user: makeUser(name), permissions: ADMIN });

describe('a server’s library through Discord', () => {
  it('refuses a member without Manage Server, and fetches nothing for them', async () => {
    const reply = await slash('text', sub('add', [str('url', docsUrl('/bees.html'))]), { user: makeUser('mia') });
    expect(text(reply)).toMatch(/Manage Server needed/);
    expect(reply.flags ?? 0).toBe(EPHEMERAL);
    expect(servedRequests).toEqual([]);
  });

  it('adds a web page by URL and answers from it with article:, quoting it verbatim with ¶ numbers', async () => {
    const added = await slash('text', sub('add', [str('url', docsUrl('/bees.html'))]), admin('ada'));
    expect(text(added), text(added)).toMatch(/Text added[\s\S]*How Bees Make Honey” by Dana Reyes[\s\S]*“how-bees-make-honey”: 5 paragraphs/);
    const answer = await slash('ask', [str('question', 'How do bees thicken nectar into honey?'), str('article', 'how-bees-make-honey')], { user: makeUser('ben') });
    expect(text(answer)).toContain(BEES.paragraphs[2]);
    expect(text(answer)).toContain('(¶3)');
    expect(footer(answer)).toContain('How Bees Make Honey');
  });

  it('adds a Word file by attachment, from the interaction’s own attachment URL', async () => {
    const file = fake.uploadAttachment('glaciers.docx', await docxOf(GLACIERS), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const added = await slash('text', sub('add', [{ name: 'file', type: 11, value: file.id }]), admin('ada'), [file]);
    expect(text(added), text(added)).toMatch(/“Why Glaciers Move” by Ola Nordmann is in the library as “why-glaciers-move”: 3 paragraphs/);
    const answer = await slash('ask', [str('question', 'Why do glaciers slide fastest in early summer?'), str('article', 'why-glaciers-move')], { user: makeUser('cy') });
    expect(text(answer)).toContain('(¶3)');
  });

  it('makes a text the server’s default: plain questions, /passage and /outline read it', async () => {
    expect(text(await slash('text', sub('use', [str('name', 'how-bees-make-honey')]), { user: makeUser('mia') }))).toMatch(/Manage Server needed/);
    expect(text(await slash('text', sub('use', [str('name', 'how-bees-make-honey')]), admin('ada')))).toMatch(/Text chosen/);
    const answer = await slash('ask', [str('question', 'What do bees seal the cells with?')], { user: makeUser('dee') });
    expect(text(answer)).toContain('(¶4)');
    const passage = await slash('passage', [{ name: 'number', type: 4, value: 1 }], { user: makeUser('eve') });
    expect(text(passage)).toContain(BEES.paragraphs[0]);
    const found = (await fake.answerTo(fake.sendMessageCommand('Find in article', { content: 'bees fan the nectar with their wings', author: makeUser('zed') }, { user: makeUser('eve') }))).data as Message;
    expect(text(found)).toContain('(¶3)');
    const list = await slash('text', sub('list'), { user: makeUser('eve') });
    expect(text(list)).toMatch(/How Bees Make Honey” by Dana Reyes: 5 paragraphs, added .* \(how-bees-make-honey\) — read by default/);
  });

  it('offers the server’s texts and the built-in ones in autocomplete', async () => {
    const choices = (await fake.answerTo(fake.sendAutocomplete('ask', [str('question', 'x'), { name: 'article', type: 3, value: 'gla', focused: true }], { user: makeUser('fay') }))).data as {
      choices: { name: string; value: string }[];
    };
    expect(choices.choices).toEqual([{ name: 'Why Glaciers Move', value: 'why-glaciers-move' }]);
  });

  it('shows another server and DMs none of it', async () => {
    const other = fake.addGuild();
    const there: Place = { user: makeUser('gus'), channelId: other.channelId, permissions: ADMIN };
    expect(text(await slash('text', sub('list'), there))).not.toContain('Bees');
    expect(text(await slash('ask', [str('question', 'How do bees make honey?'), str('article', 'how-bees-make-honey')], there))).toMatch(/No such text/);
    const dm: Place = { user: makeUser('hal'), in: 'dm' };
    expect(text(await slash('text', sub('add', [str('url', docsUrl('/bees.html'))]), dm))).toMatch(/Texts belong to a server/);
    expect(footer(await slash('ask', [str('question', 'Why are Russia and Iran not allies?')], dm))).toContain('Troubled Ties');
  });

  it('refuses private addresses, directly and through a redirect, and nothing reaches them', async () => {
    const direct = await slash('text', sub('add', [str('url', `http://127.0.0.2:${privatePort}/secret`)]), admin('ada'));
    expect(text(direct)).toMatch(/Could not import that[\s\S]*127\.0\.0\.2 is a private or local address/);
    const redirected = await slash('text', sub('add', [str('url', docsUrl('/to-private'))]), admin('ada'));
    expect(text(redirected)).toMatch(/127\.0\.0\.2 is a private or local address/);
    expect(text(await slash('text', sub('add', [str('url', 'file:///etc/passwd')]), admin('ada')))).toMatch(/Only http:\/\/ and https:\/\//);
    expect(privateRequests).toEqual([]);
  });

  it('keeps the library and the default through a restart after SIGKILL', async () => {
    const exited = new Promise((resolve) => bot.child.once('exit', (_code, signal) => resolve(signal)));
    bot.child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    bot = await BotProcess.start(fake, { DATA_DIR: dataDir, IMPORT_ALLOW_HOSTS: '127.0.0.1' });
    const answer = await slash('ask', [str('question', 'How much honey can a strong colony store?')], { user: makeUser('ivy') });
    expect(text(answer)).toContain('(¶5)');
    expect(footer(answer)).toContain('How Bees Make Honey');
  });

  it('asks before removing a text, says what goes with it, and removes it with its notes', async () => {
    await slash('note', sub('add', [{ name: 'paragraph', type: 4, value: 2 }, str('text', 'Enzymes!'), str('article', 'why-glaciers-move')]), { user: makeUser('jo') });
    const asked = await slash('text', sub('remove', [str('name', 'why-glaciers-move')]), admin('ada'));
    expect(text(asked)).toMatch(/Remove this text\?[\s\S]*“Why Glaciers Move” by Ola Nordmann goes with its 1 note, 0 quizzes/);
    const confirm = asked.components?.[0]?.components.find((button) => button.label === 'Remove it');
    expect(confirm).toBeDefined();
    expect(text((await fake.answerTo(fake.sendButton(confirm?.custom_id ?? '', { user: makeUser('mia') }))).data as Message)).toMatch(/Manage Server needed/);
    const done = (await fake.answerTo(fake.sendButton(confirm?.custom_id ?? '', admin('ada')))).data as Message;
    expect(text(done)).toMatch(/“why-glaciers-move” is gone, with its 1 note, 0 quizzes/);
    expect(text(await slash('ask', [str('question', 'Why do glaciers move?'), str('article', 'why-glaciers-move')], { user: makeUser('kim') }))).toMatch(/No such text/);
  });
});
