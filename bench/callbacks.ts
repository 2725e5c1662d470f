/**
 * When each interaction's callback reached the fake Discord. One waiter
 * reads the fake's call log from a cursor, so tracking thousands of
 * interactions costs O(1) per call instead of a scan of the whole log.
 */
import { performance } from 'node:perf_hooks';
import type { FakeDiscord } from '../tests/support/fake-discord.ts';

const CALLBACK_ROUTE = /\/interactions\/(\d+)\/[^/]+\/callback$/;

export interface Callback {
  at: number;
  /** Discord's callback type: 4 answered, 5 deferred. */
  type: number;
  /** Answers are embeds; a content-only message is a notice (cooldown, apology). */
  embeds: number;
}

export class CallbackTracker {
  private cursor: number;
  private readonly pending = new Map<string, (callback: Callback) => void>();
  private stopped = false;
  private readonly pump: Promise<true>;

  constructor(private readonly fake: FakeDiscord, timeoutMs: number) {
    this.cursor = fake.calls.length;
    this.pump = fake.waitFor(() => this.drain(), timeoutMs, 'the load to finish');
  }

  /** Resolves with the callback of interaction `id`, timed when the fake recorded it. */
  expect(id: string, timeoutMs: number): Promise<Callback> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no callback for interaction ${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, (callback) => {
        clearTimeout(timer);
        resolve(callback);
      });
    });
  }

  /**
   * Stops tracking. The fake re-checks its waiters on its next event, so call
   * this before the bot disconnects and await the result after.
   */
  stop(): Promise<true> {
    this.stopped = true;
    return this.pump;
  }

  private drain(): true | undefined {
    const calls = this.fake.calls;
    for (; this.cursor < calls.length; this.cursor++) {
      const call = calls[this.cursor];
      const id = call?.route.match(CALLBACK_ROUTE)?.[1];
      if (call === undefined || id === undefined || call.status >= 300) continue;
      const body = call.body as { type?: number; data?: { embeds?: unknown[] } };
      this.pending.get(id)?.({ at: performance.now(), type: body.type ?? 0, embeds: body.data?.embeds?.length ?? 0 });
      this.pending.delete(id);
    }
    return this.stopped ? true : undefined;
  }
}
