/**
 * The command payloads Discord registers, and the rules they must keep.
 * Definitions are checked against Discord's rules first, so a bad one is named
 * here instead of failing the whole bulk PUT with a 400.
 */
import { CommandType, type Command, type CommandTypeValue, type OptionDefinition } from '../../commands/types.ts';
import { Limits } from './limits.ts';
import { ADAPTER_OPTIONS } from './options.ts';

/** 0 = installed to a server, 1 = installed by a user. */
const INTEGRATION_TYPES = [0, 1] as const;
/** 0 = in a server, 1 = in the bot's DMs, 2 = in group DMs and other private channels. */
const CONTEXTS = [0, 1, 2] as const;

const MAX_SLASH_COMMANDS = 100;
const MAX_MESSAGE_COMMANDS = 5;
const SLASH_NAME = /^[a-z0-9-]{1,32}$/;
const OPTION_NAME = /^[a-z0-9_-]{1,32}$/;

export interface CommandPayload {
  name: string;
  description: string;
  type: CommandTypeValue;
  options?: OptionDefinition[];
  integration_types: readonly number[];
  contexts: readonly number[];
}

/** Discord's JSON for every command, with `private` and `to` added to answering slash commands. */
export function commandPayloads(commands: readonly Command[]): CommandPayload[] {
  return commands.map(({ definition, answering }) => {
    const type = definition.type ?? CommandType.Slash;
    if (type === CommandType.Message) {
      // Discord wants an empty description for context-menu commands.
      return { name: definition.name, description: '', type, integration_types: INTEGRATION_TYPES, contexts: CONTEXTS };
    }
    const own = definition.options ?? [];
    const extra = answering ? ADAPTER_OPTIONS.filter((option) => !own.some((existing) => existing.name === option.name)) : [];
    const options = [...own, ...extra];
    return {
      name: definition.name,
      description: definition.description,
      type,
      ...(options.length > 0 ? { options } : {}),
      integration_types: INTEGRATION_TYPES,
      contexts: CONTEXTS,
    };
  });
}

function checkLength(problems: string[], where: string, what: string, value: string, min: number, max: number): void {
  if (value.length < min || value.length > max) problems.push(`${where}: ${what} is ${value.length} characters (allowed ${min}–${max})`);
}

function checkOptions(problems: string[], where: string, options: readonly OptionDefinition[]): void {
  if (options.length > Limits.commandOptions) problems.push(`${where}: ${options.length} options (at most ${Limits.commandOptions})`);
  const seen = new Set<string>();
  let optionalSeen = false;
  for (const option of options) {
    const at = `${where}, option "${option.name}"`;
    if (!OPTION_NAME.test(option.name)) problems.push(`${at}: name must be 1–32 lowercase letters, digits, "-" or "_"`);
    if (seen.has(option.name)) problems.push(`${at}: duplicate option name`);
    seen.add(option.name);
    checkLength(problems, at, 'description', option.description, 1, Limits.commandDescription);
    if (option.required && optionalSeen) problems.push(`${at}: required options must come before optional ones`);
    if (!option.required) optionalSeen = true;
    if (option.options) checkOptions(problems, at, option.options);
  }
}

function totalLength(payload: CommandPayload): number {
  return payload.name.length + payload.description.length + (payload.options ?? []).reduce((sum, option) => sum + option.name.length + option.description.length, 0);
}

/** Every rule a payload breaks, naming the command (and option); empty when all is well. */
export function validatePayloads(payloads: readonly CommandPayload[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const payload of payloads) {
    const where = payload.type === CommandType.Message ? `message command "${payload.name}"` : `command "/${payload.name}"`;
    const key = `${payload.type}:${payload.name}`;
    if (names.has(key)) problems.push(`${where}: duplicate name`);
    names.add(key);
    if (payload.type === CommandType.Slash) {
      if (!SLASH_NAME.test(payload.name)) problems.push(`${where}: name must be 1–32 lowercase letters, digits or "-"`);
      checkLength(problems, where, 'description', payload.description, 1, Limits.commandDescription);
      checkOptions(problems, where, payload.options ?? []);
    } else {
      checkLength(problems, where, 'name', payload.name.trim(), 1, Limits.commandName);
      if (payload.options !== undefined) problems.push(`${where}: context-menu commands take no options`);
    }
    if (totalLength(payload) > Limits.commandTotal) problems.push(`${where}: name, descriptions and options add up to more than ${Limits.commandTotal} characters`);
  }
  const slash = payloads.filter((payload) => payload.type === CommandType.Slash).length;
  const message = payloads.filter((payload) => payload.type === CommandType.Message).length;
  if (slash > MAX_SLASH_COMMANDS) problems.push(`${slash} slash commands (at most ${MAX_SLASH_COMMANDS})`);
  if (message > MAX_MESSAGE_COMMANDS) problems.push(`${message} message commands (at most ${MAX_MESSAGE_COMMANDS})`);
  return problems;
}

export class InvalidCommandsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Commands not registered; fix these first:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'InvalidCommandsError';
  }
}
