/**
 * Raw interactions (as Discord sends them, over the gateway or HTTP), routed
 * by type to the command or component that serves them: slash commands, the
 * message context menu, buttons, select menus, modal submissions and
 * autocomplete. Each then takes the pipeline's one path.
 */
import {
  ApplicationCommandType,
  ComponentType,
  MessageFlags,
  InteractionType,
  type APIApplicationCommandAutocompleteInteraction,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIMessageApplicationCommandInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
} from 'discord.js';
import { invalidComponentText } from '../../commands/components.ts';
import { findCommand, messageCommands, slashCommands } from '../../commands/registry.ts';
import type { CommandInput, Component, ComponentInput } from '../../commands/types.ts';
import type { ReplyAction } from '../../reply/reply.ts';
import { sanitizeChoices } from './choices.ts';
import { interactionInvoker } from './invoker.ts';
import { readOptions } from './options.ts';
import { quickKey } from './cooldown.ts';
import { handleEvent, type EventKind, type Outcome, type PipelineServices } from './pipeline.ts';
import { renderNotice } from './render.ts';
import { InteractionReply, type InteractionTransport } from './respond.ts';
import { answer, type Job } from './answer.ts';
import { runCommand, runComponent, suggest } from '../../texts/run.ts';

export async function routeInteraction(services: PipelineServices, raw: APIInteraction, transport: InteractionTransport): Promise<void> {
  const reply = new InteractionReply(raw, transport);
  switch (raw.type) {
    case InteractionType.ApplicationCommand:
      if (raw.data.type === ApplicationCommandType.ChatInput) return slashCommand(services, raw as APIChatInputApplicationCommandInteraction, reply);
      if (raw.data.type === ApplicationCommandType.Message) return messageCommand(services, raw as APIMessageApplicationCommandInteraction, reply);
      break;
    case InteractionType.MessageComponent:
      return component(services, raw, reply);
    case InteractionType.ModalSubmit:
      return modalSubmit(services, raw, reply);
    case InteractionType.ApplicationCommandAutocomplete:
      return autocomplete(services, raw, reply);
  }
  services.logger.debug({ type: raw.type }, 'ignored an interaction of a kind Footnote does not use');
}

/** For interactions that cannot be answered at all (unknown command, forged button, forged option). */
async function explain(services: PipelineServices, reply: InteractionReply, kind: EventKind, command: string, outcome: Outcome, text: string): Promise<void> {
  await handleEvent(services, kind, command, async (handling) => {
    handling.outcome = outcome;
    await reply.send(renderNotice(text));
  });
}

// ---- commands ---------------------------------------------------------------------

async function slashCommand(services: PipelineServices, raw: APIChatInputApplicationCommandInteraction, reply: InteractionReply): Promise<void> {
  const { app } = services;
  const command = findCommand(slashCommands(app.commands), raw.data.name);
  if (!command) return explain(services, reply, 'slash', raw.data.name, 'unknown-command', 'That command is not available any more. Type /help to see the commands.');
  const read = readOptions(raw.data, command);
  if (read.problem) return explain(services, reply, 'slash', command.definition.name, 'invalid-input', read.problem);
  const invoker = interactionInvoker(raw);
  const input: CommandInput = { options: read.options, invoker, ...(read.subcommand ? { subcommand: read.subcommand } : {}), ...(read.attachments ? { attachments: read.attachments } : {}) };
  return answer(services, reply, {
    kind: 'slash',
    command: command.definition.name,
    invoker,
    defer: 'message',
    ephemeral: read.ephemeral || command.private === true,
    input,
    run: () => runCommand(command, input, app.context),
    render: read.forUser === undefined ? {} : { forUser: read.forUser },
  });
}

/** The selected message's words: its text, or its embeds' when it has none (e.g. one of our answers). */
function targetText(raw: APIMessageApplicationCommandInteraction): string {
  const message = raw.data.resolved.messages[raw.data.target_id];
  if (!message) return '';
  if (message.content.trim() !== '') return message.content;
  return message.embeds.map((embed) => [embed.title, embed.description].filter(Boolean).join('\n')).join('\n');
}

