/**
 * Overload, end to end: the real bot against the fake Discord, which refuses
 * a first response more than 3 s after the interaction (10062) as Discord
 * does. A burst is acknowledged as it arrives and answered in arrival order;
 * deferred answers ready at once are edited at once, not at the 50 requests/s
 * of the bot's global rate limit. One member's flood is answered a few times
 * and then dropped, while everyone else is served. These load tests share one
 * file so they run one after another, and `npm test` runs this file alone
 * before all the others: on a 2-core machine, test files beside it, or the
 * processes they leave winding down, made the ordering and timing it measures
 * theirs.
 * `npm run soak` runs the bigger versions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess } from '../support/bot-process.ts';
import { FakeDiscord, makeUser } from '../support/fake-discord.ts';
import { burst, flood } from '../../bench/soak-load.ts';
import { FateTracker } from '../../bench/soak-tracker.ts';

let fake: FakeDiscord;
let bot: BotProcess;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  bot = await BotProcess.start(fake, { FOOTNOTE_FAULTS: 'slow=SNAIL' });
}, 30_000);

afterAll(async () => {
  bot?.kill();
  await fake?.close();
});

const QUESTIONS = ['Why are Russia and Iran not allies?', 'Who is Velayati?', 'Why did Iran refuse the oil freeze?', 'Is Tehran buying more arms from Russia?'];

describe('a burst of 3,000 interactions in 0.3 s', () => {
  it('acknowledges at least 99 % within 3 s, then answers every one of those in arrival order within 60 s', async () => {
    const figures = await burst(fake, QUESTIONS, 3_000, 300, 60_000);
    expect(figures.acked / figures.sent).toBeGreaterThanOrEqual(0.99);
    expect(figures.answered + figures.apologised).toBe(figures.acked);
    expect(figures.silent).toBe(0);
    expect(figures.outOfOrder / figures.sent).toBeLessThan(0.05);
    expect(fake.refusedCalls().filter((call) => (call.response as { code?: number }).code === 40060)).toEqual([]);
    expect(bot.running).toBe(true);
  }, 120_000);
});

describe('follow-ups are not held to the bot’s global rate limit', () => {
  // The spread includes sending the 250 one after another and their 1.5 s handlers on a shared machine: 1.9 s was
  // seen in a CI run beside other test files (119 ms alone). The global bucket's 50/s would take 5 s.
  it('250 deferred answers ready together are all edited in within 3.5 s (50/s would take 5 s)', async () => {
    const tracker = new FateTracker(fake);
    for (let i = 0; i < 250; i++) void tracker.track(fake.sendSlash('ask', [{ name: 'question', type: 3, value: `SNAIL Who is Velayati? ${i}` }], { user: makeUser(`edits${i}`) }));
    await tracker.settle(30_000);
    await tracker.stop();
    const edits = tracker.fates.filter((fate) => fate.ackType === 5 && fate.final === 'answer').map((fate) => fate.sent.createdAt + (fate.finalMs as number));
    // Should one go missing, its fate (acknowledged or not, refused calls, how it ended) and the bot's last lines say why.
    const missing = tracker.fates.filter((fate) => !(fate.ackType === 5 && fate.final === 'answer')).map(({ sent, ...fate }) => ({ id: sent.id, ...fate }));
    expect(edits, JSON.stringify({ missing, refused: fake.refusedCalls().slice(-5), bot: bot.logs.slice(-8) })).toHaveLength(250);
    expect(Math.max(...edits) - Math.min(...edits)).toBeLessThan(3_500);
  }, 60_000);
});

describe('one member’s flood: 8,000 /note add in 0.8 s while 40 others ask', () => {
  let floodFake: FakeDiscord;
  let floodBot: BotProcess;

  beforeAll(async () => {
    floodFake = await FakeDiscord.start();
    floodBot = await BotProcess.start(floodFake);
  }, 30_000);

  afterAll(async () => {
    floodBot?.kill();
    await floodFake?.close();
  });

  it('answers the flooder a few times, drops the rest, serves everyone else, and keeps memory flat', async () => {
    const figures = await flood(floodFake, { pid: floodBot.child.pid as number, logLines: () => floodBot.logs.length }, 8_000, 800, 40, 2_000);
    // 5 allowed in the window, then "slow down" three times; the other 7,992 are dropped.
    expect(figures.floodAnswered).toBe(5);
    expect(figures.floodNotices).toBe(3);
    expect(figures.floodDropped).toBe(7_992);
    expect(figures.othersAnswered).toBe(figures.othersSent);
    // One line per answered event, none per dropped one.
    expect(figures.logLines).toBeLessThan(100);
    // Before, each refusal held a reply and its REST call: RSS climbed by hundreds of MB (1,054 MB at 20,000).
    expect(figures.rssPeakMb - figures.rssBeforeMb).toBeLessThan(200);
    expect(floodBot.running).toBe(true);
  }, 120_000);
});
