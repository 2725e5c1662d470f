/**
 * Loads every command file in `commands/` (one command per file, default
 * export) and checks it, so a broken file fails at start, not at use.
 */
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CommandType, type Command } from './types.ts';

export const COMMANDS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'commands');

const NAME = /^[a-z0-9-]{1,32}$/;

function isCommand(value: unknown): value is Command {
  const candidate = value as Partial<Command> | undefined;
  return typeof candidate?.definition?.name === 'string' && typeof candidate.handle === 'function';
}

export async function loadCommands(dir = COMMANDS_DIR): Promise<Command[]> {
  const files = (await readdir(dir)).filter((name) => /\.[cm]?[jt]s$/.test(name) && !name.endsWith('.d.ts')).sort();
  const commands: Command[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as { default?: unknown };
    if (!isCommand(module.default)) throw new Error(`${join(dir, file)}: default export is not a command (needs definition.name and handle)`);
    const { name, type } = module.default.definition;
    // Context-menu names are shown as is ("Find in article"); slash names follow Discord's pattern.
    if (type !== CommandType.Message && !NAME.test(name)) throw new Error(`${join(dir, file)}: command name "${name}" must be lowercase letters, digits or hyphens, at most 32`);
    if (commands.some((command) => command.definition.name === name)) throw new Error(`${join(dir, file)}: duplicate command name "${name}"`);
    commands.push(module.default);
  }
  return commands;
}

/** Slash commands only (context-menu commands have no /name). */
export function slashCommands(commands: readonly Command[]): Command[] {
  return commands.filter((command) => (command.definition.type ?? CommandType.Slash) === CommandType.Slash);
}

export function findCommand(commands: readonly Command[], name: string): Command | undefined {
  const wanted = name.toLowerCase();
  return commands.find((command) => command.definition.name.toLowerCase() === wanted);
}

/** Message context-menu commands ("Find in article"). */
export function messageCommands(commands: readonly Command[]): Command[] {
  return commands.filter((command) => command.definition.type === CommandType.Message);
}

/** How commands are listed (/help, registration): by name, as their files are. */
function sortKey(command: Command): string {
  return command.definition.name.toLowerCase().replace(/\s+/g, '-');
}

/** The commands of commands/ and the articles' topic commands together; a topic may not take a command's name. */
export function withTopics(commands: readonly Command[], topics: readonly Command[]): Command[] {
  for (const topic of topics) {
    if (findCommand(commands, topic.definition.name)) throw new Error(`topic "${topic.definition.name}" has the name of a command in commands/`);
  }
  const all = [...commands, ...topics].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  const names = new Set<string>();
  for (const command of all) {
    if (names.has(command.definition.name)) throw new Error(`two commands are named "${command.definition.name}" (a topic, or a file in an extra commands folder)`);
    names.add(command.definition.name);
  }
  return all;
}
