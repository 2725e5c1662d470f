/** How review replies say when: "in 10 minutes", "in 3 days"; short for buttons: "10 min", "3 d". */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MONTH = 30 * DAY;

function unit(count: number, long: string, short: string, brief: boolean): string {
  return brief ? `${count} ${short}` : `in ${count} ${long}${count === 1 ? '' : 's'}`;
}

export function inHowLong(ms: number, brief = false): string {
  if (ms < MINUTE / 2) return 'now';
  if (ms < HOUR) return unit(Math.max(1, Math.round(ms / MINUTE)), 'minute', 'min', brief);
  if (ms < DAY) return unit(Math.round(ms / HOUR), 'hour', 'h', brief);
  if (ms < 2 * MONTH) return unit(Math.round(ms / DAY), 'day', 'd', brief);
  return unit(Math.round(ms / MONTH), 'month', 'mo', brief);
}
