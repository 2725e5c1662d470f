/**
 * Per-user rate limit across every way of asking (commands, buttons, DMs,
 * mentions): at most `limit` requests in any `windowMs`. A sliding window, so
 * a burst cannot straddle a boundary. Kept in this process by default; in the
 * store (StoreCooldown) when workers share one, so they enforce one limit.
 */
import type { RateLimitStore } from '../../store/types.ts';

/** The cooldown key of a quick click (src/commands/types.ts: Component.quick): its own allowance beside the user's requests. */
export function quickKey(userId: string): string {
  return `${userId}:quick`;
}

export type CooldownVerdict =
  | { allowed: true }
  /**
   * `firstRefusal` is true once per blocked stretch, so a chat reply about it
   * is sent once; `refusals` counts the stretch's refusals so far, where known
   * (this process's window), so an interaction flood is answered a few times
   * and then dropped.
   */
  | { allowed: false; retryAfterMs: number; firstRefusal: boolean; refusals?: number };

interface UserWindow {
  hits: number[];
  warned: boolean;
  refused: number;
}

const SWEEP_EVERY_MS = 1_000;

export class Cooldown {
  private readonly users = new Map<string, UserWindow>();

  constructor(
    readonly limit = 5,
    readonly windowMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a request by `userId` if it is allowed. */
  take(userId: string): CooldownVerdict {
    const now = this.now();
    this.forgetIdle(now);
    const user = this.users.get(userId) ?? { hits: [], warned: false, refused: 0 };
    user.hits = user.hits.filter((at) => now - at < this.windowMs);
    this.users.set(userId, user);
    if (user.hits.length < this.limit) {
      user.hits.push(now);
      user.warned = false;
      user.refused = 0;
      return { allowed: true };
    }
    const retryAfterMs = (user.hits[0] as number) + this.windowMs - now;
    const firstRefusal = !user.warned;
    user.warned = true;
    user.refused += 1;
    return { allowed: false, retryAfterMs, firstRefusal, refusals: user.refused };
  }

  private lastSweep = 0;

  /**
   * Users with no request in the window are dropped, so memory stays bounded
   * by active users. At most once a second: a sweep walks every recent user,
   * and on every request it took a fifth of the main thread in a burst.
   */
  private forgetIdle(now: number): void {
    if (this.users.size < 1_000 || now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [id, user] of this.users) {
      if (user.hits.every((at) => now - at >= this.windowMs)) this.users.delete(id);
    }
  }
}

/** One in this many takes also drops the keys idle past their window, so the table stays bounded by active users. */
const PRUNE_EVERY = 1_000;

/**
 * The same limit kept in the store, so every worker that shares it (Postgres)
 * counts a user's requests together: two workers, one limit. Its take is
 * async; the pipeline gets it through SharedCooldown.
 */
export interface StoreCooldownOptions {
  /** Requests allowed in any window (5 by default, as Cooldown's). */
  limit?: number;
  windowMs?: number;
  now?: () => number;
  /** Told when dropping idle keys fails (a take's own failure is thrown). */
  onPruneError?: (error: unknown) => void;
}

export class StoreCooldown {
  readonly limit: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private readonly onPruneError: (error: unknown) => void;
  private takes = 0;

  constructor(
    private readonly store: RateLimitStore,
    options: StoreCooldownOptions = {},
  ) {
    this.limit = options.limit ?? 5;
    this.windowMs = options.windowMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.onPruneError = options.onPruneError ?? (() => {});
  }

  async take(userId: string): Promise<CooldownVerdict> {
    const now = this.now();
    const verdict = await this.store.take(`cooldown:${userId}`, this.limit, this.windowMs, now);
    this.takes += 1;
    if (this.takes % PRUNE_EVERY === 0) void this.store.prune(now).catch(this.onPruneError);
    return verdict;
  }
}

/**
 * The cooldown a transport gives the pipeline when the store is shared. The
 * pipeline asks its cooldown synchronously, so the transport awaits `decide`
 * first and routes the event with `decidedCooldown(verdict)`
 * (shared-state.ts). When the store does not answer within `timeoutMs`, or
 * fails, this process's own window decides: a slow database slows nobody.
 * Its own `take` is that window too, for an event routed without `decide`.
 */
export class SharedCooldown extends Cooldown {
  constructor(
    readonly shared: StoreCooldown,
    private readonly timeoutMs = 250,
    private readonly onFallback: (error: unknown) => void = () => {},
    now: () => number = Date.now,
  ) {
    super(shared.limit, shared.windowMs, now);
  }

  async decide(userId: string): Promise<CooldownVerdict> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the shared cooldown did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([this.shared.take(userId), late]);
    } catch (error) {
      this.onFallback(error);
      return super.take(userId);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A cooldown whose verdict for the one event it was made for is already known. */
class DecidedCooldown extends Cooldown {
  constructor(private readonly verdict: CooldownVerdict) {
    super();
  }

  override take(): CooldownVerdict {
    return this.verdict;
  }
}

export function decidedCooldown(verdict: CooldownVerdict): Cooldown {
  return new DecidedCooldown(verdict);
}

/** "Slow down" with the wait in whole seconds, never "0 s". */
export function slowDownText(retryAfterMs: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return `Slow down a little: you can ask again in ${seconds} s.`;
}
