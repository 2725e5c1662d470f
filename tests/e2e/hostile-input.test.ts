/**
 * Hostile input, end to end: forged options, user text echoed back on
 * Discord, and what the CLI and the terminal chat do with huge lines, closed
 * pipes and terminal escape sequences.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LINE_CHARS } from '../../src/cli/ask.ts';
import { ROOT } from '../support/app.ts';
import { BotProcess } from '../support/bot-process.ts';
import { FakeDiscord, makeUser, snowflake } from '../support/fake-discord.ts';
import { runScript } from '../support/run.ts';

const MENTION = '<@123456789012345678>';
const ROLE = '<@&123456789012345678>';
const HOSTILE = `x ${MENTION} ${ROLE} \u202Eevil\u202C zero\u200Bwidth 👩\u200D💻\n-# tiny\n# big`;

interface Message {
  content?: string;
  embeds?: { title?: string; description?: string }[];
  allowed_mentions?: { parse?: string[]; users?: string[] };
  flags?: number;
}

/** Every text the user would see in a message. */
function shown(message: Message): string {
  return [message.content ?? '', ...(message.embeds ?? []).flatMap((embed) => [embed.title ?? '', embed.description ?? ''])].join('\n');
}

/** Escaped as Discord reads it: no live mention, no direction override, no invisible character, no subtext or heading line. */
function expectInert(text: string): void {
  expect(text).not.toMatch(/(^|[^\\])<@/);
  expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B\u200C\uFEFF]/);
  expect(text).not.toMatch(/^\s*(-#|#) /m);
  // The joiner inside the emoji sequence is kept, so it still shows as one emoji.
  expect(text).toContain('👩\u200D💻');
}

describe('on Discord', () => {
  let fake: FakeDiscord;
  let bot: BotProcess;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    bot = await BotProcess.start(fake);
  }, 30_000);

  afterAll(async () => {
    bot?.kill();
    await fake?.close();
  });

  it('a forged to: option (not a user id) gets a clear refusal that echoes nothing and pings no one', async () => {
    const forged = `1> @everyone ${ROLE}`;
    const { data } = await fake.answerTo(fake.sendSlash('ask', [{ name: 'question', type: 3, value: 'Who is Velayati?' }, { name: 'to', type: 6, value: forged }], { user: makeUser('forger') }));
    const message = data as Message;
    expect(message.content).toBe('The “to” option must be a member of this server.');
    expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(message.flags).toBe(64);
    expect(JSON.stringify(message)).not.toContain('@everyone');
  });

  it('/passage article: echoes the name escaped, without bidi or zero-width characters', async () => {
    const { data } = await fake.answerTo(fake.sendSlash('passage', [{ name: 'number', type: 4, value: 3 }, { name: 'article', type: 3, value: HOSTILE }], { user: makeUser('reader') }));
    const text = shown(data as Message);
    expect(text).toContain('\\<@123456789012345678>');
    expect(text).toContain('\\<@&123456789012345678>');
    expectInert(text);
    expect((data as Message).allowed_mentions).toEqual({ parse: [] });
  });

  it('"Find in article" quotes the selected message in its title, escaped the same way', async () => {
    const { data } = await fake.answerTo(fake.sendMessageCommand('Find in article', { content: HOSTILE.replace('\n', ' '), author: makeUser('poster') }, { user: makeUser('finder') }));
    const message = data as Message;
    const title = message.embeds?.[0]?.title ?? '';
    expect(title).toMatch(/^Find in article: “x \\<@123456789012345678>/);
    expectInert(`${title}\n${shown(message)}`);
  });

  it('a direct message without text (content null) gets the short help, and nothing is logged as an error', async () => {
    const user = makeUser('silent');
    await fake.replyTo(fake.sendMessage('hello', { user, in: 'dm' }).id);
    const before = bot.logs.length;
    const id = snowflake();
    const channel = fake.dmChannels.get(user.id) as string;
    fake.dispatch('MESSAGE_CREATE', { id, type: 0, channel_id: channel, author: user, content: null, timestamp: new Date().toISOString(), edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], embeds: [], components: [], pinned: false, flags: 0, channel_type: 1 });
    const reply = (await fake.replyTo(id)).body as Message;
    expect(reply.embeds?.[0]?.title).toBe('Footnote');
    const handled = await bot.waitForLog((line) => line.msg === 'handled' && line.kind === 'dm' && line.command === 'help');
    expect(handled.outcome).toBe('answered');
    expect(bot.logs.slice(before).filter((line) => line.level >= 50)).toEqual([]);
  });

  it('a button without a custom_id is told it is not Footnote’s, with no error logged', async () => {
    const before = bot.logs.length;
    const message = fake.messagesIn(fake.channelId).at(-1);
    const sent = (fake as unknown as { sendInteraction(type: number, data: unknown, place: unknown, extra: unknown): { id: string; token: string; createdAt: number; channelId: string } }).sendInteraction(
      3,
      { component_type: 2 },
      { user: makeUser('clicker') },
      { message: message ?? { id: snowflake(), channel_id: fake.channelId } },
    );
    const { data } = await fake.answerTo(sent);
    expect((data as Message).content).toMatch(/out of date or was not made by Footnote/);
    await bot.waitForLog((line) => line.msg === 'handled' && line.outcome === 'invalid-button' && bot.logs.indexOf(line) >= before);
    expect(bot.logs.slice(before).filter((line) => line.level >= 50)).toEqual([]);
  });
});