async function messageCommand(services: PipelineServices, raw: APIMessageApplicationCommandInteraction, reply: InteractionReply): Promise<void> {
  const { app } = services;
  const command = messageCommands(app.commands).find((candidate) => candidate.definition.name === raw.data.name);
  if (!command) return explain(services, reply, 'context-menu', raw.data.name, 'unknown-command', 'That menu command is not available any more.');
  const invoker = interactionInvoker(raw);
  const input: CommandInput = { options: {}, targetText: targetText(raw), invoker };
  return answer(services, reply, { kind: 'context-menu', command: command.definition.name, invoker, defer: 'message', ephemeral: false, input, run: () => runCommand(command, input, app.context) });
}

// ---- components -------------------------------------------------------------------

/** A decoded component and its action, or the reason it cannot be served (already explained to the user). */
async function decodeOrExplain(services: PipelineServices, reply: InteractionReply, kind: EventKind, customId: unknown): Promise<{ component: Component; action: ReplyAction } | undefined> {
  const decoded = typeof customId === 'string' ? services.app.components.decode(customId) : ({ ok: false, reason: 'forged' } as const);
  if (decoded.ok) return decoded;
  await explain(services, reply, kind, 'unknown', 'invalid-button', invalidComponentText(decoded.reason));
  return undefined;
}

function componentJob(services: PipelineServices, kind: EventKind, component: Component, action: ReplyAction, input: ComponentInput, onPrivateMessage = false): Job {
  const visibility = component.answer ?? 'private';
  return {
    kind,
    command: component.kind,
    invoker: input.invoker,
    defer: visibility === 'update' ? 'update' : 'message',
    ephemeral: visibility === 'private',
    onPrivateMessage,
    ...(component.quick ? { cooldownKey: quickKey(input.invoker.userId) } : {}),
    run: () => runComponent(component, action, input, services.app.context),
  };
}

async function component(services: PipelineServices, raw: APIMessageComponentInteraction, reply: InteractionReply): Promise<void> {
  const kind: EventKind = raw.data.component_type === ComponentType.Button ? 'button' : 'select';
  const found = await decodeOrExplain(services, reply, kind, raw.data.custom_id);
  if (!found) return;
  const values = 'values' in raw.data ? raw.data.values : undefined;
  const input: ComponentInput = { invoker: interactionInvoker(raw), ...(values ? { values } : {}) };
  const onPrivateMessage = ((raw.message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
  return answer(services, reply, componentJob(services, kind, found.component, found.action, input, onPrivateMessage));
}

/** The text inputs of a submitted modal, by their custom_id. */
function modalFields(raw: APIModalSubmitInteraction): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const row of raw.data.components ?? []) {
    const inputs = 'components' in row ? row.components : 'component' in row ? [row.component] : [];
    for (const input of inputs as { custom_id?: unknown; value?: unknown }[]) {
      if (typeof input.custom_id === 'string' && typeof input.value === 'string') fields[input.custom_id] = input.value;
    }
  }
  return fields;
}

async function modalSubmit(services: PipelineServices, raw: APIModalSubmitInteraction, reply: InteractionReply): Promise<void> {
  const found = await decodeOrExplain(services, reply, 'modal', raw.data.custom_id);
  if (!found) return;
  const input: ComponentInput = { invoker: interactionInvoker(raw), fields: modalFields(raw) };
  return answer(services, reply, componentJob(services, 'modal', found.component, found.action, input));
}

// ---- autocomplete -----------------------------------------------------------------

/** The command's own suggestions, answered at once; no suggestions is a fine answer when they fail. */
async function autocomplete(services: PipelineServices, raw: APIApplicationCommandAutocompleteInteraction, reply: InteractionReply): Promise<void> {
  const { app } = services;
  const command = findCommand(slashCommands(app.commands), raw.data.name);
  await handleEvent(services, 'autocomplete', command?.definition.name ?? raw.data.name, async (handling) => {
    let choices: { name: string; value: string }[] = [];
    try {
      const focused = focusedOption(raw);
      if (focused && command) choices = sanitizeChoices(await suggest(command, focused.name, focused.value, interactionInvoker(raw), app.context));
    } catch (error) {
      handling.handlerFailed(error);
    }
    await reply.choices(choices);
  });
}

function focusedOption(raw: APIApplicationCommandAutocompleteInteraction): { name: string; value: string } | undefined {
  const stack = [...(raw.data.options ?? [])] as { name: string; value?: unknown; focused?: boolean; options?: unknown[] }[];
  while (stack.length > 0) {
    const option = stack.shift() as (typeof stack)[number];
    if (option.focused) return { name: option.name, value: String(option.value ?? '') };
    if (Array.isArray(option.options)) stack.push(...(option.options as typeof stack));
  }
  return undefined;
}
