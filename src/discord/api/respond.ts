/**
 * Answering one interaction, whatever carries it: the transport sends the
 * first response (over REST from the gateway, or as the HTTP response of an
 * interactions endpoint); everything after goes through the interaction's
 * webhook. This keeps track of what was sent, so each message goes the one
 * way Discord accepts at that point.
 */
import { InteractionResponseType, MessageFlags, Routes, type APIInteractionResponse, type RawFile, type RequestData, type RouteLike } from 'discord.js';
import type { OptionChoice } from '../../commands/types.ts';
import { contentTypeOf, type ReplyFile } from '../../reply/reply.ts';
import { snowflakeTime } from './deadlines.ts';
import { messageBody, type DiscordMessage } from './render.ts';

/** The part of discord.js's REST client the pipeline uses; tests and other transports may supply their own. */
export interface Rest {
  get(route: RouteLike, options?: RequestData): Promise<unknown>;
  post(route: RouteLike, options?: RequestData): Promise<unknown>;
  patch(route: RouteLike, options?: RequestData): Promise<unknown>;
  delete(route: RouteLike, options?: RequestData): Promise<unknown>;
}

export interface Watch {
  /**
   * Takes the interaction over from the deferral watch: 'direct' if nothing
   * was sent yet, so the caller answers it; 'deferred' once a deferral went
   * through. Rejects if Discord refused the deferral.
   */
  takeOver(): Promise<'direct' | 'deferred'>;
  /**
   * Asks for the deferral at once rather than at the deadline (the work is
   * queued). A hint: an answer that starts first still goes directly. A
   * transport without it is acknowledged by `InteractionReply.acknowledge`.
   */
  deferNow?(): void;
}

/** How a slow answer is deferred: a "thinking…" message, or (for a component) an update still to come. */
export type DeferKind = 'message' | 'update';

/** What a transport provides for one interaction. */
export interface InteractionTransport {
  applicationId: string;
  /** Sends the first response; a transport stops trying at the interaction's 3 s deadline. */
  callback(body: APIInteractionResponse, files?: readonly ReplyFile[]): Promise<void>;
  /** REST for anything beside the interaction (threads), under the bot's global rate limit. */
  rest: Rest;
  /** REST for the interaction's webhook (edits, follow-ups), which Discord exempts from the global rate limit; `rest` if absent. */
  webhook?: Rest;
  /** Defers the interaction unless an answer starts before its deadline. */
  watch(kind: DeferKind, ephemeral: boolean): Watch;
}

/** The first response that says "an answer is coming": "thinking…", or a silent acknowledgement of a click. */
export function deferralBody(kind: DeferKind, ephemeral: boolean): APIInteractionResponse {
  return kind === 'update'
    ? { type: InteractionResponseType.DeferredMessageUpdate }
    : { type: InteractionResponseType.DeferredChannelMessageWithSource, data: ephemeral ? { flags: MessageFlags.Ephemeral } : {} };
}

export function rawFiles(files: readonly ReplyFile[] | undefined): RawFile[] | undefined {
  return files && files.length > 0
    ? files.map((file) => ({ name: file.name, data: typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : Buffer.from(file.content), contentType: contentTypeOf(file) }))
    : undefined;
}

/** The body of a webhook edit: visibility is fixed by the first response, so no flags. */
function editBody(message: DiscordMessage): Record<string, unknown> {
  const { flags: _flags, ...body } = messageBody(message);
  return body;
}

/**
 * What the one path (./answer.ts) needs from whatever the answer goes back
 * through: an interaction (InteractionReply) or a chat message (MessageReply).
 */
