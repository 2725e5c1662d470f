/**
 * Every command, button and modal is run through here, so each reads the
 * text it was asked about: a command with an `article` option reads that
 * text (or the server's default), a button that carries an article reads the
 * same one again, any other button the server's default. Commands that read
 * no text (/help, the topic commands of the built-in article) read the
 * built-in library.
 */
import { ARTICLE_OPTION, OptionType, type Command, type CommandContext, type CommandInput, type Component, type ComponentInput, type Invoker, type OptionChoice, type OptionDefinition } from '../commands/types.ts';
import { textReply, type Reply, type ReplyAction } from '../reply/reply.ts';
import { displaySafe } from '../reply/sanitize.ts';
import { scopeFor, type Scope } from '../store/types.ts';
import type { Resolved } from './catalog.ts';

export { ARTICLE_OPTION };

/** The `article:` option every command that reads a text offers, with autocomplete from the server's texts and the built-in ones. */
export const articleOption: OptionDefinition = {
  type: OptionType.String,
  name: ARTICLE_OPTION,
  description: 'Which text (default: the server’s chosen text)',
  autocomplete: true,
  max_length: 60,
};

/** Where a person's texts are: their server's, or (a DM, the terminal) their own scope, which holds the built-in library and any text the terminal added. */
export function textScope(invoker: Invoker): Scope {
  return scopeFor(invoker);
}

function readsArticle(options: readonly OptionDefinition[] | undefined): boolean {
  return (options ?? []).some((option) => option.name === ARTICLE_OPTION || readsArticle(option.options));
}

export function runCommand(command: Command, input: CommandInput, context: CommandContext): Reply | Promise<Reply> {
  if (!command.readsText && !readsArticle(command.definition.options)) return command.handle(input, context);
  const slug = input.options[ARTICLE_OPTION];
  return inScope(context, input.invoker, typeof slug === 'string' ? slug : undefined, (scoped) => command.handle(input, scoped));
}

/**
 * A button that carries its article reads that one; any other reads the
 * server's default text, which is what its message was about. A button whose
 * text is gone is left to its handler, which says the button is out of date.
 */
export async function runComponent(component: Component, action: ReplyAction, input: ComponentInput, context: CommandContext): Promise<Reply> {
  const slug = (action as { article?: unknown }).article;
  const named = typeof slug === 'string' ? slug : undefined;
  const scope = textScope(input.invoker);
  const resolved = context.texts.resolveKnown(scope, named, context.library) ?? (await context.texts.resolve(scope, named, context.library));
  return component.handle(action, input, 'library' in resolved && resolved.library !== context.library ? { ...context, library: resolved.library } : context);
}

/** The context for a record's article (a quiz's, a plan's): its text when it is still there, else the context as it is. */
export async function contextFor(context: CommandContext, invoker: Invoker, slug: string): Promise<CommandContext> {
  if (context.library.article(slug)) return context;
  const resolved = await context.texts.resolve(textScope(invoker), slug);
  return 'library' in resolved ? { ...context, library: resolved.library } : context;
}

/** Autocomplete: the `article` option is answered here for every command; other options by the command. */
export async function suggest(command: Command, option: string, partial: string, invoker: Invoker, context: CommandContext): Promise<OptionChoice[]> {
  if (option === ARTICLE_OPTION) return context.texts.choices(textScope(invoker), partial);
  return (await command.autocomplete?.(option, partial, context, invoker)) ?? [];
}

function inScope(context: CommandContext, invoker: Invoker, slug: string | undefined, run: (context: CommandContext) => Reply | Promise<Reply>): Reply | Promise<Reply> {
  const scope = textScope(invoker);
  // Most commands need no store read to know their text: they run at once, as they did before servers had texts.
  const known = context.texts.resolveKnown(scope, slug, context.library);
  if (known) return runResolved(context, known, run);
  return context.texts.resolve(scope, slug, context.library).then((resolved) => runResolved(context, resolved, run));
}

function runResolved(context: CommandContext, resolved: Resolved, run: (context: CommandContext) => Reply | Promise<Reply>): Reply | Promise<Reply> {
  if (!('library' in resolved)) return notReadable(resolved);
  return run(resolved.library === context.library ? context : { ...context, library: resolved.library });
}

/** Why a named text cannot be read: there is none by that name here, or the store cannot be reached now. */
export function notReadable(resolved: { unknown: string } | { unreachable: string }): Reply {
  if ('unknown' in resolved) {
    return textReply('error', 'No such text', [`There is no text “${displaySafe(resolved.unknown)}” here. /text list shows the texts you can read.`], { private: true });
  }
  return textReply(
    'error',
    'Texts cannot be read now',
    [`Footnote’s database cannot be reached at the moment, so “${displaySafe(resolved.unreachable)}” cannot be read. Please try again shortly; the built-in texts still answer.`],
    { private: true },
  );
}
