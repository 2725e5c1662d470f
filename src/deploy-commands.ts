/**
 * `npm run deploy-commands`: registers every command in commands/ with
 * Discord, globally or (with DISCORD_GUILD_ID) in one server for instant
 * updates while developing. Safe to run again: the PUT replaces the set.
 */
import 'dotenv/config';
import { REST, Routes } from 'discord.js';
import { loadApp } from './app.ts';
import type { Command } from './commands/types.ts';
import { ConfigError, readConfig, requireDiscord } from './config.ts';
import { CorpusError } from './corpus/errors.ts';
import { commandPayloads, InvalidCommandsError, validatePayloads } from './discord/api/deploy.ts';
import { hideSecret, scrub } from './log.ts';

interface DeployTarget {
  token: string;
  clientId: string;
  guildId?: string;
  apiUrl?: string;
}

/** Validates, then registers all commands with one PUT (Discord replaces the whole set); returns how many Discord now has. */
async function deployCommands(target: DeployTarget, commands: readonly Command[]): Promise<number> {
  const payloads = commandPayloads(commands);
  const problems = validatePayloads(payloads);
  if (problems.length > 0) throw new InvalidCommandsError(problems);
  const rest = new REST(target.apiUrl === undefined ? {} : { api: target.apiUrl.replace(/\/+$/, '') }).setToken(target.token);
  const route = target.guildId === undefined ? Routes.applicationCommands(target.clientId) : Routes.applicationGuildCommands(target.clientId, target.guildId);
  const registered = (await rest.put(route, { body: payloads })) as unknown[];
  return registered.length;
}

async function main(): Promise<number> {
  const config = requireDiscord(readConfig());
  hideSecret(config.DISCORD_TOKEN);
  // The article's topic commands come from its front matter, so the corpus is read too.
  const { commands } = await loadApp(config.CORPUS_DIR, config.EXTRA_COMMANDS_DIR ? { extraCommandsDir: config.EXTRA_COMMANDS_DIR } : {});
  const count = await deployCommands(
    {
      token: config.DISCORD_TOKEN,
      clientId: config.DISCORD_CLIENT_ID,
      ...(config.DISCORD_GUILD_ID === undefined ? {} : { guildId: config.DISCORD_GUILD_ID }),
      ...(config.DISCORD_API_URL === undefined ? {} : { apiUrl: config.DISCORD_API_URL }),
    },
    commands,
  );
  const where = config.DISCORD_GUILD_ID === undefined ? 'globally (may take up to an hour to appear)' : `in server ${config.DISCORD_GUILD_ID}`;
  console.log(`Registered ${count} commands ${where}.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof InvalidCommandsError || error instanceof CorpusError;
    console.error(known ? error.message : `Could not register commands: ${scrub(error instanceof Error ? error.message : String(error))}`);
    process.exit(1);
  },
);
