/** Autocomplete: the command's own suggestions, cut to what Discord accepts, answered at once. */
import type { AutocompleteInteraction } from 'discord.js';
import { findCommand, slashCommands } from '../commands/registry.ts';
import { Limits } from './limits.ts';
import { handleEvent, type Runtime } from './runtime.ts';
import { truncate } from './text.ts';

/** At most 25 choices with names and values of 1–100 characters, as Discord requires. */
export function sanitizeChoices(choices: readonly { name: string; value: string }[]): { name: string; value: string }[] {
  return choices
    .filter((choice) => choice.name.trim() !== '' && choice.value.trim() !== '')
    .slice(0, Limits.autocompleteChoices)
    .map((choice) => ({ name: truncate(choice.name, Limits.choiceName), value: truncate(choice.value, Limits.choiceValue) }));
}

export async function autocomplete(runtime: Runtime, interaction: AutocompleteInteraction): Promise<void> {
  const command = findCommand(slashCommands(runtime.app.commands), interaction.commandName);
  await handleEvent(runtime, 'autocomplete', command?.definition.name ?? interaction.commandName, async (handling) => {
    let choices: { name: string; value: string }[] = [];
    try {
      const focused = interaction.options.getFocused(true);
      choices = sanitizeChoices(command?.autocomplete?.(focused.name, String(focused.value), runtime.app.context) ?? []);
    } catch (error) {
      // No suggestions is a fine answer; the user can still type the question.
      handling.handlerFailed(error);
    }
    await interaction.respond(choices);
  });
}
