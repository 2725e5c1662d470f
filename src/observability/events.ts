/**
 * What is observed of each event the bot handles: its kind and outcome. The
 * pipeline reports them and the metrics count them; kept here, below both, so
 * observability depends on nothing above it.
 */

export interface EventObserver {
  observe(kind: EventKind, outcome: Outcome, latencyMs: number): void;
}

export type EventKind = 'slash' | 'context-menu' | 'button' | 'select' | 'modal' | 'autocomplete' | 'dm' | 'mention';

export type Outcome =
  | 'answered'
  | 'deferred'
  | 'cooldown'
  | 'invalid-button'
  | 'unknown-command'
  | 'invalid-input'
  | 'handler-error'
  /** The database could not be reached: told so plainly, logged once a minute. */
  | 'store-unavailable'
  | 'rest-error'
  /** Waited too long for its turn under load: apologised for instead of run. */
  | 'shed'
  /** Arrived or was still unanswered while the bot was stopping: told so. */
  | 'stopping';
