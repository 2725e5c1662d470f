/**
 * The reading-plan runner's Poster on Discord: messages rendered like every
 * other reply (render.ts: limits enforced, no pings) and sent over REST.
 * Discord's refusals are sorted into what the runner needs to know: refused
 * for good (403 no permission, 404 no channel, 400 bad message), not sent
 * (rate limited), or unknown (a 5xx or a dropped connection, after
 * discord.js's own retries: the message may exist).
 */
import { DiscordAPIError, RateLimitError, Routes, type APIChannel, type APIMessage, type REST } from 'discord.js';
import type { Reply } from '../../reply/reply.ts';
import type { RecentMessages } from '../../schedule/due.ts';
import type { Poster, PostResult } from '../../schedule/poster.ts';
import { messageBody, renderReply, type ButtonSource } from './render.ts';
import type { DirectMessenger } from '../../review/reminders.ts';

/** The most messages Discord returns in one read of a channel. */
const RECENT_LIMIT = 100;
/** Discord's code for a direct message the person does not accept. */
const CANNOT_MESSAGE_USER = 50007;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function postFailure(error: unknown): PostResult {
  if (error instanceof RateLimitError) return { outcome: 'not-sent', detail: `rate limited for ${error.retryAfter} ms` };
  if (error instanceof DiscordAPIError) {
    const detail = `${error.message} (${error.code})`;
    if (error.status === 403) return { outcome: 'refused', reason: 'forbidden', detail: error.message };
    if (error.status === 404) return { outcome: 'refused', reason: 'no-channel', detail };
    if (error.status === 429) return { outcome: 'not-sent', detail };
    if (error.status >= 400 && error.status < 500) return { outcome: 'refused', reason: 'invalid', detail };
  }
  return { outcome: 'unknown', detail: errorText(error) };
}

export class DiscordPoster implements Poster, DirectMessenger {
  constructor(
    private readonly rest: REST,
    /** The bot's own user id, once logged in: its messages are told apart from the members'. */
    private readonly botUserId: () => string | undefined,
    /** The commands' components, so a post's actions become buttons (a reading part's Done reading). */
    private readonly buttons?: ButtonSource,
  ) {}

  private async send(channelId: string, reply: Reply): Promise<APIMessage> {
    const body = messageBody(renderReply(reply, { ephemeral: false, ...(this.buttons ? { buttons: this.buttons } : {}) }));
    return (await this.rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
  }

  async post(channelId: string, reply: Reply): Promise<PostResult> {
    try {
      return { outcome: 'sent', messageId: (await this.send(channelId, reply)).id };
    } catch (error) {
      return postFailure(error);
    }
  }

  async notifyUser(userId: string, reply: Reply): Promise<boolean> {
    return (await this.sendDirect(userId, reply)) === 'sent';
  }

  /** A direct message; 'closed' when Discord says the person takes none from the bot (50007, or 403 on opening the DM). */
  async sendDirect(userId: string, reply: Reply): Promise<'sent' | 'closed' | 'failed'> {
    try {
      const channel = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
      await this.send(channel.id, reply);
      return 'sent';
    } catch (error) {
      return error instanceof DiscordAPIError && (error.code === CANNOT_MESSAGE_USER || error.status === 403) ? 'closed' : 'failed';
    }
  }

  async recentMessages(channelId: string): Promise<RecentMessages | undefined> {
    try {
      const messages = (await this.rest.get(Routes.channelMessages(channelId), { query: new URLSearchParams({ limit: String(RECENT_LIMIT) }) })) as APIMessage[];
      const bot = this.botUserId();
      return {
        messages: messages.map((message) => ({
          ...(message.embeds[0]?.title === undefined ? {} : { title: message.embeds[0].title }),
          fromBot: bot !== undefined && message.author.id === bot,
          at: Date.parse(message.timestamp),
        })),
        complete: messages.length < RECENT_LIMIT,
      };
    } catch {
      return undefined;
    }
  }

  async channelName(channelId: string): Promise<string | undefined> {
    try {
      const channel = (await this.rest.get(Routes.channel(channelId))) as { name?: string | null };
      return typeof channel.name === 'string' && channel.name !== '' ? `#${channel.name}` : undefined;
    } catch {
      return undefined;
    }
  }
}
