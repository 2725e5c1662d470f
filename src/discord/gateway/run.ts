/**
 * `npm start` with DISCORD_TOKEN set: runs the bot until SIGINT or SIGTERM,
 * then disconnects and exits 0 (within 2 s). Also keeps a failed REST call
 * somewhere deep in discord.js from ever crashing the process.
 */
import type { App } from '../../app.ts';
import { hideSecret, type Logger } from '../../log.ts';
import { createBot, type DiscordConfig } from './client.ts';
import { faultsFrom } from '../api/faults.ts';

/** Exit this long after stopping even if some socket lingers; well inside the 2 s promise. */
const EXIT_GRACE_MS = 300;
/** Exit by then whatever stopping does (hangs, throws): 2 s from the signal is the promise. */
const EXIT_DEADLINE_MS = 1_800;

/**
 * Stops the bot, then exits with `code`, within EXIT_DEADLINE_MS however
 * stopping goes. A failure to disconnect is logged (so scrubbed), never thrown.
 */
export async function stopAndExit(stop: () => Promise<void>, logger: Logger, code: number, exit: (code: number) => void = process.exit): Promise<void> {
  setTimeout(() => exit(code), EXIT_DEADLINE_MS).unref();
  try {
    await stop();
  } catch (error) {
    logger.error({ err: error }, 'could not disconnect cleanly');
  }
  logger.info({ code }, 'stopped');
  setTimeout(() => exit(code), EXIT_GRACE_MS).unref();
}

export async function runDiscordBot(config: DiscordConfig, app: App, logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  hideSecret(config.DISCORD_TOKEN);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));

  const faults = faultsFrom(env.FOOTNOTE_FAULTS);
  if (faults) logger.warn('FOOTNOTE_FAULTS is set: fault injection for tests is active');
  const bot = createBot(config, app, { logger, ...(faults ? { faults } : {}) });

  const stopSignal = new Promise<Stopped>((resolve) => {
    process.once('SIGINT', () => resolve({ kind: 'signal', signal: 'SIGINT' }));
    process.once('SIGTERM', () => resolve({ kind: 'signal', signal: 'SIGTERM' }));
  });
  const started = bot.start().then(
    (): Started => ({ kind: 'started' }),
    (error: unknown): Failed => ({ kind: 'failed', error }),
  );
  // A signal during login stops the bot too.
  let outcome: Started | Failed | Stopped = await Promise.race([started, stopSignal]);
  if (outcome.kind === 'started') outcome = await stopSignal;
  const code = outcome.kind === 'failed' ? 1 : 0;
  if (outcome.kind === 'failed') logger.fatal({ err: outcome.error }, 'could not connect to Discord');
  else logger.info({ signal: outcome.signal }, 'stopping');
  await stopAndExit(async () => {
    await bot.stop();
    await app.context.store.close();
  }, logger, code);
  return code;
}

type Started = { kind: 'started' };
type Failed = { kind: 'failed'; error: unknown };
type Stopped = { kind: 'signal'; signal: NodeJS.Signals };
