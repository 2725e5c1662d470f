/**
 * Reading-plan test helpers: simulated time that is both the runner's clock
 * and its timer (a month passes in milliseconds), and a Poster that records
 * what it was asked to post and can refuse, fail or hang as a platform would.
 */
import type { Clock } from '../../src/commands/types.ts';
import type { Reply } from '../../src/reply/reply.ts';
import type { RecentMessages } from '../../src/schedule/due.ts';
import type { Poster, PostResult } from '../../src/schedule/poster.ts';
import type { Timer } from '../../src/schedule/loop.ts';

interface Pending {
  at: number;
  callback: () => void;
}

export class SimulatedTime implements Clock, Timer {
  private readonly pending: Pending[] = [];

  constructor(public time: number) {}

  now(): number {
    return this.time;
  }

  after(ms: number, callback: () => void): () => void {
    const entry = { at: this.time + ms, callback };
    this.pending.push(entry);
    return () => {
      const index = this.pending.indexOf(entry);
      if (index >= 0) this.pending.splice(index, 1);
    };
  }

  /** Fires timers in time order up to `until` (epoch ms), letting each look of `runner` finish; the clock ends at `until`. */
  async runUntil(until: number, runner: { whenIdle(): Promise<void> }): Promise<number> {
    let fired = 0;
    for (;;) {
      this.pending.sort((a, b) => a.at - b.at);
      const next = this.pending[0];
      if (!next || next.at > until) break;
      this.pending.shift();
      this.time = Math.max(this.time, next.at);
      next.callback();
      await runner.whenIdle();
      fired += 1;
    }
    this.time = until;
    return fired;
  }
}

export interface Posted {
  channelId: string;
  title: string;
  reply: Reply;
  at: number;
}

/**
 * What the fake platform does with the next posts: post them, refuse them,
 * answer with an error that says nothing, or never answer (the process dies
 * mid-post), before or after the message lands.
 */
export type PostBehaviour = 'post' | 'forbidden' | 'rate-limited' | 'unknown-after-posting' | 'hang-after-posting' | 'hang-before-posting';

export class RecordingPoster implements Poster {
  /** Messages in each channel (what members see), oldest first. */
  readonly posted: Posted[] = [];
  readonly notified: { userId: string; reply: Reply }[] = [];
  behaviour: PostBehaviour = 'post';
  /** Whether the channel's history can be read (settling a post in doubt). */
  readable = true;
  attempts = 0;

  constructor(private readonly clock: Clock) {}

  titles(channelId?: string): string[] {
    return this.posted.filter((post) => channelId === undefined || post.channelId === channelId).map((post) => post.title);
  }

  async post(channelId: string, reply: Reply): Promise<PostResult> {
    this.attempts += 1;
    const land = () => this.posted.push({ channelId, title: reply.title, reply, at: this.clock.now() });
    switch (this.behaviour) {
      case 'forbidden':
        return { outcome: 'refused', reason: 'forbidden', detail: 'Missing Permissions' };
      case 'rate-limited':
        return { outcome: 'not-sent', detail: 'rate limited' };
      case 'unknown-after-posting':
        land();
        return { outcome: 'unknown', detail: '500 Internal Server Error' };
      case 'hang-after-posting':
        land();
        return new Promise<PostResult>(() => {});
      case 'hang-before-posting':
        return new Promise<PostResult>(() => {});
      case 'post':
        land();
        return { outcome: 'sent', messageId: String(this.posted.length) };
    }
  }

  async notifyUser(userId: string, reply: Reply): Promise<boolean> {
    this.notified.push({ userId, reply });
    return true;
  }

  async recentMessages(channelId: string): Promise<RecentMessages | undefined> {
    if (!this.readable) return undefined;
    const messages = this.posted
      .filter((post) => post.channelId === channelId)
      .reverse()
      .map((post) => ({ title: post.title, fromBot: true, at: post.at }));
    return { messages, complete: true };
  }

  async channelName(): Promise<string | undefined> {
    return '#study-group';
  }
}
