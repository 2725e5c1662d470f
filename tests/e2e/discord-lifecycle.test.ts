/**
 * Starting and stopping the real entry point on Discord: SIGINT stops it
 * cleanly, and a rejected token ends it with one clear line and no secret.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BotProcess, fakeToken } from '../support/bot-process.ts';
import { FakeDiscord, makeUser } from '../support/fake-discord.ts';
import { runScript } from '../support/run.ts';

let fake: FakeDiscord | undefined;
let bot: BotProcess | undefined;

afterEach(async () => {
  bot?.kill();
  await fake?.close();
});

describe('the bot process', () => {
  it('SIGINT (Ctrl-C): disconnects and exits 0 within 2 s', async () => {
    fake = await FakeDiscord.start();
    bot = await BotProcess.start(fake);
    // Serving, then stopped mid-session.
    const answered = await fake.answerTo(fake.sendSlash('help', [], { user: makeUser('ana') }));
    expect(answered.type).toBe(4);
    const { code, ms } = await bot.signal('SIGINT');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(2_000);
    expect(bot.logs.map((line) => line.msg)).toEqual(expect.arrayContaining(['stopping', 'stopped']));
  });

  it('exits 1 with a clear log line, and without the token, when Discord rejects the token', async () => {
    fake = await FakeDiscord.start();
    fake.failRoute(/^GET \/api\/v10\/gateway\/bot$/, 401, 5);
    const token = fakeToken();
    const { code, stdout, stderr } = await runScript('src/main.ts', [], {
      env: { DISCORD_TOKEN: token, DISCORD_CLIENT_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: '', LOG_LEVEL: 'info' },
    });
    expect(code).toBe(1);
    const fatal = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message: string } })
      .find((line) => line.level === 60);
    expect(fatal?.msg).toBe('could not connect to Discord');
    expect(fatal?.err?.message).toMatch(/invalid token/i);
    expect(stdout + stderr).not.toContain(token);
    expect(fake.identifies).toBe(0);
  });
});