describe('the CLI (npm run ask)', () => {
  it('reads a 100 MB line without holding it: memory stays small, the question is cut, the next line is answered', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/ask.ts', '--json'], {
      cwd: ROOT,
      env: { ...process.env, DISCORD_TOKEN: undefined, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    let peakKb = 0;
    const sampler = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {
        // The process has exited.
      }
    }, 50);
    const chunk = Buffer.alloc(1 << 20, 'a');
    for (let sent = 0; sent < 100; sent++) {
      if (!child.stdin.write(chunk)) await once(child.stdin, 'drain');
    }
    child.stdin.end('\nWho is Velayati?\n');
    const [code] = (await once(child, 'exit')) as [number];
    clearInterval(sampler);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { question: string; answered: boolean });
    expect(lines).toHaveLength(2);
    expect(lines[0]?.question.length).toBe(MAX_LINE_CHARS);
    expect(lines[1]).toMatchObject({ question: 'Who is Velayati?', answered: true });
    // The app itself is about 150 MB; holding the line would add hundreds more.
    expect(peakKb / 1024).toBeLessThan(400);
  }, 60_000);

  it('`| head -1`: exits quietly (0, nothing on stderr) when the reader closes the pipe', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/ask.ts', '--json'], { cwd: ROOT, env: { ...process.env, DISCORD_TOKEN: undefined }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(`${Array.from({ length: 200 }, () => 'Who is Velayati?').join('\n')}\n`);
    const [first] = (await once(child.stdout, 'data')) as [Buffer];
    expect(first.toString()).toMatch(/^\{"question":"Who is Velayati\?"/);
    child.stdout.destroy();
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    expect(stderr).toBe('');
  }, 30_000);

  it('pairs outputs with inputs: an empty line is a not-a-question object, /passage 9 runs the command', async () => {
    const { code, stdout } = await runScript('src/cli/ask.ts', ['--json'], { input: '\n/passage 9\n/nope\nWhat is the vile nature of the Erdogan regime?\n' });
    expect(code).toBe(0);
    const [empty, passage, unknown, comment] = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(empty).toEqual({ question: '', answered: false, error: 'empty question', answer: [], passages: [] });
    expect(passage).toMatchObject({ question: '/passage 9', answered: true, answer: [], passages: [{ paragraph: 9, label: '¶9', role: 'body' }] });
    expect(unknown).toMatchObject({ question: '/nope', answered: false, error: expect.stringContaining('Unknown command /nope') as unknown });
    // A reader comment is not body ¶1: its label is its citation.
    const answer = (comment?.answer as { paragraph: number | null; label: string; role: string }[])[0];
    expect(answer).toMatchObject({ paragraph: null, label: 'reader comment 1', role: 'comment' });
  });

  it('strips terminal escape sequences from what it echoes, in the CLI and in the chat', async () => {
    const question = 'Who is \u001b]0;pwned\u0007Velayati\u001b[2J?';
    const cli = await runScript('src/cli/ask.ts', [question]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('Velayati');
    expect(cli.stdout.includes('\u001b') || cli.stdout.includes('\u0007')).toBe(false);
    const chat = await runScript('src/main.ts', [], { input: `${question}\n` });
    expect(chat.code).toBe(0);
    expect(chat.stdout).toContain('Velayati');
    expect(chat.stdout.includes('\u001b') || chat.stdout.includes('\u0007')).toBe(false);
  });
});
