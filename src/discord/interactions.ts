/**
 * Interactions: slash commands, the message context menu, buttons and
 * autocomplete. Each is acknowledged within Discord's 3 s: answered directly
 * when the handler is fast, deferred and then edited when it is not.
 */
import { setTimeout as delay } from 'node:timers/promises';
import {
  ApplicationCommandOptionType,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type MessageContextMenuCommandInteraction,
  type RepliableInteraction,
} from 'discord.js';
import type { Reply } from '../answer/reply.ts';
import { findCommand, slashCommands } from '../commands/registry.ts';
import type { Command, CommandInput, CommandOptions } from '../commands/types.ts';
import { slowDownText } from './cooldown.ts';
import { decodeAction } from './custom-id.ts';
import { Limits } from './limits.ts';
import { renderNotice, renderReply, type DiscordMessage } from './render.ts';
import { deferInteraction, sendToInteraction } from './respond.ts';
import { apologyText, logEvent, newErrorId, runCommand, type EventKind, type Outcome, type Runtime } from './runtime.ts';
import { truncate } from './text.ts';

/** Options the adapter adds to answering commands (see deploy.ts); the handler never sees them. */
export const PRIVATE_OPTION = 'private';
export const TO_OPTION = 'to';

/** Latest moment to defer: Discord allows 3 s from creation; keep a margin for the network. */
const DEFER_BY_AGE_MS = 2_000;
const DEFER_AFTER_MS = 1_000;

export async function handleInteraction(runtime: Runtime, interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) return autocomplete(runtime, interaction);
  if (interaction.isChatInputCommand()) return slashCommand(runtime, interaction);
  if (interaction.isMessageContextMenuCommand()) return messageCommand(runtime, interaction);
  if (interaction.isButton()) return button(runtime, interaction);
  runtime.logger.debug({ type: interaction.type }, 'ignored an interaction of a kind Footnote does not use');
}

// ---- the shared answering path ---------------------------------------------------

interface Answering {
  kind: EventKind;
  command: string;
  /** Visibility to defer with, when the handler is slow. */
  ephemeral: boolean;
  produce: () => Promise<Reply>;
  render: (reply: Reply) => DiscordMessage;
}

type Settled = { ok: true; reply: Reply } | { ok: false; error: unknown };

function deferAfterMs(interaction: RepliableInteraction): number {
  const age = Date.now() - interaction.createdTimestamp;
  return Math.min(DEFER_AFTER_MS, Math.max(0, DEFER_BY_AGE_MS - age));
}

/** The handler's result, or undefined if it is not ready within `ms`. */
async function within(pending: Promise<Settled>, ms: number): Promise<Settled | undefined> {
  const timer = new AbortController();
  try {
    return await Promise.race([pending, delay(ms, undefined, { signal: timer.signal })]);
  } finally {
    timer.abort();
  }
}

async function answer(runtime: Runtime, interaction: RepliableInteraction, job: Answering): Promise<void> {
  const startedAt = Date.now();
  let outcome: Outcome = 'answered';
  let errorId: string | undefined;
  try {
    const verdict = runtime.cooldown.take(interaction.user.id);
    if (!verdict.allowed) {
      outcome = 'cooldown';
      await sendToInteraction(interaction, renderNotice(slowDownText(verdict.retryAfterMs)));
      return;
    }
    const pending: Promise<Settled> = job.produce().then(
      (reply) => ({ ok: true, reply }),
      (error: unknown) => ({ ok: false, error }),
    );
    let settled = await within(pending, deferAfterMs(interaction));
    if (settled === undefined) {
      outcome = 'deferred';
      await deferInteraction(interaction, job.ephemeral);
      settled = await pending;
    }
    if (!settled.ok) {
      outcome = 'handler-error';
      errorId = newErrorId();
      runtime.logger.error({ err: settled.error, errorId, kind: job.kind, command: job.command }, 'command handler failed');
      await sendToInteraction(interaction, renderNotice(apologyText(errorId)));
      return;
    }
    await sendToInteraction(interaction, job.render(settled.reply));
  } catch (error) {
    // A REST failure (5xx, 429 past its wait, network): logged; the bot goes on.
    outcome = 'rest-error';
    errorId ??= newErrorId();
    runtime.logger.error({ err: error, errorId, kind: job.kind, command: job.command }, 'could not answer an interaction');
  } finally {
    logEvent(runtime, { kind: job.kind, command: job.command, startedAt, outcome, ...(errorId ? { errorId } : {}) });
  }
}

/** For interactions that cannot be answered at all (unknown command, forged button). */
async function explain(runtime: Runtime, interaction: RepliableInteraction, kind: EventKind, command: string, outcome: Outcome, text: string): Promise<void> {
  const startedAt = Date.now();
  try {
    await sendToInteraction(interaction, renderNotice(text));
    logEvent(runtime, { kind, command, startedAt, outcome });
  } catch (error) {
    const errorId = newErrorId();
    runtime.logger.error({ err: error, errorId, kind, command }, 'could not answer an interaction');
    logEvent(runtime, { kind, command, startedAt, outcome: 'rest-error', errorId });
  }
}

