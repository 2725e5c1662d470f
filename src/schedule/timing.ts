/**
 * When a reading plan posts: a local time of day in an IANA time zone, every
 * day, every weekday (Monday to Friday) or once a week, computed with Luxon so
 * 09:00 stays 09:00 across daylight-saving changes.
 *
 * Around a change: a time the clocks skip (02:30 on the spring-forward night in
 * Europe/Berlin) posts an hour later by the wall clock (03:30), the same
 * instant Luxon gives; a time that happens twice (02:30 on the fall-back night)
 * posts once, at the one Luxon picks (the later).
 */
import { DateTime, IANAZone } from 'luxon';
import type { ReadingCadence } from '../store/types.ts';

export const CADENCES: readonly ReadingCadence[] = ['day', 'weekday', 'week'];

export interface Schedule {
  every: ReadingCadence;
  /** "HH:MM", 24-hour. */
  at: string;
  timeZone: string;
  /** Luxon weekday (1 = Monday) a weekly plan posts on. */
  weekday: number;
}

export interface TimeOfDay {
  hour: number;
  minute: number;
}

/** "9:00", "09:00", "21:30" → the time; anything else (9am, 24:00, 9.30) → undefined. */
export function parseTimeOfDay(text: string): TimeOfDay | undefined {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!match) return undefined;
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** "09:05". */
export function formatTimeOfDay({ hour, minute }: TimeOfDay): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** The zone's canonical IANA name ("europe/berlin" → "Europe/Berlin"), or undefined when there is no such zone. */
export function canonicalZone(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '' || !IANAZone.isValidZone(trimmed)) return undefined;
  return new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
}

/** Every zone name this runtime knows, for suggestions. */
export function knownZones(): readonly string[] {
  return Intl.supportedValuesOf('timeZone');
}

/** Autocomplete for a `timezone` option: up to 25 zones whose name holds what was typed ("new york" finds America/New_York). */
export function zoneChoices(partial: string): { name: string; value: string }[] {
  const wanted = partial.trim().toLowerCase().replaceAll(' ', '_');
  const zones = ['UTC', ...knownZones()].filter((zone) => zone.toLowerCase().includes(wanted));
  return [...new Set(zones)].slice(0, 25).map((zone) => ({ name: zone, value: zone }));
}

/** Luxon's weekdays, 1 = Monday. */
const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function postsOn(weekday: number, schedule: Schedule): boolean {
  if (schedule.every === 'weekday') return weekday <= 5;
  if (schedule.every === 'week') return weekday === schedule.weekday;
  return true;
}

/** Days searched for the next slot: a weekly plan's day is at most 7 days on, plus today. */
const SEARCH_DAYS = 8;

/** The first time strictly after `after` (epoch ms) the schedule posts. */
export function nextSlot(after: number, schedule: Schedule): number {
  const time = parseTimeOfDay(schedule.at);
  if (!time) throw new RangeError(`not a time of day: ${schedule.at}`);
  // Noon never falls in a daylight-saving gap, so stepping from it lands on each calendar day once.
  const noon = DateTime.fromMillis(after, { zone: schedule.timeZone }).set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
  for (let day = 0; day < SEARCH_DAYS; day += 1) {
    const date = noon.plus({ days: day });
    if (!postsOn(date.weekday, schedule)) continue;
    const slot = DateTime.fromObject({ year: date.year, month: date.month, day: date.day, hour: time.hour, minute: time.minute }, { zone: schedule.timeZone });
    if (slot.toMillis() > after) return slot.toMillis();
  }
  throw new RangeError(`no slot within ${SEARCH_DAYS} days for ${JSON.stringify(schedule)}`);
}

/** A new plan's schedule: a weekly one posts on the weekday of its first post. */
export function scheduleFrom(now: number, every: ReadingCadence, at: string, timeZone: string): { schedule: Schedule; firstAt: number } {
  const daily: Schedule = { every: every === 'week' ? 'day' : every, at, timeZone, weekday: 1 };
  const firstAt = nextSlot(now, daily);
  const weekday = DateTime.fromMillis(firstAt, { zone: timeZone }).weekday;
  return { schedule: { every, at, timeZone, weekday }, firstAt };
}

/** "Sat 29 Mar 2025, 09:00 CET": a time as the plan's readers see it. */
export function formatLocal(epochMs: number, timeZone: string): string {
  return DateTime.fromMillis(epochMs, { zone: timeZone }).setLocale('en-GB').toFormat('ccc d LLL yyyy, HH:mm ZZZZ');
}

/** "every day at 09:00", "every weekday at 09:00", "every Friday at 18:30". */
export function describeSchedule(schedule: Schedule): string {
  const when = schedule.every === 'week' ? `every ${WEEKDAY_NAMES[schedule.weekday - 1] ?? 'week'}` : `every ${schedule.every}`;
  return `${when} at ${schedule.at} (${schedule.timeZone})`;
}
