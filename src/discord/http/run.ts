/**
 * Starts the HTTP interactions endpoint for an app: the application's public
 * key, a pipeline of its own (cooldown, fault hook, metrics) and discord.js's
 * REST client for webhook edits and follow-ups, pointed at DISCORD_API_URL
 * when set (a shared REST proxy at scale). With DISCORD_TOKEN set, that
 * client also carries the token, for calls beside the answer (threads).
 */
import { REST, type RateLimitData } from 'discord.js';
import type { App } from '../../app.ts';
import type { Config } from '../../config.ts';
import type { Logger } from '../../log.ts';
import type { EventObserver } from '../api/pipeline.ts';
import { pipelineServices } from '../api/wiring.ts';
import { startInteractionsEndpoint, type Endpoint } from './server.ts';
import type { InteractionsSettings } from './settings.ts';
import { publicKeyFromHex } from './signature.ts';

/** A rate limit this long outlasts an interaction's 3 s: fail fast and log instead of waiting. */
const LONGEST_RATE_LIMIT_WAIT_MS = 5_000;

export function interactionsRest(config: Config, logger: Logger): REST {
  const rest = new REST({
    ...(config.DISCORD_API_URL === undefined ? {} : { api: config.DISCORD_API_URL.replace(/\/+$/, '') }),
    // Nearly every call a worker makes is an interaction's webhook, which Discord exempts from the global
    // limit; and a limit counted per process would be wrong with several workers anyway.
    globalRequestsPerSecond: Number.POSITIVE_INFINITY,
    rejectOnRateLimit: (limit: RateLimitData) => {
      const reject = limit.retryAfter > LONGEST_RATE_LIMIT_WAIT_MS;
      logger.warn({ route: limit.route, method: limit.method, retryAfterMs: limit.retryAfter, global: limit.global, willWait: !reject }, 'rate limited by Discord');
      return reject;
    },
  });
  if (config.DISCORD_TOKEN !== undefined) rest.setToken(config.DISCORD_TOKEN);
  return rest;
}

export interface InteractionsOptions {
  logger: Logger;
  metrics?: EventObserver;
  env?: NodeJS.ProcessEnv;
}

export async function startInteractions(config: Config, settings: InteractionsSettings, app: App, options: InteractionsOptions): Promise<Endpoint> {
  const { logger } = options;
  const services = pipelineServices(config, app, { logger, ...(options.env ? { env: options.env } : {}), ...(options.metrics ? { metrics: options.metrics } : {}) });
  return startInteractionsEndpoint({
    host: settings.host,
    port: settings.port,
    publicKey: publicKeyFromHex(settings.publicKey),
    services,
    rest: interactionsRest(config, logger),
    logger,
  });
}
