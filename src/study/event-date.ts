/**
 * A date as far as an article gives it, and how it is shown. Kept apart from
 * the timeline, which loads a date parser: showing a date must not load it.
 */
export interface EventDate {
  year: number;
  month?: number;
  day?: number;
}

/** "14 March 2016", "February 2016" or "2016": as much as the article says, no more. */
export function formatEventDate({ year, month, day }: EventDate): string {
  if (month === undefined) return String(year);
  const date = new Date(Date.UTC(year, month - 1, day ?? 1));
  const options: Intl.DateTimeFormatOptions = { timeZone: 'UTC', year: 'numeric', month: 'long', ...(day === undefined ? {} : { day: 'numeric' }) };
  return new Intl.DateTimeFormat('en-GB', options).format(date);
}
