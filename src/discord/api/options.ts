/**
 * Reading a raw slash command's options. The adapter adds two of its own to
 * answering commands: `private` makes the answer ephemeral, `to` addresses it
 * to a user. The handler never sees them; it gets only its own options.
 */
import { ApplicationCommandOptionType, type APIApplicationCommandInteractionDataOption, type APIChatInputApplicationCommandInteractionData } from 'discord.js';
import { OptionType, type AttachedFile, type Command, type CommandOptions, type OptionDefinition } from '../../commands/types.ts';

export const PRIVATE_OPTION = 'private';
export const TO_OPTION = 'to';

export const ADAPTER_OPTIONS: readonly OptionDefinition[] = [
  { type: OptionType.Boolean, name: PRIVATE_OPTION, description: 'Show the answer to you only' },
  { type: OptionType.User, name: TO_OPTION, description: 'Address the answer to someone; only they are pinged' },
];

/** A Discord id: 17–20 digits. Anything else in a `to` option is forged. */
const SNOWFLAKE = /^\d{17,20}$/;

/** Only answering commands get the adapter's options, and never over an option of their own (a subcommand's included). */
function adapterOwns(command: Command, own: readonly OptionDefinition[], name: string): boolean {
  return command.answering === true && !own.some((option) => option.name === name);
}

export interface ReadOptions {
  options: CommandOptions;
  subcommand?: string;
  ephemeral: boolean;
  forUser?: string;
  /** Files given to attachment options: only these URLs (Discord's own, from the interaction) may be fetched for them. */
  attachments?: Record<string, AttachedFile>;
  /** Set when an option was not what Discord sends (a forged payload): the user is told this instead. */
  problem?: string;
}

/** The handler's options (and subcommand), and the adapter's own: `private` (ephemeral) and `to` (address a user). */
export function readOptions(data: APIChatInputApplicationCommandInteractionData, command: Command): ReadOptions {
  const read: ReadOptions = { options: {}, ephemeral: false };
  let given: readonly APIApplicationCommandInteractionDataOption[] = data.options ?? [];
  let own = command.definition.options ?? [];
  const first = given[0];
  if (first && (first.type === ApplicationCommandOptionType.Subcommand || first.type === ApplicationCommandOptionType.SubcommandGroup)) {
    read.subcommand = first.name;
    given = first.type === ApplicationCommandOptionType.Subcommand ? (first.options ?? []) : [];
    own = own.find((option) => option.name === first.name)?.options ?? [];
  }
  for (const option of given) {
    if (!('value' in option)) continue;
    const value = option.value;
    if (option.name === PRIVATE_OPTION && adapterOwns(command, own, PRIVATE_OPTION)) read.ephemeral = value === true;
    else if (option.name === TO_OPTION && adapterOwns(command, own, TO_OPTION) && option.type === ApplicationCommandOptionType.User) {
      if (typeof value === 'string' && SNOWFLAKE.test(value)) read.forUser = value;
      else read.problem = 'The “to” option must be a member of this server.';
    } else if (option.type === ApplicationCommandOptionType.Channel) {
      // Discord resolves a channel option to a channel of the server it is used in; an id it did not resolve is not one.
      if (typeof value === 'string' && data.resolved?.channels?.[value]) read.options[option.name] = value;
      else read.problem = 'That channel is not one of this server’s: pick a channel from the list.';
    } else if (option.type === ApplicationCommandOptionType.Attachment) {
      const file = typeof value === 'string' ? data.resolved?.attachments?.[value] : undefined;
      if (!file || typeof file.url !== 'string') read.problem = 'The attached file could not be found in your command; please attach it again.';
      else read.attachments = { ...read.attachments, [option.name]: { url: file.url, filename: String(file.filename ?? 'file'), size: Number(file.size ?? 0), ...(typeof file.content_type === 'string' ? { contentType: file.content_type } : {}) } };
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') read.options[option.name] = value;
  }
  return read;
}
