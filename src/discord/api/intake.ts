/**
 * Acknowledge first, then answer in arrival order. Every event's work (a
 * command handler, a component's) takes a turn here:
 *
 * - Work starts at once while the current turn of the event loop has spent
 *   less than SLICE_MS on handlers; beyond that it waits for a later turn, so
 *   gateway frames and REST replies that arrive meanwhile are read between
 *   handlers: a burst of interactions is acknowledged as it arrives, not after
 *   the handlers of everything before it. (Yielding after every handler would
 *   do too, but costs about as much CPU again as the handlers under steady
 *   load: the bot and Discord then trade one small packet per wake-up.)
 * - Waiting work is started first come, first served, a slice's worth per
 *   turn of the event loop.
 * - When work queues up — the predicted wait for a turn (the queue ahead times
 *   the recent time per handler) would leave an interaction unanswered too
 *   long, or every slot is taken by slow handlers — the caller is told to
 *   acknowledge at once: a deferral ("thinking…") is cheap and meets Discord's
 *   3 s; the answer then replaces it when the turn comes.
 * - Work that waited longer than `shedAfterMs` is not run: it gets an
 *   apology, so a backlog drains in bounded time.
 * - On shutdown, intake stops (later events are told the bot is restarting),
 *   everything in flight is acknowledged, and what is not done by the drain
 *   deadline is told so.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/** What the work does when its turn comes. */
export type Turn = 'run' | 'shed' | 'closing';

/** One event in flight, as the drain needs it. */
export interface Tracked {
  /** Sends a deferral if nothing was sent yet (a no-op for chat messages). */
  acknowledge(): Promise<void>;
  /** Tells the user the answer will not come (the bot is stopping); anything the work sends later is dropped. */
  abandon(): Promise<void>;
}

export interface Ticket {
  /** The work will wait: acknowledge the interaction now. */
  readonly queued: boolean;
  /** Resolves when the work may start, or with why it should apologise instead. */
  readonly turn: Promise<Turn>;
  /** The handler has returned: frees its slot. */
  release(): void;
  /** Everything for the event was sent: it is no longer in flight. */
  done(): void;
}

export interface IntakeOptions {
  /** Handlers running at once (most are synchronous; this bounds slow asynchronous ones). */
  concurrency: number;
  /** Acknowledge at once when an interaction would otherwise wait longer than this (age included). */
  ackBudgetMs: number;
  /** Work that waited longer than this for its turn gets an apology instead. */
  shedAfterMs: number;
}

export const DEFAULT_INTAKE: IntakeOptions = { concurrency: 256, ackBudgetMs: 500, shedAfterMs: 30_000 };

interface Entry {
  tracked: Tracked;
  enteredAt: number;
  /** waiting → running → returned (delivering), or waiting → turned away (shed, closing). */
  state: 'waiting' | 'running' | 'returned' | 'turned-away';
  start: (turn: Turn) => void;
  finished: Promise<void>;
  finish: () => void;
}

/** Handler time a turn of the event loop may spend before later work waits for the next turn. */
const SLICE_MS = 10;
/** How much the newest measurement weighs in the running estimate of a handler's time. */
const ESTIMATE_WEIGHT = 0.2;
/** Waiting work started in one turn, at most: the estimate may be off. */
const MOST_PER_TURN = 64;

export class Intake {
  private readonly waiting: Entry[] = [];
  private head = 0;
  private running = 0;
  private readonly inFlight = new Set<Entry>();
  private pumping = false;
  /** Recent time per handler started from the queue (the turn's length over the handlers it started), in ms. */
  private perHandlerMs = 1;
  private closed = false;
  /** When the current turn of the event loop started its first handler; undefined before it has. */
  private turnStartedAt: number | undefined;

