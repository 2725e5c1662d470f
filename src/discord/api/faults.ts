/**
 * Fault injection, so the end-to-end tests can drive the error and slow paths
 * through the real entry point. Off unless FOOTNOTE_FAULTS is set, e.g.
 *
 *   FOOTNOTE_FAULTS="throw=KABOOM,slow=SNAIL,block=FREEZE"
 *
 * A command whose text (an option value or the selected message) contains
 * KABOOM fails as if its handler had thrown; one containing SNAIL answers only
 * after SLOW_MS, as a slow asynchronous handler would; one containing FREEZE
 * keeps the thread busy for BLOCK_MS, as a slow synchronous handler would
 * (nothing else in the process runs meanwhile). Production never sets it; the
 * bot logs a warning at start when it is set.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { CommandInput } from '../../commands/types.ts';

export const SLOW_MS = 1_500;
/** Longer than Discord's 3 s: only a deferral sent from another thread can be in time. */
export const BLOCK_MS = 3_500;

export class InjectedFault extends Error {
  constructor() {
    super('injected fault (FOOTNOTE_FAULTS)');
    this.name = 'InjectedFault';
  }
}

export interface Faults {
  /** Runs just before a command handler, where a real handler would fail or stall. */
  beforeHandler(input: CommandInput): Promise<void>;
}

function textOf(input: CommandInput): string {
  return [...Object.values(input.options), input.targetText].filter((value) => typeof value === 'string').join('\n');
}

/** Parses FOOTNOTE_FAULTS; undefined when unset or empty. */
export function faultsFrom(spec: string | undefined): Faults | undefined {
  if (spec === undefined || spec.trim() === '') return undefined;
  const markers = new Map<string, string>();
  for (const part of spec.split(',')) {
    const [kind = '', marker = ''] = part.split('=').map((piece) => piece.trim());
    if ((kind === 'throw' || kind === 'slow' || kind === 'block') && marker !== '') markers.set(kind, marker);
  }
  const throwOn = markers.get('throw');
  const slowOn = markers.get('slow');
  const blockOn = markers.get('block');
  return {
    async beforeHandler(input) {
      const text = textOf(input);
      if (blockOn !== undefined && text.includes(blockOn)) busyWait(BLOCK_MS);
      if (slowOn !== undefined && text.includes(slowOn)) await delay(SLOW_MS);
      if (throwOn !== undefined && text.includes(throwOn)) throw new InjectedFault();
    },
  };
}

function busyWait(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Spinning on purpose: this thread handles no timer, I/O or message meanwhile.
  }
}
