/**
 * Entry point. With DISCORD_TOKEN set, Footnote runs as a Discord bot;
 * without it, it opens the terminal chat (the default, no setup needed).
 */
import 'dotenv/config';
import { loadApp } from './app.ts';
import { ConfigError, readConfig, requireDiscord } from './config.ts';
import { CorpusError } from './corpus/errors.ts';
import { runChat } from './terminal/chat.ts';

async function main(): Promise<number> {
  const config = readConfig();
  const app = await loadApp(config.CORPUS_DIR);
  if (config.DISCORD_TOKEN === undefined) {
    await runChat(app, { input: process.stdin, output: process.stdout, interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) });
    return 0;
  }
  // Loaded only here, so the terminal chat starts without discord.js.
  const { runDiscordBot } = await import('./discord/run.ts');
  return runDiscordBot(requireDiscord(config), app);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Known problems get one clear line; anything else is a bug worth its stack.
    if (error instanceof ConfigError || error instanceof CorpusError) console.error(`Footnote cannot start. ${error.message}`);
    else console.error(error);
    process.exitCode = 1;
  },
);
