/**
 * `npm start` with DISCORD_TOKEN set: runs the bot until SIGINT or SIGTERM,
 * or until Discord closes the gateway for good. Stopping drains: no new work
 * is taken (later interactions are told the bot is restarting), everything
 * in flight is acknowledged at once, answered if its handler finishes within
 * about 1.3 s, else told the bot is restarting; then the bot disconnects and
 * exits — 0 after a signal, 1 after a fatal close — within 2 s of the signal.
 * Also keeps a failed REST call somewhere deep in discord.js from ever
 * crashing the process.
 */
import type { App } from '../../app.ts';
import { hideSecret, type Logger } from '../../log.ts';
import { EXIT_DEADLINE_MS, firstStopSignal, stopAndExit } from '../../lifecycle.ts';
import { createBot, type ClosedForGood, type DiscordConfig } from './client.ts';
import { DEFAULT_LEASE_TIMING, gatewayLeaseName, holdLease, type LeaseTiming } from './lease.ts';
import type { GatewayState, Metrics } from '../../observability/metrics.ts';

/** In-flight work has this long from the signal to finish before it is told the bot is restarting. */
const DRAIN_MS = 1_300;

/** With `metrics`, the bot counts what it handles there and reports the gateway's state to /healthz. */
export async function runDiscordBot(config: DiscordConfig, app: App, logger: Logger, env: NodeJS.ProcessEnv = process.env, metrics?: Metrics): Promise<number> {
  hideSecret(config.DISCORD_TOKEN);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));

  const observed = metrics ? { metrics, onGatewayState: (state: GatewayState) => metrics.setGatewayState(state) } : {};
  const stopSignal = firstStopSignal(logger).then((signal): Stopped => ({ kind: 'signal', signal }));
  // One gateway per application and store: a second process stands by here until the first stops.
  const lease = await holdLease(app.context.store.leases, gatewayLeaseName(config.DISCORD_CLIENT_ID), logger, stopSignal, leaseTiming(env));
  if (!lease) {
    logger.info('stopping');
    await stopAndExit(() => app.context.store.close(), logger, 0, process.exit, Date.now() + EXIT_DEADLINE_MS);
    return 0;
  }
  const bot = createBot(config, app, { logger, env, ...observed });
  const closed = Promise.race<Closed | Lost>([
    bot.closedForGood.then((close): Closed => ({ kind: 'closed', close })),
    lease.lost.then((): Lost => ({ kind: 'lost' })),
  ]);
  const started = bot.start().then(
    (): Started => ({ kind: 'started' }),
    (error: unknown): Failed => ({ kind: 'failed', error }),
  );
  // A signal or a fatal close during login stops the bot too.
  let outcome: Started | Failed | Stopped | Closed | Lost = await Promise.race([started, stopSignal, closed]);
  if (outcome.kind === 'started') outcome = await Promise.race([stopSignal, closed]);
  const stoppingAt = Date.now();
  const code = outcome.kind === 'signal' ? 0 : 1;
  if (outcome.kind === 'failed') logger.fatal({ err: outcome.error }, 'could not connect to Discord');
  else if (outcome.kind === 'lost') logger.fatal('another Footnote process took over the connection to Discord (this one was stalled past its lease); stopping');
  else if (outcome.kind === 'closed') logger.fatal({ code: outcome.close.code }, `Discord closed the gateway for good (${outcome.close.code}, ${outcome.close.reason}); stopping`);
  else logger.info({ signal: outcome.signal }, 'stopping');
  if (outcome.kind !== 'failed') {
    const drained = await bot.drain(stoppingAt + DRAIN_MS);
    logger.info(drained, 'drained the work in flight');
  }
  await stopAndExit(
    async () => {
      await bot.stop();
      await lease.release();
      await app.context.store.close();
    },
    logger,
    code,
    process.exit,
    stoppingAt + EXIT_DEADLINE_MS,
  );
  return code;
}

type Started = { kind: 'started' };
type Failed = { kind: 'failed'; error: unknown };
type Stopped = { kind: 'signal'; signal: NodeJS.Signals };
type Closed = { kind: 'closed'; close: ClosedForGood };
type Lost = { kind: 'lost' };

/** FOOTNOTE_GATEWAY_LEASE_MS (tests only) shortens the lease, so a takeover can be watched in seconds. */
function leaseTiming(env: NodeJS.ProcessEnv): LeaseTiming {
  const leaseMs = Number(env.FOOTNOTE_GATEWAY_LEASE_MS);
  if (!Number.isInteger(leaseMs) || leaseMs < 300) return DEFAULT_LEASE_TIMING;
  return { leaseMs, renewMs: Math.round(leaseMs / 3), pollMs: Math.round(leaseMs / 5) };
}
