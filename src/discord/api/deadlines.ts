/**
 * An interaction's two windows: its first response must reach Discord within
 * 3 s of its creation, and its token (edits, follow-ups) lives 15 minutes.
 * Nothing sent for an interaction waits past the window it belongs to — not a
 * request, not a rate-limit wait — since Discord would refuse it anyway.
 */

/** Discord refuses a first response later than this after the interaction's creation. */
export const CALLBACK_WINDOW_MS = 3_000;
/** An interaction token (its webhook) works this long after its creation. */
export const TOKEN_WINDOW_MS = 15 * 60_000;

/** When Discord created something, from its snowflake id (now if it is not one). */
export function snowflakeTime(id: string): number {
  return /^\d{1,20}$/.test(id) ? Number((BigInt(id) >> 22n) + 1_420_070_400_000n) : Date.now();
}

/** Epoch ms by which the first response must have arrived. */
export function callbackDeadline(interactionId: string): number {
  return snowflakeTime(interactionId) + CALLBACK_WINDOW_MS;
}

/** Epoch ms until which the interaction's token works. */
export function tokenDeadline(interactionId: string): number {
  return snowflakeTime(interactionId) + TOKEN_WINDOW_MS;
}

/**
 * A request's own time, never less than this: if this machine's clock ran
 * ahead of Discord's, a deadline computed here would otherwise cut every
 * request off before it started.
 */
export const SHORTEST_REQUEST_MS = 1_000;

/** An abort signal for a request that must be done by `deadline`. */
export function signalAt(deadline: number, now = Date.now()): AbortSignal {
  return AbortSignal.timeout(Math.max(SHORTEST_REQUEST_MS, deadline - now));
}

/** Whether waiting `waitMs` for a rate limit would end past `deadline`: then it is not worth waiting. */
export function waitOutlives(waitMs: number, deadline: number, now = Date.now()): boolean {
  return now + waitMs >= deadline;
}
