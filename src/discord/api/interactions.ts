/**
 * Raw interactions (as Discord sends them, over the gateway or HTTP), routed
 * by type to the command or component that serves them: slash commands, the
 * message context menu, buttons, select menus, modal submissions and
 * autocomplete. Each then takes the pipeline's one path.
 */
import {
  ApplicationCommandType,
  ComponentType,
  InteractionType,
  Routes,
  type APIApplicationCommandAutocompleteInteraction,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIMessageApplicationCommandInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
} from 'discord.js';
import { invalidComponentText, StaleComponentError } from '../../commands/components.ts';
import { findCommand, messageCommands, slashCommands } from '../../commands/registry.ts';
import type { CommandInput, Component, ComponentInput, Invoker } from '../../commands/types.ts';
import type { Reply, ReplyAction } from '../../reply/reply.ts';
import { scopeFor } from '../../store/types.ts';
import { sanitizeChoices } from './choices.ts';
import { slowDownText } from './cooldown.ts';
import { interactionInvoker } from './invoker.ts';
import { Limits } from './limits.ts';
import { truncate } from './markdown.ts';
import { readOptions } from './options.ts';
import { snowflakeTime } from './deadlines.ts';
import {
  apologyText,
  busyText,
  describedError,
  enter,
  handleEvent,
  produce,
  refusedContent,
  settle,
  stoppingText,
  undeliveredText,
  type EventKind,
  type Handling,
  type Outcome,
  type PipelineServices,
} from './pipeline.ts';
import { renderModal, renderNotice, renderReply, type RenderOptions } from './render.ts';
import { InteractionReply, type DeferKind, type InteractionTransport } from './respond.ts';

/** One interaction's work, as the pipeline runs it. */
interface Job {
  kind: EventKind;
  command: string;
  invoker: Invoker;
  /** How and with what visibility a slow answer is deferred. */
  defer: DeferKind;
  ephemeral: boolean;
  /** For commands: what the test fault hook looks at. */
  input?: CommandInput;
  run: () => Reply | Promise<Reply>;
  render?: Omit<RenderOptions, 'buttons' | 'ephemeral'>;
}

const AUTO_ARCHIVE_MINUTES = 1_440;

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

// ---- the one path ---------------------------------------------------------------

async function answer(services: PipelineServices, reply: InteractionReply, job: Job): Promise<void> {
  await handleEvent(services, job.kind, job.command, async (handling) => {
    const verdict = services.cooldown.take(job.invoker.userId);
    if (!verdict.allowed) {
      handling.outcome = 'cooldown';
      await reply.send(renderNotice(slowDownText(verdict.retryAfterMs)));
      return;
    }
    reply.watch(job.defer, job.ephemeral);
    const tracked = { acknowledge: () => reply.acknowledge(), abandon: () => reply.abandon(renderNotice(stoppingText())) };
    const ticket = enter(services, tracked, Date.now() - snowflakeTime(reply.interaction.id));
    try {
      // Acknowledge first: a deferral now costs little, an answer after the 3 s costs the interaction.
      if (ticket.queued) reply.hurry();
      const turn = await ticket.turn;
      if (turn !== 'run') {
        await reply.takeOver();
        handling.outcome = turn === 'shed' ? 'shed' : 'stopping';
        await reply.send(renderNotice(turn === 'shed' ? busyText() : stoppingText()));
        return;
      }
      const settled = await settle(() => produce(services, job.run, job.input));
      ticket.release();
      if ((await reply.takeOver()) === 'deferred') handling.outcome = 'deferred';
      if (reply.closed) {
        handling.outcome = 'stopping';
        return;
      }
      if (!settled.ok) {
        if (settled.error instanceof StaleComponentError) {
          handling.outcome = 'invalid-button';
          await reply.send(renderNotice(invalidComponentText('forged')));
        } else {
          await reply.send(renderNotice(apologyText(handling.handlerFailed(settled.error))));
        }
        return;
      }
      await deliver(services, reply, job, settled.reply).catch((error: unknown) => apologiseForUndelivered(services, reply, handling, error));
    } finally {
      ticket.release();
      ticket.done();
    }
  });
}

/**
 * The answer could not be delivered: say so by the way still open — a
 * follow-up once the interaction was acknowledged, a first response if
 * Discord refused the answer itself in time — or log that no way is left.
 */
async function apologiseForUndelivered(services: PipelineServices, reply: InteractionReply, handling: Handling, error: unknown): Promise<void> {
  const errorId = handling.sendFailed(error);
  const notice = renderNotice(undeliveredText(errorId));
  try {
    if (reply.deferred) await reply.followUp(notice);
    else if (refusedContent(error)) await reply.send(notice);
    else services.logger.warn({ errorId }, 'the interaction was not acknowledged in time: nothing more can be sent for it');
  } catch (second) {
    services.logger.error({ err: describedError(second), errorId }, 'could not send the apology either');
  }
}

