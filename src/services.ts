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
import { firstStopSignal, stopAndExit } from './lifecycle.ts';
import type { Metrics } from './observability/metrics.ts';
import { startHealthServer, type ListeningServer } from './observability/server.ts';
import { storeKind } from './observability/store.ts';

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
  const signal = await firstStopSignal(logger);
  logger.info({ signal }, 'stopping');
  await stopAndExit(async () => {
    await serving.stop();
    await app.context.store.close();
  }, logger, 0);
  return 0;
}

/** Beside the gateway bot, which owns the process's lifecycle: stop taking requests on its signal. */
export function stopOnSignal(serving: Serving, logger: Logger): void {
  void firstStopSignal(logger).then(() => serving.stop());
}
