/**
 * One interaction received over HTTP, as the pipeline's InteractionTransport.
 * The first response is the HTTP response itself; everything after it goes
 * through the interaction's webhook over REST, as from the gateway.
 *
 * A handler slower than about a second is deferred by answering the pending
 * HTTP request with "thinking…" (type 5, or 6 for a component that updates its
 * message), so Discord's 3 s hold; the answer then edits it. A handler that
 * blocks this thread for seconds cannot be rescued here (no timer runs): the
 * gateway's watchdog thread can only defer over REST, which an HTTP
 * interaction does not allow before its HTTP response.
 */
import type { ServerResponse } from 'node:http';
import { InteractionResponseType, MessageFlags, Routes, type APIInteractionResponse } from 'discord.js';
import type { ReplyFile } from '../../reply/reply.ts';
import { rawFiles, type DeferKind, type InteractionTransport, type Rest, type Watch } from '../api/respond.ts';

/** Deferred this long after it arrived unless answered... */
const DEFER_AFTER_MS = 1_000;
/** ...and at the latest this long after Discord created it, leaving time for the response to travel. */
const DEFER_BY_AGE_MS = 2_000;
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

export interface ReceivedInteraction {
  id: string;
  token: string;
  application_id: string;
}

/** When Discord created it, from its snowflake id (now if the id is not one). */
function createdAt(id: string, now: number): number {
  return /^\d{1,20}$/.test(id) ? Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS) : now;
}

export function deferDelay(id: string, receivedAt: number, now = Date.now()): number {
  return Math.max(0, Math.min(receivedAt + DEFER_AFTER_MS, createdAt(id, receivedAt) + DEFER_BY_AGE_MS) - now);
}

function deferral(kind: DeferKind, ephemeral: boolean): APIInteractionResponse {
  if (kind === 'update') return { type: InteractionResponseType.DeferredMessageUpdate };
  return { type: InteractionResponseType.DeferredChannelMessageWithSource, data: ephemeral ? { flags: MessageFlags.Ephemeral } : {} };
}

export class HttpExchange {
  readonly transport: InteractionTransport;
  private state: 'pending' | 'answered' | 'deferred' = 'pending';
  private timer: NodeJS.Timeout | undefined;
  private deferred: Promise<void> | undefined;

  constructor(
    private readonly interaction: ReceivedInteraction,
    private readonly response: ServerResponse,
    private readonly rest: Rest,
    private readonly receivedAt = Date.now(),
  ) {
    this.transport = {
      applicationId: interaction.application_id,
      rest,
      callback: (body, files) => this.callback(body, files),
      watch: (kind, ephemeral) => this.watch(kind, ephemeral),
    };
  }

  /** Whether the HTTP response went out (an answer or a deferral). */
  get answered(): boolean {
    return this.state !== 'pending';
  }

  /** After routing: stops the watch; a request still unanswered gets a 500, which Discord shows as a failed interaction. */
  finish(): void {
    clearTimeout(this.timer);
    if (this.state === 'pending') {
      this.state = 'answered';
      this.write(500, { error: 'the interaction was not answered' }).catch(() => {});
    }
  }

  private async callback(body: APIInteractionResponse, files?: readonly ReplyFile[]): Promise<void> {
    if (this.state !== 'pending') throw new Error('the interaction was already answered');
    clearTimeout(this.timer);
    const attached = rawFiles(files);
    if (!attached || body.type !== InteractionResponseType.ChannelMessageWithSource) {
      this.state = 'answered';
      await this.write(200, body);
      return;
    }
    // Discord refuses files in an HTTP response: defer, then post the message with its files through the webhook.
    const { flags, ...message } = (body.data ?? {}) as Record<string, unknown> & { flags?: number; allowed_mentions?: { users?: string[] } };
    const ephemeral = ((flags ?? 0) & MessageFlags.Ephemeral) !== 0;
    this.state = 'deferred';
    await this.write(200, deferral('message', ephemeral));
    const original = Routes.webhookMessage(this.interaction.application_id, this.interaction.token, '@original');
    if ((message.allowed_mentions?.users?.length ?? 0) > 0) {
      // An edit notifies no one; a message that must ping someone replaces the deferral with a follow-up.
      await this.rest.delete(original, { auth: false });
      await this.rest.post(Routes.webhook(this.interaction.application_id, this.interaction.token), { body: body.data, files: attached, auth: false });
      return;
    }
    await this.rest.patch(original, { body: message, files: attached, auth: false });
  }

  private watch(kind: DeferKind, ephemeral: boolean): Watch {
    if (this.state === 'pending') {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.deferNow(kind, ephemeral), deferDelay(this.interaction.id, this.receivedAt));
    }
    return {
      takeOver: async () => {
        clearTimeout(this.timer);
        if (this.state !== 'deferred' || !this.deferred) return 'direct';
        await this.deferred;
        return 'deferred';
      },
    };
  }

  private deferNow(kind: DeferKind, ephemeral: boolean): void {
    if (this.state !== 'pending') return;
    this.state = 'deferred';
    this.deferred = this.write(200, deferral(kind, ephemeral));
    // Awaited by takeOver; a failure is reported there, not as an unhandled rejection.
    this.deferred.catch(() => {});
  }

  /** Writes the HTTP response; resolves once it is handed to the network, rejects if Discord hung up first. */
  private write(status: number, body: unknown): Promise<void> {
    const response = this.response;
    return new Promise((resolve, reject) => {
      if (response.destroyed || response.writableEnded) {
        reject(new Error('Discord closed the interaction request before it was answered'));
        return;
      }
      const text = JSON.stringify(body);
      response.once('close', () => {
        if (!response.writableFinished) reject(new Error('Discord closed the interaction request before the answer was sent'));
      });
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text, () => resolve());
    });
  }
}