export interface Responder {
  /** A deferral went out: the answer is an edit of it. */
  readonly deferred: boolean;
  /** Given up on (the bot is stopping): whatever the work sends later is dropped. */
  readonly closed: boolean;
  /** An interaction fails unless every one is answered; a chat message is told of a cooldown once per stretch. */
  readonly answersEveryRefusal: boolean;
  /** How long the event waited before it reached the bot, for the intake's shedding. */
  readonly ageMs: number;
  /** REST for calls beside the answer (threads). */
  readonly rest: Rest;
  watch(kind: DeferKind, ephemeral: boolean): void;
  hurry(): void;
  acknowledge(): Promise<void>;
  abandon(message: DiscordMessage): Promise<void>;
  takeOver(): Promise<'direct' | 'deferred'>;
  send(message: DiscordMessage): Promise<void>;
  update(message: DiscordMessage): Promise<void>;
  followUp(message: DiscordMessage): Promise<void>;
  /** Absent where no modal can be shown (a chat message): the modal's usage is sent instead. */
  modal?(data: Extract<APIInteractionResponse, { type: InteractionResponseType.Modal }>['data']): Promise<void>;
  postedMessage(): Promise<{ id: string; channel_id: string }>;
}

export class InteractionReply implements Responder {
  readonly answersEveryRefusal = true;
  /** A deferral (ours or the watch's) went out: the answer is an edit of it. */
  deferred = false;
  /** The deferral's visibility. */
  deferredEphemeral = false;
  /** The deferral was an update of the component's message, not a new message. */
  deferredUpdate = false;
  /** Given up on (the bot is stopping): whatever the work sends later is dropped. */
  closed = false;
  private watching: { watch: Watch; kind: DeferKind; ephemeral: boolean } | undefined;
  private claim: Promise<'direct' | 'deferred'> | undefined;
  private deferral: Promise<'direct' | 'deferred'> | undefined;
  /** The first response (an answer or a deferral) has been handed to the transport. */
  private responding = false;

  constructor(
    readonly interaction: { id: string; token: string },
    private readonly transport: InteractionTransport,
  ) {}

  /** From the interaction id, a time-based snowflake. */
  get ageMs(): number {
    return Date.now() - snowflakeTime(this.interaction.id);
  }

  /** Starts the transport's deferral watch: a slow answer is deferred as `kind`, with this visibility. */
  watch(kind: DeferKind, ephemeral: boolean): void {
    this.watching = { watch: this.transport.watch(kind, ephemeral), kind, ephemeral };
  }

  /** Takes the interaction over from the watch (once): 'deferred' if a deferral went out, ours or the watch's. */
  takeOver(): Promise<'direct' | 'deferred'> {
    return this.deferral ?? this.claimed();
  }

  /** The work is queued: defers at once, through the watch when it can (off the main thread), else here. */
  hurry(): void {
    const watch = this.watching?.watch;
    if (watch?.deferNow) watch.deferNow();
    // A failed deferral is reported by takeOver.
    else this.acknowledge().catch(() => {});
  }

  /**
   * Acknowledges now with a deferral (the work is queued, or the bot is
   * stopping), unless the watch already deferred or an answer is on its way.
   */
  acknowledge(): Promise<void> {
    const watching = this.watching;
    if (!watching || this.responding) return Promise.resolve();
    this.deferral ??= this.claimed().then(async (taken) => {
      if (taken === 'deferred') return taken;
      if (this.responding) return taken;
      await this.respond(deferralBody(watching.kind, watching.ephemeral));
      this.noteDeferral(watching.kind, watching.ephemeral);
      return 'deferred' as const;
    });
    return this.deferral.then(() => undefined);
  }

  /** Replaces the deferral with `message` and drops anything sent later; for a bot that is stopping. */
  async abandon(message: DiscordMessage): Promise<void> {
    if (this.closed) return;
    await this.acknowledge();
    this.closed = true;
    await this.sendNow(message);
  }

  private claimed(): Promise<'direct' | 'deferred'> {
    this.claim ??= (this.watching?.watch.takeOver() ?? Promise.resolve('direct' as const)).then((taken) => {
      if (taken === 'deferred' && this.watching) this.noteDeferral(this.watching.kind, this.watching.ephemeral);
      return taken;
    });
    return this.claim;
  }

