/**
 * Per-user rate limit across every way of asking (commands, buttons, DMs,
 * mentions): at most `limit` requests in any `windowMs`. A sliding window, so
 * a burst cannot straddle a boundary.
 */
export type CooldownVerdict =
  | { allowed: true }
  /** `firstRefusal` is true once per blocked stretch, so a chat reply about it is sent once. */
  | { allowed: false; retryAfterMs: number; firstRefusal: boolean };

interface UserWindow {
  hits: number[];
  warned: boolean;
}

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
    const user = this.users.get(userId) ?? { hits: [], warned: false };
    user.hits = user.hits.filter((at) => now - at < this.windowMs);
    this.users.set(userId, user);
    if (user.hits.length < this.limit) {
      user.hits.push(now);
      user.warned = false;
      return { allowed: true };
    }
    const retryAfterMs = (user.hits[0] as number) + this.windowMs - now;
    const firstRefusal = !user.warned;
    user.warned = true;
    return { allowed: false, retryAfterMs, firstRefusal };
  }

  /** Users with no request in the window are dropped, so memory stays bounded by active users. */
  private forgetIdle(now: number): void {
    if (this.users.size < 1_000) return;
    for (const [id, user] of this.users) {
      if (user.hits.every((at) => now - at >= this.windowMs)) this.users.delete(id);
    }
  }
}

/** "Slow down" with the wait in whole seconds, never "0 s". */
export function slowDownText(retryAfterMs: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return `Slow down a little: you can ask again in ${seconds} s.`;
}
