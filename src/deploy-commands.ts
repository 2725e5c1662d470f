/**
 * `npm run deploy-commands`: registers every command in commands/ with
 * Discord, globally or (with DISCORD_GUILD_ID) in one server for instant
 * updates while developing. Safe to run again: the PUT replaces the set.
 */
import 'dotenv/config';
import { loadCommands } from './commands/registry.ts';
import { ConfigError, readConfig, requireDiscord } from './config.ts';
import { deployCommands, InvalidCommandsError } from './discord/deploy.ts';
import { hideSecret, scrub } from './log.ts';

async function main(): Promise<number> {
  const config = requireDiscord(readConfig());
  hideSecret(config.DISCORD_TOKEN);
  const commands = await loadCommands();
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
    const known = error instanceof ConfigError || error instanceof InvalidCommandsError;
    console.error(known ? error.message : `Could not register commands: ${scrub(error instanceof Error ? error.message : String(error))}`);
    process.exit(1);
  },
);
