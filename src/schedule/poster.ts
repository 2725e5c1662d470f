/**
 * How the reading-plan runner reaches people, whatever the platform: post a
 * Reply in a channel, tell one person something privately, and look at a
 * channel's latest messages to settle a post in doubt. The Discord one lives
 * in src/discord/api/poster.ts.
 */
import type { Reply } from '../reply/reply.ts';
import type { RecentMessages } from './due.ts';

export type PostResult =
  | { outcome: 'sent'; messageId: string }
  /** Refused for good until someone acts: no permission, no such channel, a message the platform will not take. */
  | { outcome: 'refused'; reason: 'forbidden' | 'no-channel' | 'invalid'; detail: string }
  /** Certainly not sent, but may work later (rate limited): try again. */
  | { outcome: 'not-sent'; detail: string }
  /** No answer that says either way (a server error, a dropped connection): it may have been posted. */
  | { outcome: 'unknown'; detail: string };

export interface Poster {
  post(channelId: string, reply: Reply): Promise<PostResult>;
  /** A private message to a person; false when it could not be delivered (their DMs are closed). */
  notifyUser(userId: string, reply: Reply): Promise<boolean>;
  /** The channel's latest messages, newest first; undefined when they cannot be read. */
  recentMessages(channelId: string): Promise<RecentMessages | undefined>;
  /** How to name the channel to a person ("#study-group"); undefined when unknown. */
  channelName(channelId: string): Promise<string | undefined>;
}
