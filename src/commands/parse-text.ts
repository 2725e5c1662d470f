/**
 * Commands typed as text ("/passage 9", "/ask question: why…") in the terminal
 * or in a direct message, parsed against the same definitions Discord uses.
 */
import { findCommand, slashCommands } from './registry.ts';
import { ARTICLE_OPTION, LOCAL_INVOKER, OptionType, type Command, type CommandInput, type CommandOptions, type Invoker, type OptionDefinition } from './types.ts';

export type ParsedCommand = { command: Command; input: CommandInput } | { error: string };

/** Options Discord adds to answering commands, recognised when typed (named only) so they never end up in a question. */
const TYPED_ADAPTER_OPTIONS: readonly OptionDefinition[] = [
  { type: OptionType.Boolean, name: 'private', description: '' },
  { type: OptionType.String, name: 'to', description: '' },
];

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

function optionsUsage(options: readonly OptionDefinition[]): string[] {
  return options.map((option) => {
    const shape = `${option.name}:<${typeName(option)}>`;
    return option.required ? shape : `[${shape}]`;
  });
}

/** The command's subcommands, if it has them ("add", "list" of /note). */
export function subcommandsOf(command: Command): OptionDefinition[] {
  return (command.definition.options ?? []).filter((option) => option.type === OptionType.Subcommand);
}

/** "/passage number:<integer> [context:<true|false>]"; one usage per subcommand, joined by " | ". */
export function usageOf(command: Command): string {
  const subcommands = subcommandsOf(command);
  if (subcommands.length > 0) return subcommands.map((sub) => [`/${command.definition.name} ${sub.name}`, ...optionsUsage(sub.options ?? [])].join(' ')).join(' | ');
  return [`/${command.definition.name}`, ...optionsUsage(command.definition.options ?? [])].join(' ');
}

function typeName(option: OptionDefinition): string {
  if (option.type === OptionType.Integer) return 'number';
  if (option.type === OptionType.Boolean) return 'true|false';
  if (option.type === OptionType.User) return 'user';
  return 'text';
}

