/**
 * Answering one interaction, whatever carries it: the transport sends the
 * first response (over REST from the gateway, or as the HTTP response of an
 * interactions endpoint); everything after goes through the interaction's
 * webhook. This keeps track of what was sent, so each message goes the one
 * way Discord accepts at that point.
 */
import { InteractionResponseType, MessageFlags, Routes, type APIInteractionResponse, type RawFile, type RequestData, type RouteLike } from 'discord.js';
import type { OptionChoice } from '../../commands/types.ts';
import type { ReplyFile } from '../../reply/reply.ts';
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
}

/** How a slow answer is deferred: a "thinking…" message, or (for a component) an update still to come. */
export type DeferKind = 'message' | 'update';

/** What a transport provides for one interaction. */
export interface InteractionTransport {
  applicationId: string;
  /** Sends the first response. */
  callback(body: APIInteractionResponse, files?: readonly ReplyFile[]): Promise<void>;
  /** REST for the webhook (edits, follow-ups) and anything else (threads). */
  rest: Rest;
  /** Defers the interaction unless an answer starts before its deadline. */
  watch(kind: DeferKind, ephemeral: boolean): Watch;
}

export function rawFiles(files: readonly ReplyFile[] | undefined): RawFile[] | undefined {
  return files && files.length > 0 ? files.map((file) => ({ name: file.name, data: Buffer.from(file.content, 'utf8'), contentType: 'text/markdown; charset=utf-8' })) : undefined;
}

/** The body of a webhook edit: visibility is fixed by the first response, so no flags. */
function editBody(message: DiscordMessage): Record<string, unknown> {
  const { flags: _flags, ...body } = messageBody(message);
  return body;
}

export class InteractionReply {
  /** A deferral (ours or the watch's) went out: the answer is an edit of it. */
  deferred = false;
  /** The deferral's visibility. */
  deferredEphemeral = false;
  /** The deferral was an update of the component's message, not a new message. */
  deferredUpdate = false;

  constructor(
    readonly interaction: { id: string; token: string },
    private readonly transport: InteractionTransport,
  ) {}

  watch(kind: DeferKind, ephemeral: boolean): Watch {
    const watch = this.transport.watch(kind, ephemeral);
    return {
      takeOver: async () => {
        const taken = await watch.takeOver();
        if (taken === 'deferred') {
          this.deferred = true;
          this.deferredEphemeral = ephemeral;
          this.deferredUpdate = kind === 'update';
        }
        return taken;
      },
    };
  }

  /** REST for calls beside the answer (threads). */
  get rest(): Rest {
    return this.transport.rest;
  }

  private get webhook() {
    return Routes.webhook(this.transport.applicationId, this.interaction.token);
  }

  private get original() {
    return Routes.webhookMessage(this.transport.applicationId, this.interaction.token, '@original');
  }

  /** A message in answer: the callback, or the deferral's edit. */
  async send(message: DiscordMessage): Promise<void> {
    const files = rawFiles(message.files);
    if (!this.deferred) {
      await this.transport.callback({ type: InteractionResponseType.ChannelMessageWithSource, data: messageBody(message) }, message.files);
      return;
    }
    // Editing keeps the deferral's visibility and notifies no one it mentions. A private message after a public
    // deferral (or an update deferral), or one that must ping someone, replaces it with a follow-up instead.
    const changesVisibility = message.ephemeral && (!this.deferredEphemeral || this.deferredUpdate);
    const pings = (message.allowedMentions.users?.length ?? 0) > 0;
    if (changesVisibility || pings) {
      if (!this.deferredUpdate) await this.transport.rest.delete(this.original, { auth: false });
      await this.transport.rest.post(this.webhook, { body: messageBody(message), auth: false, ...(files ? { files } : {}) });
      return;
    }
    await this.transport.rest.patch(this.original, { body: editBody(message), auth: false, ...(files ? { files } : {}) });
  }

  /** Replaces the message the clicked component sits on. */
  async update(message: DiscordMessage): Promise<void> {
    if (!this.deferred) {
      await this.transport.callback({ type: InteractionResponseType.UpdateMessage, data: editBody(message) });
      return;
    }
    await this.transport.rest.patch(this.original, { body: editBody(message), auth: false });
  }

  /** A private follow-up after the first response (for a click that updates a public message and also tells the clicker). */
  async followUp(message: DiscordMessage): Promise<void> {
    await this.transport.rest.post(this.webhook, { body: { ...messageBody(message), flags: message.ephemeral ? MessageFlags.Ephemeral : 0 }, auth: false });
  }

  async modal(data: Extract<APIInteractionResponse, { type: InteractionResponseType.Modal }>['data']): Promise<void> {
    await this.transport.callback({ type: InteractionResponseType.Modal, data });
  }

  async choices(choices: readonly OptionChoice[]): Promise<void> {
    await this.transport.callback({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [...choices] } });
  }

  /** The message the first response posted: its id and channel (to start a thread on it). */
  async postedMessage(): Promise<{ id: string; channel_id: string }> {
    return (await this.transport.rest.get(this.original, { auth: false })) as { id: string; channel_id: string };
  }
}
