/**
 * The one path every event that asks something takes, whether it came as an
 * interaction (slash command, menu, button, modal) or as a chat message (a DM
 * or a mention): cooldown → turn in the intake → command → render → send →
 * log. What a Reply asks for — a thread on the answer, a follow-up for the
 * one who acted, a modal (or its usage where none can be shown), files —
 * works the same from each; the Responder knows how its way sends.
 */
import { Routes } from 'discord.js';
import { invalidComponentText, StaleComponentError } from '../../commands/components.ts';
import type { CommandInput, Invoker } from '../../commands/types.ts';
import type { Reply } from '../../reply/reply.ts';
import { scopeFor, StoreWriteError } from '../../store/types.ts';
import { warnAtMostEveryMinute } from '../../log.ts';
import { slowDownText } from './cooldown.ts';
import { Limits } from './limits.ts';
import { truncate } from './markdown.ts';
import { apologyText, busyText, describedError, enter, handleEvent, produce, refusedContent, settle, stoppingText, undeliveredText, type EventKind, type Handling, type PipelineServices } from './pipeline.ts';
import { renderModal, renderNotice, renderReply, type RenderOptions } from './render.ts';
import type { DeferKind, Responder } from './respond.ts';


/** What a member is told when what they asked for lives in a database that cannot be reached. */
function storeUnreachableText(): string {
  return 'Footnote’s database cannot be reached at the moment, so notes, quizzes and reading plans cannot be read or changed. Questions are still answered. Please try again in a minute.';
}

/** One event's work, as the pipeline runs it. */
export interface Job {
  kind: EventKind;
  command: string;
  invoker: Invoker;
  /** How and with what visibility a slow answer is deferred. */
  defer: DeferKind;
  ephemeral: boolean;
  /** The click came from a message only the clicker sees: a private answer may replace it (a review card turning over). */
  onPrivateMessage?: boolean;
  /** What the cooldown counts this under: the user, unless a quick click has its own allowance. */
  cooldownKey?: string;
  /** For commands: what the test fault hook looks at. */
  input?: CommandInput;
  run: () => Reply | Promise<Reply>;
  render?: Omit<RenderOptions, 'buttons' | 'ephemeral'>;
  /** What may be shown where the answer goes: a chat message in a server cannot be private. */
  shown?: (reply: Reply, role: 'answer' | 'note') => Reply;
}

const AUTO_ARCHIVE_MINUTES = 1_440;
/** Refused interactions of one blocked stretch that are still told to slow down; later ones are dropped. */
const ANSWERED_REFUSALS = 3;

export async function answer(services: PipelineServices, reply: Responder, job: Job): Promise<void> {
  await handleEvent(services, job.kind, job.command, async (handling) => {
    const verdict = services.cooldown.take(job.cooldownKey ?? job.invoker.userId);
    if (!verdict.allowed) {
      handling.outcome = 'cooldown';
      // A chat gets it once per blocked stretch: answering every extra message would be spam. Interactions are
      // answered a few times, then dropped unanswered: a flood costs neither a reply nor memory nor a log line each.
      const answered = reply.answersEveryRefusal ? verdict.firstRefusal || (verdict.refusals ?? Infinity) <= ANSWERED_REFUSALS : verdict.firstRefusal;
      if (answered) await reply.send(renderNotice(slowDownText(verdict.retryAfterMs)));
      else handling.quiet = true;
      return;
    }
    reply.watch(job.defer, job.ephemeral);
    const tracked = { acknowledge: () => reply.acknowledge(), abandon: () => reply.abandon(renderNotice(stoppingText())) };
    const ticket = enter(services, tracked, reply.ageMs);
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
        } else if (settled.error instanceof StoreWriteError && settled.error.reason === 'unreachable') {
          handling.outcome = 'store-unavailable';
          // One warning a minute per process while it lasts, however many events meet it.
          warnAtMostEveryMinute(services.logger, settled.error, 'the database cannot be reached: notes, quizzes and reading plans are unavailable');
          await reply.send(renderNotice(storeUnreachableText()));
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
async function apologiseForUndelivered(services: PipelineServices, reply: Responder, handling: Handling, error: unknown): Promise<void> {
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
async function deliver(services: PipelineServices, reply: Responder, job: Job, produced: Reply): Promise<void> {
  const { components, context } = services.app;
  if (produced.modal) {
    // A modal can only be the first response, and only to an interaction: otherwise, say how to give the text instead.
    const modal = reply.modal && !reply.deferred ? renderModal(produced.modal, components) : undefined;
    await (modal && reply.modal ? reply.modal(modal) : reply.send(renderNotice(produced.modal.usage)));
    return;
  }
  const answer = job.shown ? job.shown(produced, 'answer') : produced;
  const message = renderReply(answer, { ...job.render, ephemeral: answer.private ?? job.ephemeral, buttons: { components, context } });
  if (job.defer === 'update' && (!message.ephemeral || job.onPrivateMessage === true)) {
    await reply.update(message);
  } else {
    await reply.send(message);
    if (answer.thread && !message.ephemeral) await openThread(services, reply, job.invoker, answer.thread);
  }
  // Text only, for the one who acted: no buttons, never a ping.
  if (answer.followUp) {
    const note = job.shown ? job.shown(answer.followUp, 'note') : answer.followUp;
    await reply.followUp(renderReply({ ...note, actions: [] }, { ephemeral: true }));
  }
}

/**
 * Starts a thread on the message just posted, and remembers a discussion's
 * paragraph; when Discord refuses (no permission to create threads there),
 * the asker is told instead.
 */
async function openThread(services: PipelineServices, reply: Responder, invoker: Invoker, thread: NonNullable<Reply['thread']>): Promise<void> {
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
