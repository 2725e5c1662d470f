/**
 * The shape of a command: a definition in Discord's JSON form (so it can be
 * registered as is) and a handler that takes plain inputs and returns a Reply.
 */
import type { Reply } from '../reply/reply.ts';
import type { Library } from '../library.ts';

/** Discord application command option types that Footnote uses. */
export const OptionType = { String: 3, Integer: 4, Boolean: 5, User: 6 } as const;
export type OptionTypeValue = (typeof OptionType)[keyof typeof OptionType];

export interface OptionDefinition {
  type: OptionTypeValue;
  name: string;
  description: string;
  required?: boolean;
  max_length?: number;
  min_value?: number;
  max_value?: number;
  autocomplete?: boolean;
}

export interface CommandDefinition {
  name: string;
  description: string;
  /** 1 = slash command (default), 3 = message context menu. */
  type?: 1 | 3;
  options?: OptionDefinition[];
}

/** Option values as the handler sees them: strings, numbers, booleans, user ids. */
export type CommandOptions = Record<string, string | number | boolean | undefined>;

export interface CommandInput {
  options: CommandOptions;
  /** For message context-menu commands: the text of the selected message. */
  targetText?: string;
}

export interface CommandContext {
  library: Library;
  /** Every command, so /help can list them. */
  commands: readonly Command[];
}

export interface Command {
  definition: CommandDefinition;
  /** Replies with an answer from the article; chat adapters may offer "private" and "to" options for it. */
  answering?: boolean;
  /** For topic commands: the question the command stands for (offered as a suggestion too). */
  question?: string;
  handle(input: CommandInput, context: CommandContext): Reply;
  /** Suggestions for a focused string option, at most 25. */
  autocomplete?(optionName: string, partial: string, context: CommandContext): { name: string; value: string }[];
}