  private respond(body: APIInteractionResponse, files?: readonly ReplyFile[]): Promise<void> {
    this.responding = true;
    return this.transport.callback(body, files);
  }

  private noteDeferral(kind: DeferKind, ephemeral: boolean): void {
    this.deferred = true;
    this.deferredEphemeral = ephemeral;
    this.deferredUpdate = kind === 'update';
  }

  /** REST for calls beside the answer (threads). */
  get rest(): Rest {
    return this.transport.rest;
  }

  private get hook(): Rest {
    return this.transport.webhook ?? this.transport.rest;
  }

  /** Webhook calls carry no bot token: the interaction's own token is in the route. */
  private webhookOptions(extra: RequestData = {}): RequestData {
    return { auth: false, ...extra };
  }

  private get webhook() {
    return Routes.webhook(this.transport.applicationId, this.interaction.token);
  }

  private get original() {
    return Routes.webhookMessage(this.transport.applicationId, this.interaction.token, '@original');
  }

  /** A message in answer: the callback, or the deferral's edit. */
  async send(message: DiscordMessage): Promise<void> {
    if (this.closed) return;
    await this.sendNow(message);
  }

  private async sendNow(message: DiscordMessage): Promise<void> {
    const files = rawFiles(message.files);
    if (!this.deferred) {
      await this.respond({ type: InteractionResponseType.ChannelMessageWithSource, data: messageBody(message) }, message.files);
      return;
    }
    // Editing keeps the deferral's visibility and notifies no one it mentions. A private message after a public
    // deferral (or an update deferral), or one that must ping someone, replaces it with a follow-up instead.
    const changesVisibility = message.ephemeral && (!this.deferredEphemeral || this.deferredUpdate);
    const pings = (message.allowedMentions.users?.length ?? 0) > 0;
    if (changesVisibility || pings) {
      if (!this.deferredUpdate) await this.hook.delete(this.original, this.webhookOptions());
      await this.hook.post(this.webhook, this.webhookOptions({ body: messageBody(message), ...(files ? { files } : {}) }));
      return;
    }
    await this.hook.patch(this.original, this.webhookOptions({ body: editBody(message), ...(files ? { files } : {}) }));
  }

  /** Replaces the message the clicked component sits on. */
  async update(message: DiscordMessage): Promise<void> {
    if (this.closed) return;
    if (!this.deferred) {
      await this.respond({ type: InteractionResponseType.UpdateMessage, data: editBody(message) });
      return;
    }
    await this.hook.patch(this.original, this.webhookOptions({ body: editBody(message) }));
  }

  /** A follow-up after the first response: a private note to the clicker, or an apology when the answer could not be delivered. */
  async followUp(message: DiscordMessage): Promise<void> {
    await this.hook.post(this.webhook, this.webhookOptions({ body: { ...messageBody(message), flags: message.ephemeral ? MessageFlags.Ephemeral : 0 } }));
  }

  async modal(data: Extract<APIInteractionResponse, { type: InteractionResponseType.Modal }>['data']): Promise<void> {
    if (this.closed) return;
    await this.respond({ type: InteractionResponseType.Modal, data });
  }

  async choices(choices: readonly OptionChoice[]): Promise<void> {
    await this.respond({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [...choices] } });
  }

  /** The message the first response posted: its id and channel (to start a thread on it). */
  async postedMessage(): Promise<{ id: string; channel_id: string }> {
    const posted = (await this.hook.get(this.original, this.webhookOptions())) as { id?: unknown; channel_id?: unknown } | undefined;
    if (typeof posted?.id !== 'string' || typeof posted.channel_id !== 'string') throw new Error('Discord did not say which message the answer is');
    return { id: posted.id, channel_id: posted.channel_id };
  }
}
