/** Autocomplete choices cut to what Discord accepts. */
import type { OptionChoice } from '../../commands/types.ts';
import { Limits } from './limits.ts';
import { truncate } from './markdown.ts';

/** At most 25 choices with names and values of 1–100 characters, as Discord requires. */
export function sanitizeChoices(choices: readonly OptionChoice[]): OptionChoice[] {
  return choices
    .filter((choice) => choice.name.trim() !== '' && choice.value.trim() !== '')
    .slice(0, Limits.autocompleteChoices)
    .map((choice) => ({ name: truncate(choice.name, Limits.choiceName), value: truncate(choice.value, Limits.choiceValue) }));
}
