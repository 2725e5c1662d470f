/**
 * The gateway transport: a discord.js client with the least intents (no
 * privileged one), the REST base URL from DISCORD_API_URL when set, and no
 * pings by default. It only moves bytes: raw interactions and messages go to
 * the pipeline's routers, answers go back over discord.js's REST client, and
 * the deferral watchdog keeps the 3 s promise when the main thread is busy.
 */
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import {
  Client,
  Events,
  GatewayDispatchEvents,
  GatewayIntentBits,
  Partials,
  Routes,
  type APIInteraction,
  type GatewayMessageCreateDispatchData,
  type RateLimitData,
  type RESTOptions,
} from 'discord.js';
import type { App } from '../../app.ts';
import type { Config } from '../../config.ts';
import type { Logger } from '../../log.ts';
import { Cooldown } from '../api/cooldown.ts';
import type { Faults } from '../api/faults.ts';
import { routeInteraction } from '../api/interactions.ts';
import { routeMessage } from '../api/messages.ts';
import type { PipelineServices } from '../api/pipeline.ts';
import { rawFiles, type InteractionTransport } from '../api/respond.ts';
import { snowflakeTime, Watchdog } from './watchdog.ts';
import { readingPlans } from './readings.ts';

export type DiscordConfig = Config & { DISCORD_TOKEN: string; DISCORD_CLIENT_ID: string };

export interface BotOptions {
  logger: Logger;
  faults?: Faults;
  cooldown?: Cooldown;
}

export interface Bot {
  client: Client;
  /** Connects and resolves once the session is ready. */
  start(): Promise<void>;
  /** Disconnects; never takes more than STOP_TIMEOUT_MS. */
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 1_200;
/** A rate limit this long outlasts an interaction's 3 s: fail fast and log instead of waiting. */
const LONGEST_RATE_LIMIT_WAIT_MS = 5_000;

function restOptions(config: DiscordConfig, logger: Logger): Partial<RESTOptions> {
  return {
    ...(config.DISCORD_API_URL === undefined ? {} : { api: config.DISCORD_API_URL.replace(/\/+$/, '') }),
    // Called on every rate limit Discord reports (429) or that discord.js foresees: log it, and wait unless the wait is too long.
    rejectOnRateLimit: (limit: RateLimitData) => {
      const reject = limit.retryAfter > LONGEST_RATE_LIMIT_WAIT_MS;
      logger.warn({ route: limit.route, method: limit.method, retryAfterMs: limit.retryAfter, global: limit.global, willWait: !reject }, 'rate limited by Discord');
      return reject;
    },
  };
}

export function createBot(config: DiscordConfig, app: App, options: BotOptions): Bot {
  const { logger } = options;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages, GatewayIntentBits.GuildMessages],
    partials: [Partials.Channel],
    allowedMentions: { parse: [] },
    rest: restOptions(config, logger),
  });
  const watchdog = new Watchdog(logger, config.DISCORD_API_URL);
  const services: PipelineServices = { app, logger, cooldown: options.cooldown ?? new Cooldown(), ...(options.faults ? { faults: options.faults } : {}) };

  /** Over the gateway, the first response is a REST call like any other. */
  const transportFor = (raw: APIInteraction): InteractionTransport => ({
    applicationId: raw.application_id,
    rest: client.rest,
    callback: async (body, files) => {
      const attached = rawFiles(files);
      await client.rest.post(Routes.interactionCallback(raw.id, raw.token), {
        body,
        auth: false,
        query: new URLSearchParams({ with_response: 'false' }),
        ...(attached ? { files: attached } : {}),
      });
    },
    watch: (kind, ephemeral) => watchdog.watch({ id: raw.id, token: raw.token, createdAt: snowflakeTime(raw.id) }, kind, ephemeral),
  });

  const guard = (what: string) => (error: unknown) => logger.error({ err: error }, `${what} failed unexpectedly`);
  client.ws.on(GatewayDispatchEvents.InteractionCreate, (raw: APIInteraction) => void routeInteraction(services, raw, transportFor(raw)).catch(guard('interaction handling')));
  client.ws.on(GatewayDispatchEvents.MessageCreate, (raw: GatewayMessageCreateDispatchData) => {
    const bot = client.user;
    if (bot) void routeMessage(services, raw, { id: bot.id, username: bot.username }, client.rest).catch(guard('message handling'));
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ detail: message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shard) => logger.warn({ shard, code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardReconnecting, (shard) => logger.debug({ shard }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, 'gateway resumed'));
  // Reading plans post on schedule through this client (./readings.ts): started once ready, stopped with the bot.
  const readings = readingPlans(app, client, logger);

  return {
    client,
    async start() {
      watchdog.start();
      const ready = once(client, Events.ClientReady);
      await client.login(config.DISCORD_TOKEN);
      await ready;
      readings.start();
      logger.info({ user: client.user?.id, guilds: client.guilds.cache.size, commands: app.commands.length }, 'connected to Discord');
    },
    async stop() {
      await Promise.race([Promise.all([readings.stop(), client.destroy(), watchdog.stop()]), delay(STOP_TIMEOUT_MS)]);
    },
  };
}
