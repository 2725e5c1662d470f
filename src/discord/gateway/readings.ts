/**
 * Scheduled jobs on the gateway: reading plans (src/schedule/) posting, and
 * review and assignment reminders (src/review/, src/organizer/) sending direct
 * messages, through Discord's REST API; started once the session is ready and
 * stopped with the bot. FOOTNOTE_CLOCK (tests only, see src/schedule/test-clock.ts) replaces
 * the app's clock, so commands and the runner share the faster time.
 */
import type { Client } from 'discord.js';
import type { App } from '../../app.ts';
import type { Logger } from '../../log.ts';
import { ReadingRunner } from '../../schedule/runner.ts';
import { ReminderRunner } from '../../review/reminders.ts';
import { AssignmentReminders } from '../../organizer/reminders.ts';
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
  const poster = new DiscordPoster(client.rest, () => client.user?.id, { components: app.components, context: app.context });
  const timing = fast ? { maxWaitMs: fast.tickMs, minWaitMs: fast.tickMs } : {};
  const runners = [
    new ReadingRunner({ context: app.context, poster, ...timing }),
    new ReminderRunner({ context: app.context, messenger: poster, ...timing }),
    new AssignmentReminders({ context: app.context, messenger: poster, ...timing }),
  ];
  return {
    start: () => runners.forEach((runner) => runner.start()),
    stop: async () => void (await Promise.all(runners.map((runner) => runner.stop()))),
  };
}
