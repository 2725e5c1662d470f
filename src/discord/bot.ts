/**
 * The discord.js client: least intents (no privileged one), DMs via
 * Partials.Channel, no pings by default, and the REST base URL from
 * DISCORD_API_URL when set. Events go to the interaction and message routers.
 */
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, Events, GatewayIntentBits, Partials, type RateLimitData, type RESTOptions } from 'discord.js';
import type { App } from '../app.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { Cooldown } from './cooldown.ts';
import type { Faults } from './faults.ts';
import { handleInteraction } from './interactions.ts';
import { handleMessage } from './messages.ts';
import type { Runtime } from './runtime.ts';
import { Watchdog } from './watchdog.ts';

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
  const runtime: Runtime = { app, logger, cooldown: options.cooldown ?? new Cooldown(), watchdog, ...(options.faults ? { faults: options.faults } : {}) };

  const guard = (what: string) => (error: unknown) => logger.error({ err: error }, `${what} failed unexpectedly`);
  client.on(Events.InteractionCreate, (interaction) => void handleInteraction(runtime, interaction).catch(guard('interaction handling')));
  client.on(Events.MessageCreate, (message) => void handleMessage(runtime, message).catch(guard('message handling')));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ detail: message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shard) => logger.warn({ shard, code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardReconnecting, (shard) => logger.debug({ shard }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, 'gateway resumed'));

  return {
    client,
    async start() {
      watchdog.start();
      const ready = once(client, Events.ClientReady);
      await client.login(config.DISCORD_TOKEN);
      await ready;
      logger.info({ user: client.user?.id, guilds: client.guilds.cache.size, commands: app.commands.length }, 'connected to Discord');
    },
    async stop() {
      await Promise.race([Promise.all([client.destroy(), watchdog.stop()]), delay(STOP_TIMEOUT_MS)]);
    },
  };
}
