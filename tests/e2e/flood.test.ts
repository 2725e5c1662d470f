/**
 * One member's flood: 8,000 /note add in 0.8 s from one user while 40 others
 * ask a question each. The member is answered a few times and then dropped
 * unanswered (no reply built, no REST call, no log line each); everyone else
 * is answered; memory does not climb with the flood. `npm run soak` runs the
 * 20,000 of the issue and reads memory 60 s after.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { flood } from '../../bench/soak-load.ts';
import { BotProcess } from '../support/bot-process.ts';
import { FakeDiscord } from '../support/fake-discord.ts';

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

it('answers the flooder a few times, drops the rest, serves everyone else, and keeps memory flat', async () => {
  const figures = await flood(fake, { pid: bot.child.pid as number, logLines: () => bot.logs.length }, 8_000, 800, 40, 2_000);
  // 5 allowed in the window, then "slow down" three times; the other 7,992 are dropped.
  expect(figures.floodAnswered).toBe(5);
  expect(figures.floodNotices).toBe(3);
  expect(figures.floodDropped).toBe(7_992);
  expect(figures.othersAnswered).toBe(figures.othersSent);
  // One line per answered event, none per dropped one.
  expect(figures.logLines).toBeLessThan(100);
  // Before, each refusal held a reply and its REST call: RSS climbed by hundreds of MB (1,054 MB at 20,000).
  expect(figures.rssPeakMb - figures.rssBeforeMb).toBeLessThan(200);
  expect(bot.running).toBe(true);
}, 120_000);
