/**
 * What a Footnote service runs beside the gateway bot, or instead of it:
 * health and metrics on HTTP_PORT, the HTTP interactions endpoint on
 * INTERACTIONS_PORT, and, for a process without a gateway (an interactions
 * worker), its own lifecycle: run until SIGINT or SIGTERM, drain, exit 0.
 */
import type { App } from './app.ts';
import type { Config } from './config.ts';
import type { InteractionsSettings } from './discord/http/settings.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './observability/metrics.ts';
import { startHealthServer, type ListeningServer } from './observability/server.ts';
import { storeKind } from './observability/store.ts';

/** Exit by then whatever stopping does: the 2 s the README promises from the signal. */
const EXIT_DEADLINE_MS = 1_800;
/** Exit this long after stopping even if some keep-alive socket lingers. */
const EXIT_GRACE_MS = 300;

export interface Serving {
  /** Stops taking requests and lets the ones in progress finish (briefly). */
  stop(): Promise<void>;
}

export interface ServingOptions {
  /** Whether this process also runs the gateway bot ('unobserved' until the bot reports its state). */
  gateway: boolean;
  interactions?: InteractionsSettings;
}

export async function startServing(config: Config, app: App, logger: Logger, metrics: Metrics, options: ServingOptions): Promise<Serving> {
  metrics.setGatewayState(options.gateway ? 'unobserved' : 'off');
  const servers: ListeningServer[] = [];
  try {
    if (config.HTTP_PORT !== undefined) {
      servers.push(await startHealthServer({ host: config.HTTP_HOST, port: config.HTTP_PORT, metrics, store: storeKind(app.context.store), logger }));
    }
    if (options.interactions) {
      // Loaded only here: a gateway-only bot never needs it.
      const { startInteractions } = await import('./discord/http/run.ts');
      servers.push(await startInteractions(config, options.interactions, app, { logger, metrics }));
    }
  } catch (error) {
    await Promise.allSettled(servers.map((server) => server.close()));
    throw error;
  }
  return { stop: async () => void (await Promise.allSettled(servers.map((server) => server.close()))) };
}

/** For a process without a gateway: serves until SIGINT or SIGTERM, then stops, closes the store and exits 0. */
export async function runUntilSignal(serving: Serving, app: App, logger: Logger): Promise<number> {
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  logger.info({ signal }, 'stopping');
  setTimeout(() => process.exit(0), EXIT_DEADLINE_MS).unref();
  try {
    await serving.stop();
    await app.context.store.close();
  } catch (error) {
    logger.error({ err: error }, 'could not stop cleanly');
  }
  logger.info({ code: 0 }, 'stopped');
  // REST keep-alive sockets would hold the process open for seconds.
  setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
  return 0;
}

/** Beside the gateway bot, which owns the process's lifecycle: stop taking requests on its signal. */
export function stopOnSignal(serving: Serving): void {
  const stop = () => void serving.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
