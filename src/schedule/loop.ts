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
  timer?: Timer | undefined;
  maxWaitMs?: number | undefined;
  minWaitMs?: number | undefined;
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

/** Timing a runner may be given (tests and FOOTNOTE_CLOCK shorten it). */
export interface RunnerTiming {
  timer?: Timer | undefined;
  maxWaitMs?: number | undefined;
  minWaitMs?: number | undefined;
}

export interface DueJobsOptions<T> extends RunnerTiming {
  /** For its log lines: "review reminder". */
  what: string;
  group: WakeGroup;
  now(): number;
  logger(): Logger;
  /** Up to `limit` items due by `now`, earliest first. */
  due(now: number, limit: number): Promise<T[]>;
  nextDueAt(): Promise<number | undefined>;
  /** Does one due item (claiming it first, so no other runner does it too). */
  handle(item: T): Promise<void>;
  /** Items taken in one look; more due are taken in the next look, at once. */
  perLook: number;
  /** What a failed item's log line says of it (its scope). */
  describe?(item: T): Record<string, unknown>;
}

/**
 * A runner of due items (reminders): each look takes what is due and hands
 * each item to `handle`; a failure of one is logged and the others go on.
 */
export class DueJobs<T> {
  private readonly loop: WakingLoop;

  constructor(private readonly jobs: DueJobsOptions<T>) {
    const { nextDueAt, now, logger, what, group, timer, maxWaitMs, minWaitMs } = jobs;
    this.loop = new WakingLoop({ look: () => this.look(), nextDueAt, now, logger, what, group, timer, maxWaitMs, minWaitMs });
  }

  /** Stopped (or not started): an item in progress goes no further than it must. */
  protected get stopped(): boolean {
    return this.loop.isStopped;
  }

  start(): void {
    this.loop.start();
  }

  /** Stops looking; resolves once a look in progress has finished. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Resolves when no look is in progress (tests drive the timer and wait for each look). */
  whenIdle(): Promise<void> {
    return this.loop.whenIdle();
  }

  /** One look at everything due now. */
  async look(): Promise<void> {
    const { jobs } = this;
    let due: T[];
    try {
      due = await jobs.due(jobs.now(), jobs.perLook);
    } catch (error) {
      jobs.logger().error({ err: error }, `could not read what ${jobs.what}s are due`);
      return;
    }
    for (const item of due) {
      if (this.loop.isStopped) return;
      try {
        await jobs.handle(item);
      } catch (error) {
        jobs.logger().error({ err: error, ...jobs.describe?.(item) }, `a ${jobs.what} could not go out`);
      }
    }
    if (due.length === jobs.perLook) this.loop.wake();
  }
}