function convert(option: OptionDefinition, raw: string): string | number | boolean | { error: string } {
  const value = raw.trim();
  switch (option.type) {
    case OptionType.Integer: {
      // A pasted citation ("¶4", "#12") means its number.
      const digits = value.replace(/^[¶#]\s*/u, '');
      if (!/^[+-]?\d+$/.test(digits)) return { error: `${option.name} must be a whole number, not “${value}”` };
      const number = Number(digits);
      if (option.min_value !== undefined && number < option.min_value) return { error: `${option.name} must be at least ${option.min_value}` };
      if (option.max_value !== undefined && number > option.max_value) return { error: `${option.name} must be at most ${option.max_value}` };
      return number;
    }
    case OptionType.Boolean:
      if (TRUE_WORDS.has(value.toLowerCase()) || value === '') return true;
      if (FALSE_WORDS.has(value.toLowerCase())) return false;
      return { error: `${option.name} must be true or false, not “${value}”` };
    default: {
      if (option.choices) {
        const chosen = option.choices.find((choice) => choice.value.toLowerCase() === value.toLowerCase() || choice.name.toLowerCase() === value.toLowerCase());
        return chosen ? chosen.value : { error: `${option.name} must be one of ${option.choices.map((choice) => choice.value).join(', ')}, not “${value}”` };
      }
      // Not cut here: the handler knows whether to shorten (a question) or refuse (a note), and says so.
      return value;
    }
  }
}

/** Where "name:" options start in the text, for the option names the command has. */
function namedMarkers(rest: string, options: OptionDefinition[]): RegExpExecArray[] {
  const names = options.map((option) => option.name).join('|');
  if (names === '') return [];
  return [...rest.matchAll(new RegExp(`(?:^|\\s)(${names}):`, 'g'))];
}

/** Splits "name:value name2:value two" into pairs. */
function namedPairs(rest: string, found: RegExpExecArray[], options: OptionDefinition[]): [OptionDefinition, string][] {
  return found.map((match, i) => {
    const option = options.find((candidate) => candidate.name === match[1]) as OptionDefinition;
    const end = found[i + 1]?.index ?? rest.length;
    return [option, rest.slice((match.index ?? 0) + match[0].length, end)];
  });
}

/**
 * Positional form: each option in order takes one word, a boolean may be
 * given by its name alone ("context"), and the last text option takes the rest.
 */
function positionalPairs(rest: string, options: OptionDefinition[]): [OptionDefinition, string][] | { error: string } {
  const pairs: [OptionDefinition, string][] = [];
  let remaining = rest.trim();
  const pending = [...options];
  while (remaining !== '' && pending.length > 0) {
    const word = remaining.split(/\s+/)[0] as string;
    const flag = pending.find((option) => option.type === OptionType.Boolean && option.name === word.toLowerCase());
    // A word that is one of an option's choices ("/passage 1 reader-comment") fills that option wherever it stands.
    const choice = pending.find((option) => option.choices?.some((candidate) => candidate.value.toLowerCase() === word.toLowerCase()));
    if (flag || choice) {
      const chosen = (flag ?? choice) as OptionDefinition;
      pairs.push([chosen, flag ? 'true' : word]);
      pending.splice(pending.indexOf(chosen), 1);
      remaining = remaining.slice(word.length).trim();
      continue;
    }
    const option = pending.shift() as OptionDefinition;
    const freeText = (candidate: OptionDefinition) => candidate.type === OptionType.String && candidate.choices === undefined;
    const takesRest = freeText(option) && !pending.some(freeText);
    const value = takesRest ? remaining : word;
    pairs.push([option, value]);
    remaining = remaining.slice(value.length).trim();
  }
  if (remaining !== '') return { error: `too many arguments: “${remaining}”` };
  return pairs;
}

/** "article:week-3" at the end of a typed question (or before private:/to:) names a text; "the article: its point" is part of the question. */
function namesOneText(rest: string, marker: RegExpExecArray): boolean {
  return /^[a-z0-9-]+(?:\s+(?:private|to):|\s*$)/i.test(rest.slice((marker.index ?? 0) + marker[0].length).trimStart());
}

/** Parses a line that starts with "/" into a command and its options, asked by `invoker`. */
export function parseTextCommand(line: string, commands: readonly Command[], invoker: Invoker = LOCAL_INVOKER): ParsedCommand {
  const match = /^\/\s*([^\s]*)\s*([\s\S]*)$/.exec(line.trim());
  const name = match?.[1] ?? '';
  if (name === '') return { error: 'Type a command name after “/”, for example /help.' };
  const command = findCommand(slashCommands(commands), name);
  if (!command) return { error: `Unknown command /${name.slice(0, 40)}. Type /help to see the commands.` };

  let rest = match?.[2] ?? '';
  let own = command.definition.options ?? [];
  let subcommand: string | undefined;
  const subcommands = subcommandsOf(command);
  if (subcommands.length > 0) {
    const word = /^\S*/.exec(rest)?.[0].toLowerCase() ?? '';
    const chosen = subcommands.find((sub) => sub.name === word);
    if (!chosen) return { error: `/${command.definition.name} needs one of: ${subcommands.map((sub) => sub.name).join(', ')}. Usage: ${usageOf(command)}` };
    subcommand = chosen.name;
    own = chosen.options ?? [];
    rest = rest.slice(word.length).trimStart();
  }
  // Discord's own "private:" and "to:" of answering commands may be typed too; they mean nothing in text, so they are read and dropped.
  const adapter = command.answering ? TYPED_ADAPTER_OPTIONS.filter((extra) => !own.some((option) => option.name === extra.name)) : [];
  const definitions = [...own.filter((option) => option.type !== OptionType.User && option.type !== OptionType.Channel), ...adapter];
  // Positional words first, then name:value pairs: "/passage 9 context:true". Once typed text has begun
  // ("/ask What is the key question: oil or gas?"), a "name:" inside it is part of the text.
  let markers = namedMarkers(rest, definitions);
  // The text an `article:` names is given by name only: "/ask Why not? article:week-3".
  const positionalOnes = definitions.filter((option) => !adapter.includes(option) && option.name !== ARTICLE_OPTION);
  const typedBefore = positionalPairs(rest.slice(0, markers[0]?.index ?? rest.length), positionalOnes);
  // A typed question may end with Discord's own options: "/ask Why not? private:true".
  if (!('error' in typedBefore) && typedBefore.some(([option]) => option.type === OptionType.String)) {
    markers = markers.filter((marker) => adapter.some((extra) => extra.name === marker[1]) || (marker[1] === ARTICLE_OPTION && namesOneText(rest, marker)));
  }
  const named = namedPairs(rest, markers, definitions);
  const positional = positionalPairs(rest.slice(0, markers[0]?.index ?? rest.length), positionalOnes.filter((option) => !named.some(([given]) => given === option)));
  if ('error' in positional) return { error: `${capitalize(positional.error)}. Usage: ${usageOf(command)}` };
  const pairs = [...positional, ...named];

  const options: CommandOptions = {};
  for (const [option, raw] of pairs) {
    const value = convert(option, raw);
    if (typeof value === 'object') return { error: `${capitalize(value.error)}. Usage: ${usageOf(command)}` };
    options[option.name] = value;
  }
  for (const extra of adapter) delete options[extra.name];
  const missing = definitions.find((option) => option.required && (options[option.name] === undefined || options[option.name] === ''));
  if (missing) return { error: `/${command.definition.name} needs ${missing.name}. Usage: ${usageOf(command)}` };
  return { command, input: { options, invoker, ...(subcommand ? { subcommand } : {}) } };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