/** Render → send: a modal, an update of the clicked message, or a message (with a thread started on it). */
async function deliver(services: PipelineServices, reply: InteractionReply, job: Job, answer: Reply): Promise<void> {
  const { components, context } = services.app;
  if (answer.modal) {
    // A modal can only be the first response: after a deferral, say how to give the text instead.
    const modal = reply.deferred ? undefined : renderModal(answer.modal, components);
    await (modal ? reply.modal(modal) : reply.send(renderNotice(answer.modal.usage)));
    return;
  }
  const message = renderReply(answer, { ...job.render, ephemeral: answer.private ?? job.ephemeral, buttons: { components, context } });
  if (job.defer === 'update' && !message.ephemeral) {
    await reply.update(message);
  } else {
    await reply.send(message);
    if (answer.thread && !message.ephemeral) await openThread(services, reply, job.invoker, answer.thread);
  }
  // Text only, for the one who acted: no buttons, never a ping.
  if (answer.followUp) await reply.followUp(renderReply({ ...answer.followUp, actions: [] }, { ephemeral: true }));
}

/**
 * Starts a thread on the message just posted, and remembers a discussion's
 * paragraph; when Discord refuses (no permission to create threads there),
 * the asker is told privately instead.
 */
async function openThread(services: PipelineServices, reply: InteractionReply, invoker: Invoker, thread: NonNullable<Reply['thread']>): Promise<void> {
  const { store, clock, logger } = services.app.context;
  let created: { id: string };
  try {
    const posted = await reply.postedMessage();
    created = (await reply.rest.post(Routes.threads(posted.channel_id, posted.id), {
      body: { name: truncate(thread.name, Limits.threadName), auto_archive_duration: AUTO_ARCHIVE_MINUTES },
    })) as { id: string };
  } catch (error) {
    logger.warn({ err: error }, 'could not open a thread');
    await reply.followUp(renderNotice(`I could not open a thread on that message: ${threadRefusal(error)} The passage is posted; discuss it here.`));
    return;
  }
  // The thread is open either way; without this record, questions in it simply rank as anywhere else.
  if (thread.discussion) {
    await store.discussions
      .add({ scope: scopeFor(invoker), threadId: created.id, startedBy: invoker.userId, ...thread.discussion }, clock.now())
      .catch((error: unknown) => logger.warn({ err: error }, 'could not remember the discussion thread'));
  }
}

/** Why Discord would not open the thread, in words a member can act on. */
function threadRefusal(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 50013) return 'I need the Create Public Threads permission in this channel.';
  if (code === 50001) return 'I cannot see this channel (Missing Access).';
  if (code === 160004) return 'that message already has a thread.';
  return 'Discord refused it.';
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
  const input: CommandInput = { options: read.options, invoker, ...(read.subcommand ? { subcommand: read.subcommand } : {}) };
  return answer(services, reply, {
    kind: 'slash',
    command: command.definition.name,
    invoker,
    defer: 'message',
    ephemeral: read.ephemeral,
    input,
    run: () => command.handle(input, app.context),
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
  return answer(services, reply, { kind: 'context-menu', command: command.definition.name, invoker, defer: 'message', ephemeral: false, input, run: () => command.handle(input, app.context) });
}

// ---- components -------------------------------------------------------------------

/** A decoded component and its action, or the reason it cannot be served (already explained to the user). */
async function decodeOrExplain(services: PipelineServices, reply: InteractionReply, kind: EventKind, customId: unknown): Promise<{ component: Component; action: ReplyAction } | undefined> {
  const decoded = typeof customId === 'string' ? services.app.components.decode(customId) : ({ ok: false, reason: 'forged' } as const);
  if (decoded.ok) return decoded;
  await explain(services, reply, kind, 'unknown', 'invalid-button', invalidComponentText(decoded.reason));
  return undefined;
}

function componentJob(services: PipelineServices, kind: EventKind, component: Component, action: ReplyAction, input: ComponentInput): Job {
  const visibility = component.answer ?? 'private';
  return {
    kind,
    command: component.kind,
    invoker: input.invoker,
    defer: visibility === 'update' ? 'update' : 'message',
    ephemeral: visibility === 'private',
    run: () => component.handle(action, input, services.app.context),
  };
}

async function component(services: PipelineServices, raw: APIMessageComponentInteraction, reply: InteractionReply): Promise<void> {
  const kind: EventKind = raw.data.component_type === ComponentType.Button ? 'button' : 'select';
  const found = await decodeOrExplain(services, reply, kind, raw.data.custom_id);
  if (!found) return;
  const values = 'values' in raw.data ? raw.data.values : undefined;
  const input: ComponentInput = { invoker: interactionInvoker(raw), ...(values ? { values } : {}) };
  return answer(services, reply, componentJob(services, kind, found.component, found.action, input));
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
      if (focused && command?.autocomplete) choices = sanitizeChoices(await command.autocomplete(focused.name, focused.value, app.context));
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
