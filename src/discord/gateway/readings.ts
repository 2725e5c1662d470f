/**
 * Reading plans on the gateway: the runner (src/schedule/) posting through
 * Discord's REST API, started once the session is ready and stopped with the
 * bot. FOOTNOTE_CLOCK (tests only, see src/schedule/test-clock.ts) replaces
 * the app's clock, so commands and the runner share the faster time.
 */
import type { Client } from 'discord.js';
import type { App } from '../../app.ts';
import type { Logger } from '../../log.ts';
import { ReadingRunner } from '../../schedule/runner.ts';
import { testClockFrom, type TestClock } from '../../schedule/test-clock.ts';
import { DiscordPoster } from '../api/poster.ts';

export interface ReadingPlans {
  start(): void;
  stop(): Promise<void>;
}

function testClock(env: NodeJS.ProcessEnv, logger: Logger): TestClock | undefined {
  try {
    return testClockFrom(env.FOOTNOTE_CLOCK);
  } catch (error) {
    logger.error({ err: error }, 'FOOTNOTE_CLOCK is not valid and is ignored');
    return undefined;
  }
}

export function readingPlans(app: App, client: Client, logger: Logger, env: NodeJS.ProcessEnv = process.env): ReadingPlans {
  const fast = testClock(env, logger);
  if (fast) {
    app.context.clock = fast.clock;
    logger.warn({ clock: fast.description }, 'FOOTNOTE_CLOCK is set: the clock runs fast for tests');
  }
  const runner = new ReadingRunner({
    context: app.context,
    poster: new DiscordPoster(client.rest, () => client.user?.id),
    ...(fast ? { maxWaitMs: fast.tickMs, minWaitMs: fast.tickMs } : {}),
  });
  return { start: () => runner.start(), stop: () => runner.stop() };
}
