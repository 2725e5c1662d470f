/** Wording several commands share, so the same situation always reads the same. */
import { textReply, type Reply } from '../reply/reply.ts';
import { StoreWriteError } from '../store/types.ts';
import type { Invoker } from './types.ts';

/** "1 note", "3 notes". */
export function counted(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** Where a person's records are, as a reply says it: "in this server", or in a DM and the terminal "here". */
export function placeOf(invoker: Pick<Invoker, 'guildId'>): string {
  return invoker.guildId === undefined ? 'here' : 'in this server';
}

/** "29 Nov 2026": a day, in UTC, the same for every reader. */
export function shortDate(epochMs: number): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(epochMs));
}

/** What a reader is told when the database refuses a write; answering questions goes on regardless. Anything else is rethrown. */
export function cannotSave(error: unknown, what: string): Reply {
  if (!(error instanceof StoreWriteError)) throw error;
  const why = {
    full: 'the server running Footnote is out of disk space',
    'read-only': 'Footnote’s database is read-only at the moment',
    busy: 'Footnote’s database is busy',
    unreachable: 'Footnote’s database cannot be reached at the moment',
    other: 'Footnote’s database refused the change',
  }[error.reason];
  return textReply('error', `Could not ${what}`, [`Sorry, ${why}. Nothing was changed; questions are still answered. Please try again later.`], { private: true });
}
