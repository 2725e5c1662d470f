/**
 * The extension point: a command in one file (tests/fixtures/extra-commands/tally.ts)
 * with its own button and a store-backed counter, loaded through EXTRA_COMMANDS_DIR
 * and driven end to end through the fake Discord and through the terminal chat.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/app.ts';
import { BotProcess } from '../support/bot-process.ts';
import { FakeDiscord, makeUser } from '../support/fake-discord.ts';
import { runScript } from '../support/run.ts';

const EXTRA = join(ROOT, 'tests', 'fixtures', 'extra-commands');

interface Message {
  embeds?: { title?: string; description?: string }[];
  components?: { components: { custom_id: string; label: string }[] }[];
  allowed_mentions?: unknown;
}

const titleOf = (message: Message) => message.embeds?.[0]?.title;
const buttonOf = (message: Message) => message.components?.[0]?.components[0];

describe('a command with its own button and a store-backed counter', () => {
  let fake: FakeDiscord;
  let bot: BotProcess;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    bot = await BotProcess.start(fake, { EXTRA_COMMANDS_DIR: EXTRA });
  }, 30_000);

  afterAll(async () => {
    bot?.kill();
    await fake?.close();
  });

  it('counts per server through its button, updating the message, and keeps servers apart', async () => {
    const ada = makeUser('ada');
    const first = await fake.answerTo(fake.sendSlash('tally', [], { user: ada }));
    expect(first.type).toBe(4);
    const shown = first.data as Message;
    expect(titleOf(shown)).toBe('Tally: 0');
    expect(shown.allowed_mentions).toEqual({ parse: [] });
    const button = buttonOf(shown);
    expect(button).toMatchObject({ label: 'Add 1', custom_id: 'fn1:tly:1' });

    const clicked = await fake.answerTo(fake.sendButton(button?.custom_id as string, { user: makeUser('bo') }));
    expect(clicked.type).toBe(7);
    expect(titleOf(clicked.data as Message)).toBe('Tally: 1');
    const again = await fake.answerTo(fake.sendButton(button?.custom_id as string, { user: makeUser('cy') }));
    expect(titleOf(again.data as Message)).toBe('Tally: 2');

    // Another server has its own tally, and so does a DM.
    const elsewhere = await fake.answerTo(fake.sendSlash('tally', [], { user: makeUser('di'), in: 'other-guild' }));
    expect(titleOf(elsewhere.data as Message)).toBe('Tally: 0');
    const dm = await fake.answerTo(fake.sendSlash('tally', [], { user: makeUser('ed'), in: 'dm' }));
    expect(titleOf(dm.data as Message)).toBe('Tally: 0');
    expect(titleOf((await fake.answerTo(fake.sendSlash('tally', [], { user: makeUser('fi') }))).data as Message)).toBe('Tally: 2');
  });

  it('answers a forged or outdated button of its kind with a clear private message', async () => {
    for (const id of ['fn1:tly:0', 'fn2:tly:1', 'fn1:tly:12']) {
      const answer = await fake.answerTo(fake.sendButton(id, { user: makeUser(`x${id.length}${id.at(-1)}`) }));
      expect(answer.type).toBe(4);
      expect((answer.data as { flags?: number }).flags).toBe(64);
      expect((answer.data as { content?: string }).content).toMatch(/out of date/);
    }
  });
});

describe('the same command in the terminal chat', () => {
  it('shows the tally, offers the button as /press, and counts each press', async () => {
    const { code, stdout } = await runScript('src/main.ts', [], { input: '/tally\n/press 1\n/press 1\n/press 2\n', env: { EXTRA_COMMANDS_DIR: EXTRA } });
    expect(code).toBe(0);
    expect(stdout).toContain('Tally: 0');
    expect(stdout).toContain('Next: /press 1 for Add 1');
    expect(stdout).toContain('Tally: 1');
    expect(stdout).toContain('you added one.');
    expect(stdout).toContain('Tally: 2');
    expect(stdout).toContain('The last reply has no button 2.');
  });
});
