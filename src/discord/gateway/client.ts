/**
 * The gateway transport: a discord.js client with the least intents (no
 * privileged one), the REST base URL from DISCORD_API_URL when set, and no
 * pings by default. It only moves bytes: raw interactions and messages go to
 * the pipeline's routers, answers go back over REST (interaction routes on a
 * client of their own, outside the bot's global rate limit), and the deferral
 * watchdog keeps the 3 s promise when the main thread is busy. Discord closing
 * the gateway for good (a reset token, intents no longer allowed) is reported
 * so the process can end instead of idling without events. SHARDS splits the
 * gateway into shards, each its own connection in this process (shardOptions).
 */
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import {
  Client,
  Events,
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayIntentBits,
  Partials,
  Routes,
  type APIInteraction,
  type ClientOptions,
  type GatewayMessageCreateDispatchData,
} from 'discord.js';
import type { App } from '../../app.ts';
import type { Config } from '../../config.ts';
import type { Logger } from '../../log.ts';
import { Cooldown } from '../api/cooldown.ts';
import { callbackDeadline, signalAt, snowflakeTime } from '../api/deadlines.ts';
import { Intake } from '../api/intake.ts';
import { routeInteraction } from '../api/interactions.ts';
import { routeMessage } from '../api/messages.ts';
import { prepareInteraction, prepareMessage } from '../api/shared-state.ts';
import { pipelineServices } from '../api/wiring.ts';
import type { EventObserver } from '../api/pipeline.ts';
import type { GatewayState } from '../../observability/metrics.ts';
import { rawFiles, type InteractionTransport } from '../api/respond.ts';
import { cacheLimits, sweepDmChannels } from './caches.ts';
import { botRestOptions, interactionRest, lenientRest, TokenClock } from './rest.ts';
import { Watchdog } from './watchdog.ts';
import { readingPlans } from './readings.ts';
import { trackShards } from './shard-health.ts';

export type DiscordConfig = Config & { DISCORD_TOKEN: string; DISCORD_CLIENT_ID: string };

export interface BotOptions {
  logger: Logger;
  /** Where FOOTNOTE_FAULTS is read; process.env by default. */
  env?: NodeJS.ProcessEnv;
  cooldown?: Cooldown;
  intake?: Intake;
  /** Told of every event handled (the Prometheus counters). */
  metrics?: EventObserver;
  /** Told of the gateway's state as it changes (for /healthz and /metrics), all shards together. */
  onGatewayState?: (state: GatewayState) => void;
}

/**
 * SHARDS as discord.js takes it: sharded inside this one process, one
 * WebSocket per shard (@discordjs/ws), rather than a ShardingManager's child
 * processes. The work per event is small (answers go out over REST), and one
 * process keeps one intake, cooldown, watchdog, drain on SIGTERM, store
 * connection and HTTP_PORT; child processes would each open the SQLite file
 * and clash on the health port. Unset: discord.js's default, one shard.
 */
function shardOptions(shards: DiscordConfig['SHARDS']): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (shards === undefined) return {};
  if (shards === 'auto') return { shards: 'auto' };
  return { shards: Array.from({ length: shards }, (_, id) => id), shardCount: shards };
}

/** Discord closed the gateway with a code it will not take back: reconnecting cannot help. */
export interface ClosedForGood {
  code: number;
  reason: string;
}

