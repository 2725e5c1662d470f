/**
 * Entry point. With DISCORD_TOKEN set, Footnote runs as a Discord bot; with
 * DISCORD_PUBLIC_KEY and INTERACTIONS_PORT, it serves the HTTP interactions
 * endpoint (beside the bot, or alone as a worker); with neither, it opens the
 * terminal chat (the default, no setup needed). A bot or worker also serves
 * health and metrics when HTTP_PORT is set.
 */
import 'dotenv/config';
import { loadApp } from './app.ts';
import { ConfigError, readConfig, requireDiscord } from './config.ts';
import { StoreConversations } from './conversation/memory.ts';
import { CorpusError } from './corpus/errors.ts';
import { interactionsSettings } from './discord/http/settings.ts';
import { createLogger, warnAtMostEveryMinute, hideSecret, stderrDestination } from './log.ts';
import { openStore } from './store/open.ts';
import { StoreOpenError } from './store/types.ts';
import { runChat } from './terminal/chat.ts';

async function main(): Promise<number> {
  const config = readConfig();
  hideSecret(config.DISCORD_TOKEN);
  const onDiscord = config.DISCORD_TOKEN !== undefined;
  const interactions = interactionsSettings(config);
  const asService = onDiscord || interactions !== undefined;
  // The chat owns stdout: its logs go to stderr, warnings only unless LOG_LEVEL asks for more.
  const logger = asService ? createLogger(config.LOG_LEVEL) : createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn', stderrDestination());
  // Loaded only for a service, so the terminal chat starts without prom-client.
  const metrics = asService ? new (await import('./observability/metrics.ts')).Metrics() : undefined;
  // DATABASE_URL: the store (and with it cooldowns and conversations) is shared by every worker on that Postgres.
  const opened = await openStore({ dataDir: config.DATA_DIR, ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}) });
  const store = metrics ? (await import('./observability/store.ts')).observedStore(
        opened,
        (reason) => metrics.storeError(reason),
        () => metrics.storeReached(),
      ) : opened;
  const conversations = config.DATABASE_URL
    ? new StoreConversations(store.conversations, (error) => warnAtMostEveryMinute(logger, error, 'could not read or write a conversation in the shared store'))
    : undefined;
  const app = await loadApp(config.CORPUS_DIR, {
    store,
    logger,
    importAllowHosts: config.IMPORT_ALLOW_HOSTS,
    ...(conversations ? { conversations } : {}),
    ...(config.EXTRA_COMMANDS_DIR ? { extraCommandsDir: config.EXTRA_COMMANDS_DIR } : {}),
  });
  if (!metrics) {
    // Not a service: the terminal chat.
    try {
      await runChat(app, { input: process.stdin, output: process.stdout, interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) });
    } finally {
      await store.close();
    }
    return 0;
  }
  // Loaded only here, so the terminal chat starts without discord.js.
  const { runUntilSignal, startServing, stopOnSignal } = await import('./services.ts');
  const serving = await startServing(config, app, logger, metrics, { gateway: onDiscord, ...(interactions ? { interactions } : {}) });
  if (!onDiscord) return runUntilSignal(serving, app, logger);
  stopOnSignal(serving, logger);
  const { runDiscordBot } = await import('./discord/gateway/run.ts');
  return runDiscordBot(requireDiscord(config), app, logger, process.env, metrics);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Known problems get one clear line; anything else is a bug worth its stack.
    const known = error instanceof ConfigError || error instanceof CorpusError || error instanceof StoreOpenError;
    if (known) console.error(`Footnote cannot start. ${error.message}`);
    else console.error(error);
    process.exitCode = 1;
  },
);