  constructor(
    private readonly options: IntakeOptions = DEFAULT_INTAKE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Events in flight: entered and not yet done. */
  get size(): number {
    return this.inFlight.size;
  }

  get stopping(): boolean {
    return this.closed;
  }

  /** Takes in one event's work; `ageMs` is how old the interaction already is (0 for chat messages). */
  enter(tracked: Tracked, ageMs = 0): Ticket {
    let start: (turn: Turn) => void = () => {};
    const turn = new Promise<Turn>((resolve) => (start = resolve));
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const entry: Entry = { tracked, enteredAt: this.now(), state: 'waiting', start, finished, finish };
    if (this.closed) {
      entry.state = 'turned-away';
      start('closing');
      return this.ticket(entry, turn, false);
    }
    this.inFlight.add(entry);
    const ahead = this.waiting.length - this.head;
    if (ahead === 0 && this.running < this.options.concurrency && this.sliceLeft()) {
      this.begin(entry);
      return this.ticket(entry, turn, false);
    }
    const queued = this.running >= this.options.concurrency || ageMs + ahead * this.perHandlerMs > this.options.ackBudgetMs;
    this.waiting.push(entry);
    this.pump();
    return this.ticket(entry, turn, queued);
  }

  /** Whether this turn of the event loop may start more work; starts counting the turn's time if not yet. */
  private sliceLeft(): boolean {
    const now = this.now();
    if (this.turnStartedAt === undefined) {
      this.turnStartedAt = now;
      setImmediate(() => (this.turnStartedAt = undefined));
      return true;
    }
    return now - this.turnStartedAt < SLICE_MS;
  }

  private begin(entry: Entry): void {
    entry.state = 'running';
    this.running += 1;
    entry.start('run');
  }

  /**
   * Stops taking work and drains: acknowledges everything in flight, waits for
   * it until `deadline` (epoch ms), then tells those still waiting or running
   * that no answer will come, waiting at most `abandonMs` more for those
   * notices and for answers still on their way. Resolves with how many were
   * answered and how many were told no answer would come.
   */
  async drain(deadline: number, abandonMs: number): Promise<{ finished: number; abandoned: number }> {
    this.closed = true;
    const entries = [...this.inFlight];
    // One whose handler has returned is already sending its answer: a deferral now would collide with it.
    const unanswered = entries.filter((entry) => entry.state === 'waiting' || entry.state === 'running');
    await Promise.allSettled(unanswered.map((entry) => entry.tracked.acknowledge()));
    await Promise.race([Promise.all(entries.map((entry) => entry.finished)), delayUntil(deadline, this.now)]);
    let abandoned = 0;
    const last = entries
      .filter((entry) => this.inFlight.has(entry))
      .map((entry) => {
        // One that has returned is delivering its answer: let it.
        if (entry.state === 'returned') return entry.finished;
        abandoned += 1;
        if (entry.state === 'running') return entry.tracked.abandon();
        // Still waiting: its own code sends the notice when told the bot is closing.
        entry.state = 'turned-away';
        entry.start('closing');
        return entry.finished;
      });
    await Promise.race([Promise.allSettled(last), delayUntil(this.now() + abandonMs, this.now)]);
    return { finished: entries.length - abandoned, abandoned };
  }

  private ticket(entry: Entry, turn: Promise<Turn>, queued: boolean): Ticket {
    return {
      queued,
      turn,
      release: () => {
        if (entry.state !== 'running') return;
        entry.state = 'returned';
        this.running -= 1;
        this.pump();
      },
      done: () => {
        this.inFlight.delete(entry);
        entry.finish();
      },
    };
  }

  /** Starts waiting work in order, a slice's worth per turn of the event loop, while slots are free. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    void this.giveTurns();
  }

  private async giveTurns(): Promise<void> {
    try {
      let started = 0;
      let startedAt = this.now();
      while (this.head < this.waiting.length && this.running < this.options.concurrency) {
        await nextTurn();
        // The last turn's length (its handlers and whatever I/O came between) over the handlers it started.
        const now = this.now();
        if (started > 0) this.perHandlerMs += ESTIMATE_WEIGHT * ((now - startedAt) / started - this.perHandlerMs);
        startedAt = now;
        started = 0;
        const batch = Math.min(MOST_PER_TURN, Math.max(1, Math.floor(SLICE_MS / this.perHandlerMs)));
        while (started < batch && this.running < this.options.concurrency) {
          const entry = this.next();
          if (!entry) break;
          if (entry.state !== 'waiting') continue;
          if (now - entry.enteredAt > this.options.shedAfterMs) {
            entry.state = 'turned-away';
            entry.start('shed');
            continue;
          }
          this.begin(entry);
          started += 1;
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private next(): Entry | undefined {
    if (this.head >= this.waiting.length) return undefined;
    const entry = this.waiting[this.head];
    this.head += 1;
    // Drop the consumed front now and then, so the array does not grow for ever.
    if (this.head > 1_024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
    return entry;
  }
}

function delayUntil(deadline: number, now: () => number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - now())).unref());
}
