/**
 * A fast clock for end-to-end tests, so a bot process posts weeks of reading
 * parts in seconds. Off unless FOOTNOTE_CLOCK is set, e.g.
 *
 *   FOOTNOTE_CLOCK="start=2025-03-28T07:00:00Z,from=1743145200000,speed=43200,tick=50"
 *
 * At real time `from` (epoch ms; default: when the value is read) the clock
 * reads `start` (default: the real time then), and it runs `speed` times
 * faster. Processes given the same value share one timeline, so a bot that is
 * down for a while misses that time as a real one would. `tick` is the longest
 * the runner sleeps between looks at the plans, in real ms. Production never
 * sets it; the bot logs a warning at start when it is set.
 */
import type { Clock } from '../commands/types.ts';

export interface TestClock {
  clock: Clock;
  /** The runner's longest sleep, in real ms. */
  tickMs: number;
  description: string;
}

const DEFAULT_TICK_MS = 50;

/** Parses FOOTNOTE_CLOCK: undefined when unset or empty; throws a RangeError naming what is wrong. */
export function testClockFrom(spec: string | undefined, realNow: () => number = Date.now): TestClock | undefined {
  if (spec === undefined || spec.trim() === '') return undefined;
  const fields = new Map<string, string>();
  for (const part of spec.split(',')) {
    const [key = '', value = ''] = part.split('=').map((piece) => piece.trim());
    if (!['start', 'from', 'speed', 'tick'].includes(key) || value === '') throw new RangeError(`FOOTNOTE_CLOCK: “${part.trim()}” is not start=<ISO time>, from=<epoch ms>, speed=<n> or tick=<ms>`);
    fields.set(key, value);
  }
  const from = fields.has('from') ? Number(fields.get('from')) : realNow();
  const start = fields.has('start') ? Date.parse(fields.get('start') as string) : from;
  const speed = fields.has('speed') ? Number(fields.get('speed')) : 1;
  const tickMs = fields.has('tick') ? Number(fields.get('tick')) : DEFAULT_TICK_MS;
  if (!Number.isFinite(from) || !Number.isFinite(start)) throw new RangeError('FOOTNOTE_CLOCK: start must be an ISO time and from epoch milliseconds');
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError('FOOTNOTE_CLOCK: speed must be a positive number');
  if (!(tickMs >= 1) || !Number.isFinite(tickMs)) throw new RangeError('FOOTNOTE_CLOCK: tick must be at least 1 ms');
  return {
    clock: { now: () => Math.round(start + (realNow() - from) * speed) },
    tickMs,
    description: `${new Date(start).toISOString()} at real ${from}, ×${speed}, tick ${tickMs} ms`,
  };
}