// ---- slash commands ---------------------------------------------------------------

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

async function slashCommand(runtime: Runtime, interaction: ChatInputCommandInteraction): Promise<void> {
  const command = findCommand(slashCommands(runtime.app.commands), interaction.commandName);
  if (!command) {
    return explain(runtime, interaction, 'slash', interaction.commandName, 'unknown-command', 'That command is not available any more. Type /help to see the commands.');
  }
  const { input, ephemeral, forUser } = readOptions(interaction, command);
  return answer(runtime, interaction, {
    kind: 'slash',
    command: command.definition.name,
    ephemeral,
    produce: () => runCommand(runtime, command, input),
    render: (reply) => renderReply(reply, { ephemeral: ephemeral || Boolean(reply.private), ...(forUser === undefined ? {} : { forUser }) }),
  });
}

// ---- message context menu ------------------------------------------------------------

/** The selected message's words: its text, or its embeds' when it has none (e.g. one of our answers). */
function messageText(interaction: MessageContextMenuCommandInteraction): string {
  const message = interaction.targetMessage;
  if (message.content.trim() !== '') return message.content;
  return message.embeds.map((embed) => [embed.title, embed.description].filter(Boolean).join('\n')).join('\n');
}

async function messageCommand(runtime: Runtime, interaction: MessageContextMenuCommandInteraction): Promise<void> {
  const command = runtime.app.commands.find((candidate) => candidate.definition.type === 3 && candidate.definition.name === interaction.commandName);
  if (!command) {
    return explain(runtime, interaction, 'context-menu', interaction.commandName, 'unknown-command', 'That menu command is not available any more.');
  }
  const input: CommandInput = { options: {}, targetText: messageText(interaction) };
  return answer(runtime, interaction, {
    kind: 'context-menu',
    command: command.definition.name,
    ephemeral: false,
    produce: () => runCommand(runtime, command, input),
    render: (reply) => renderReply(reply),
  });
}

// ---- buttons ----------------------------------------------------------------------

async function button(runtime: Runtime, interaction: ButtonInteraction): Promise<void> {
  const action = decodeAction(interaction.customId);
  if (!action) {
    return explain(runtime, interaction, 'button', 'unknown', 'invalid-button', 'This button is out of date or was not made by Footnote, so it does nothing. Ask again with /ask to get fresh buttons.');
  }
  const { library } = runtime.app.context;
  return answer(runtime, interaction, {
    kind: 'button',
    command: action.kind,
    ephemeral: true,
    produce: async () => (action.kind === 'full-passage' ? library.passage(action.paragraph, { article: action.article }) : library.ask(action.question, { offset: action.offset })),
    // Full text and further pages are for the one who clicked; the channel keeps the original answer.
    render: (reply) => renderReply(reply, { ephemeral: true }),
  });
}

// ---- autocomplete -------------------------------------------------------------------

/** At most 25 choices with names and values of 1–100 characters, as Discord requires. */
export function sanitizeChoices(choices: readonly { name: string; value: string }[]): { name: string; value: string }[] {
  return choices
    .filter((choice) => choice.name.trim() !== '' && choice.value.trim() !== '')
    .slice(0, Limits.autocompleteChoices)
    .map((choice) => ({ name: truncate(choice.name, Limits.choiceName), value: truncate(choice.value, Limits.choiceValue) }));
}

async function autocomplete(runtime: Runtime, interaction: AutocompleteInteraction): Promise<void> {
  const startedAt = Date.now();
  const command = findCommand(slashCommands(runtime.app.commands), interaction.commandName);
  const name = command?.definition.name ?? interaction.commandName;
  let outcome: Outcome = 'answered';
  let errorId: string | undefined;
  let choices: { name: string; value: string }[] = [];
  try {
    const focused = interaction.options.getFocused(true);
    choices = sanitizeChoices(command?.autocomplete?.(focused.name, String(focused.value), runtime.app.context) ?? []);
  } catch (error) {
    // No suggestions is a fine answer; the user can still type the question.
    outcome = 'handler-error';
    errorId = newErrorId();
    runtime.logger.error({ err: error, errorId, kind: 'autocomplete', command: name }, 'autocomplete failed');
  }
  try {
    await interaction.respond(choices);
  } catch (error) {
    outcome = 'rest-error';
    errorId ??= newErrorId();
    runtime.logger.error({ err: error, errorId, kind: 'autocomplete', command: name }, 'could not answer an interaction');
  }
  logEvent(runtime, { kind: 'autocomplete', command: name, startedAt, outcome, ...(errorId ? { errorId } : {}) });
}
