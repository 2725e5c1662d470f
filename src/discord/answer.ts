/**
 * Answering an interaction within Discord's 3 s: the cooldown, the handler
 * watched by the deferral watchdog (answered directly when fast, deferred and
 * then edited when slow, even if it blocks the thread), and an apology with
 * an error id when it throws.
 */
import type { RepliableInteraction } from 'discord.js';
import type { Reply } from '../reply/reply.ts';
import { slowDownText } from './cooldown.ts';
import { renderNotice, type DiscordMessage } from './render.ts';
import { sendToInteraction } from './respond.ts';
import { apologyText, handleEvent, type EventKind, type Outcome, type Runtime } from './runtime.ts';

export interface Answering {
  kind: EventKind;
  command: string;
  /** Visibility to defer with, when the handler is slow. */
  ephemeral: boolean;
  produce: () => Promise<Reply>;
  render: (reply: Reply) => DiscordMessage;
}

type Settled = { ok: true; reply: Reply } | { ok: false; error: unknown };

async function settle(produce: () => Promise<Reply>): Promise<Settled> {
  try {
    return { ok: true, reply: await produce() };
  } catch (error) {
    return { ok: false, error };
  }
}

export async function answer(runtime: Runtime, interaction: RepliableInteraction, job: Answering): Promise<void> {
  await handleEvent(runtime, job.kind, job.command, async (handling) => {
    const verdict = runtime.cooldown.take(interaction.user.id);
    if (!verdict.allowed) {
      handling.outcome = 'cooldown';
      await sendToInteraction(interaction, renderNotice(slowDownText(verdict.retryAfterMs)));
      return;
    }
    const watch = runtime.watchdog.watch(interaction, job.ephemeral);
    const settled = await settle(job.produce);
    if ((await watch.takeOver()) === 'deferred') handling.outcome = 'deferred';
    if (!settled.ok) {
      await sendToInteraction(interaction, renderNotice(apologyText(handling.handlerFailed(settled.error))));
      return;
    }
    await sendToInteraction(interaction, job.render(settled.reply));
  });
}

/** For interactions that cannot be answered at all (unknown command, forged button). */
export async function explain(runtime: Runtime, interaction: RepliableInteraction, kind: EventKind, command: string, outcome: Outcome, text: string): Promise<void> {
  await handleEvent(runtime, kind, command, async (handling) => {
    handling.outcome = outcome;
    await sendToInteraction(interaction, renderNotice(text));
  });
}
