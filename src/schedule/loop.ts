/**
 * The sleep-look-sleep loop every scheduled job runs (reading plans, review
 * reminders): look at what is due, then sleep until the next due time, within
 * [minWaitMs, maxWaitMs], so changes made by another process and clocks that
 * jump are seen soon, and a failing store is not hammered. A command that
 * changes something due wakes the loops of its kind in this process at once.
 */
import type { Logger } from '../log.ts';

export interface Timer {
  /** Calls `callback` after `ms` milliseconds; returns a function that cancels it. */
  after(ms: number, callback: () => void): () => void;
}

export const REAL_TIMER: Timer = {
  after(ms, callback) {
    const timer = setTimeout(callback, ms);
    // A schedule never keeps a process alive that is otherwise done.
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** The loops of one kind in this process, woken together when something of that kind changes. */
export class WakeGroup {
  private readonly wakers = new Set<() => void>();

  wakeAll(): void {
    for (const wake of this.wakers) wake();
  }

  add(wake: () => void): void {
    this.wakers.add(wake);
  }

  delete(wake: () => void): void {
    this.wakers.delete(wake);
  }
}

export interface LoopOptions {
  look(): Promise<void>;
  /** The earliest due time of anything, or undefined when nothing is scheduled. */
  nextDueAt(): Promise<number | undefined>;
  now(): number;
  logger: () => Logger;
  /** What the loop looks after, for its one log line when the next due time cannot be read. */
  what: string;
  group: WakeGroup;
  timer?: Timer;
  maxWaitMs?: number;
  minWaitMs?: number;
}

const DEFAULT_MAX_WAIT_MS = 60_000;
const DEFAULT_MIN_WAIT_MS = 1_000;

export class WakingLoop {
  private readonly timer: Timer;
  private readonly maxWaitMs: number;
  private readonly minWaitMs: number;
  private cancelTimer: (() => void) | undefined;
  private current: Promise<void> | undefined;
  private stopped = true;
  /** Woken while looking: look again right after. */
  private again = false;

  constructor(private readonly options: LoopOptions) {
    this.timer = options.timer ?? REAL_TIMER;
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.minWaitMs = Math.min(options.minWaitMs ?? DEFAULT_MIN_WAIT_MS, this.maxWaitMs);
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.options.group.add(this.wake);
    this.schedule(0);
  }

  /** Stops looking; resolves once a look in progress has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.options.group.delete(this.wake);
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    await this.current;
  }

  /** Resolves when no look is in progress (tests drive the timer and wait for each look). */
  async whenIdle(): Promise<void> {
    await this.current;
  }

  readonly wake = (): void => {
    if (this.stopped) return;
    if (this.current) {
      this.again = true;
      return;
    }
    this.cancelTimer?.();
    this.schedule(0);
  };

  private schedule(ms: number): void {
    this.cancelTimer = this.timer.after(ms, () => {
      this.cancelTimer = undefined;
      this.current = this.loop().finally(() => {
        this.current = undefined;
      });
    });
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.options.look();
    } while (this.again && !this.stopped);
    if (!this.stopped) this.schedule(await this.waitMs());
  }

  private async waitMs(): Promise<number> {
    try {
      const due = await this.options.nextDueAt();
      if (due === undefined) return this.maxWaitMs;
      return Math.min(this.maxWaitMs, Math.max(this.minWaitMs, due - this.options.now()));
    } catch (error) {
      this.options.logger().error({ err: error }, `could not read when the next ${this.options.what} is due`);
      return this.maxWaitMs;
    }
  }
}