export interface Bot {
  client: Client;
  /** Connects and resolves once the session is ready. */
  start(): Promise<void>;
  /** Resolves if Discord closes the gateway for good (never otherwise). */
  closedForGood: Promise<ClosedForGood>;
  /**
   * Stops taking work and drains what is in flight: acknowledged at once,
   * answered if done by `deadline` (epoch ms), else told the bot is restarting.
   */
  drain(deadline: number): Promise<{ finished: number; abandoned: number }>;
  /** Disconnects; never takes more than STOP_TIMEOUT_MS. */
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 1_200;
/** After the drain deadline, this long at most for the "restarting" notices to go out. */
const ABANDON_MS = 250;

/** Close codes after which Discord will not let this session or token back in, and what they mean. */
const FATAL_CLOSES: ReadonlyMap<number, string> = new Map([
  [GatewayCloseCodes.AuthenticationFailed, 'authentication failed: the bot token was reset or revoked'],
  [GatewayCloseCodes.InvalidShard, 'invalid shard'],
  [GatewayCloseCodes.ShardingRequired, 'sharding required: the bot is in too many servers for one connection (set SHARDS=auto)'],
  [GatewayCloseCodes.InvalidAPIVersion, 'invalid gateway API version'],
  [GatewayCloseCodes.InvalidIntents, 'invalid intents'],
  [GatewayCloseCodes.DisallowedIntents, 'disallowed intents: an intent the bot asks for is not enabled for it in the developer portal'],
]);

export function createBot(config: DiscordConfig, app: App, options: BotOptions): Bot {
  const { logger } = options;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages, GatewayIntentBits.GuildMessages],
    partials: [Partials.Channel],
    allowedMentions: { parse: [] },
    rest: botRestOptions(config.DISCORD_API_URL, logger),
    makeCache: cacheLimits(),
    ...shardOptions(config.SHARDS),
  });
  const stopSweeping = sweepDmChannels(client);
  const watchdog = new Watchdog(logger, config.DISCORD_API_URL);
  const intake = options.intake ?? new Intake();
  const services = pipelineServices(config, app, {
    logger,
    intake,
    ...(options.env ? { env: options.env } : {}),
    ...(options.cooldown ? { cooldown: options.cooldown } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  if (options.onGatewayState) trackShards(client, () => client.ws.shards.size, options.onGatewayState);
  const tokens = new TokenClock();
  const interactions = lenientRest(interactionRest(config.DISCORD_API_URL, logger, tokens), logger);
  const botRest = lenientRest(client.rest, logger);

  /** Over the gateway, the first response is a REST call like any other, given up at the interaction's 3 s. */
  const transportFor = (raw: APIInteraction): InteractionTransport => ({
    applicationId: raw.application_id,
    rest: botRest,
    webhook: interactions,
    callback: async (body, files) => {
      const attached = rawFiles(files);
      await interactions.post(Routes.interactionCallback(raw.id, raw.token), {
        body,
        auth: false,
        query: new URLSearchParams({ with_response: 'false' }),
        signal: signalAt(callbackDeadline(raw.id)),
        ...(attached ? { files: attached } : {}),
      });
    },
    watch: (kind, ephemeral) => watchdog.watch({ id: raw.id, token: raw.token, createdAt: snowflakeTime(raw.id) }, kind, ephemeral),
  });

  const guard = (what: string) => (error: unknown) => logger.error({ err: error }, `${what} failed unexpectedly`);
  client.ws.on(GatewayDispatchEvents.InteractionCreate, (raw: APIInteraction) => {
    const release = tokens.hold(raw.token, raw.id);
    // With a shared store, the cooldown token and the asker's conversation are read from it first (shared-state.ts).
    void prepareInteraction(services, raw)
      .then((prepared) => routeInteraction(prepared, raw, transportFor(raw)))
      .catch(guard('interaction handling'))
      .finally(release);
  });
  client.ws.on(GatewayDispatchEvents.MessageCreate, (raw: GatewayMessageCreateDispatchData) => {
    const bot = client.user;
    if (!bot) return;
    void prepareMessage(services, raw, bot.id)
      .then((prepared) => routeMessage(prepared, raw, { id: bot.id, username: bot.username }, botRest))
      .catch(guard('message handling'));
  });
  const closedForGood = new Promise<ClosedForGood>((resolve) => {
    client.on(Events.ShardDisconnect, (event, shard) => {
      const reason = FATAL_CLOSES.get(event.code);
      if (reason === undefined) logger.warn({ shard, code: event.code }, 'gateway disconnected');
      else resolve({ code: event.code, reason });
    });
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ detail: message }, 'discord client warning'));
  client.on(Events.ShardReconnecting, (shard) => logger.debug({ shard }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, 'gateway resumed'));
  // Each shard is its own session; Discord sends DMs on shard 0 only, and each event on exactly one shard.
  client.on(Events.ShardReady, (shard) => logger.info({ shard, shards: client.ws.shards.size }, 'gateway shard ready'));
  // Reading plans and review reminders go out on schedule through this client (./readings.ts): started once ready, stopped with the bot.
  const readings = readingPlans(app, client, logger);

  return {
    client,
    closedForGood,
    async start() {
      watchdog.start();
      const ready = once(client, Events.ClientReady);
      await client.login(config.DISCORD_TOKEN);
      await ready;
      readings.start();
      logger.info({ user: client.user?.id, guilds: client.guilds.cache.size, commands: app.commands.length }, 'connected to Discord');
    },
    drain: (deadline) => intake.drain(deadline, ABANDON_MS),
    async stop() {
      stopSweeping();
      await Promise.race([Promise.all([readings.stop(), client.destroy(), watchdog.stop()]), delay(STOP_TIMEOUT_MS)]);
    },
  };
}
