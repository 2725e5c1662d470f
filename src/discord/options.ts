/**
 * Options the adapter adds to answering slash commands, and reading them back:
 * `private` makes the answer ephemeral, `to` addresses it to a user. The
 * handler never sees them; it gets only its own options.
 */
import { ApplicationCommandOptionType, type ChatInputCommandInteraction } from 'discord.js';
import { OptionType, type Command, type CommandInput, type CommandOptions, type OptionDefinition } from '../commands/types.ts';

export const PRIVATE_OPTION = 'private';
export const TO_OPTION = 'to';

export const ADAPTER_OPTIONS: readonly OptionDefinition[] = [
  { type: OptionType.Boolean, name: PRIVATE_OPTION, description: 'Show the answer to you only' },
  { type: OptionType.User, name: TO_OPTION, description: 'Address the answer to someone; only they are pinged' },
];

function definesOption(command: Command, name: string): boolean {
  return (command.definition.options ?? []).some((option) => option.name === name);
}

/** The handler's options, and the adapter's own: `private` (ephemeral) and `to` (address a user). */
export function readOptions(interaction: ChatInputCommandInteraction, command: Command): { input: CommandInput; ephemeral: boolean; forUser?: string } {
  const options: CommandOptions = {};
  let ephemeral = false;
  let forUser: string | undefined;
  for (const option of interaction.options.data) {
    if (option.name === PRIVATE_OPTION && !definesOption(command, PRIVATE_OPTION)) ephemeral = option.value === true;
    else if (option.name === TO_OPTION && !definesOption(command, TO_OPTION) && option.type === ApplicationCommandOptionType.User) forUser = String(option.value);
    else if (typeof option.value === 'string' || typeof option.value === 'number' || typeof option.value === 'boolean') options[option.name] = option.value;
  }
  return { input: { options }, ephemeral, ...(forUser === undefined ? {} : { forUser }) };
}
