/**
 * One step of a sliding-window rate limit, the same for every store: the
 * memory store keeps the window in a Map, SQLite and Postgres in a row that
 * is locked while this runs, so the arithmetic lives in one place.
 */
import type { RateLimitVerdict } from './types.ts';

/** A key's requests still in the window (epoch ms, oldest first) and whether its current refusal was already told. */
export interface RateWindow {
  hits: number[];
  warned: boolean;
}

export interface RateStep {
  verdict: RateLimitVerdict;
  window: RateWindow;
  /** When the newest request leaves the window: from then on the key can be forgotten. */
  expiresAt: number;
}

export function checkRateLimit(limit: number, windowMs: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`a rate limit allows a whole number ≥ 1 of requests, not ${limit}`);
  if (!Number.isSafeInteger(windowMs) || windowMs < 1) throw new RangeError(`a rate limit's window is a whole number ≥ 1 of ms, not ${windowMs}`);
}

/** Takes one request at `now` if fewer than `limit` are in the `windowMs` before it. */
export function takeFromWindow(previous: RateWindow | undefined, limit: number, windowMs: number, now: number): RateStep {
  // Another worker's clock may be a little behind: sorted, so the oldest request sets the wait.
  const hits = (previous?.hits ?? []).filter((at) => now - at < windowMs).sort((a, b) => a - b);
  if (hits.length < limit) {
    hits.push(now);
    hits.sort((a, b) => a - b);
    return { verdict: { allowed: true }, window: { hits, warned: false }, expiresAt: (hits.at(-1) as number) + windowMs };
  }
  // A slot frees when the request `limit` places from the newest leaves the window.
  const retryAfterMs = (hits[hits.length - limit] as number) + windowMs - now;
  const firstRefusal = previous?.warned !== true;
  return { verdict: { allowed: false, retryAfterMs, firstRefusal }, window: { hits, warned: true }, expiresAt: (hits.at(-1) as number) + windowMs };
}

/** A window as stored in a row: the hits as a JSON array. Anything unreadable counts as no requests. */
export function windowFromRow(hits: string, warned: number): RateWindow {
  let parsed: unknown;
  try {
    parsed = JSON.parse(hits);
  } catch {
    parsed = [];
  }
  const times = Array.isArray(parsed) ? parsed.filter((at): at is number => typeof at === 'number' && Number.isFinite(at)) : [];
  return { hits: times, warned: warned === 1 };
}
