/**
 * Button state lives in the custom_id itself, so buttons keep working after a
 * restart and no server-side session is needed:
 *
 *   fn1:p:<paragraph>:<article>    "Full ¶N"
 *   fn1:m:<offset>:<question>      "More passages", re-asking the question
 *   fn1:r:<article>:<positions>    "More passages" for a question too long to
 *                                  carry: the remaining ranked paragraphs, by
 *                                  position in the article, two base-36 digits each
 *
 * The free-text part comes last so it may contain ":". Anything else (older
 * formats, forged or damaged ids) decodes to undefined.
 */
import type { ReplyAction } from '../reply/reply.ts';
import { Limits } from './limits.ts';

/** The rest of a ranking, when the question that produced it does not fit in a custom_id. */
export interface RankedPassages {
  kind: 'ranked-passages';
  article: string;
  /** Positions of paragraphs in the article, best first. */
  positions: number[];
}

export type ButtonAction = ReplyAction | RankedPassages;

const VERSION = 'fn1';
const ARTICLE = /^[a-z0-9][a-z0-9-]{0,89}$/;
const MAX_PARAGRAPH = 9_999;
const MAX_OFFSET = 1_000;
const POSITION_DIGITS = 2;
const POSITIONS = /^(?:[0-9a-z]{2})+$/;
const MAX_POSITION = 36 ** POSITION_DIGITS - 1;

/** The custom_id for an action, or undefined when it cannot be expressed in 100 characters. */
export function encodeAction(action: ButtonAction): string | undefined {
  if (action.kind === 'full-passage') {
    if (!ARTICLE.test(action.article) || !Number.isInteger(action.paragraph)) return undefined;
    const id = `${VERSION}:p:${action.paragraph}:${action.article}`;
    return id.length <= Limits.customId ? id : undefined;
  }
  if (action.kind === 'more-passages') {
    const id = `${VERSION}:m:${action.offset}:${action.question}`;
    // A shortened question would rank differently, so it is never cut: see RankedPassages.
    return action.question.trim() !== '' && id.length <= Limits.customId ? id : undefined;
  }
  return encodeRanked(action);
}

/** As many of the positions as fit; the pages then end a little early, but each is the true next one. */
function encodeRanked(action: RankedPassages): string | undefined {
  if (!ARTICLE.test(action.article)) return undefined;
  const head = `${VERSION}:r:${action.article}:`;
  const room = Math.floor((Limits.customId - head.length) / POSITION_DIGITS);
  const kept = action.positions.slice(0, room);
  if (kept.length === 0 || kept.some((position) => !Number.isInteger(position) || position < 0 || position > MAX_POSITION)) return undefined;
  return head + kept.map((position) => position.toString(36).padStart(POSITION_DIGITS, '0')).join('');
}

function parseBounded(text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/** The action a custom_id stands for, or undefined when it is not one of ours or is malformed. */
export function decodeAction(customId: string): ButtonAction | undefined {
  if (customId.length > Limits.customId) return undefined;
  const match = /^([^:]+):([a-z]):([^:]*):([\s\S]*)$/.exec(customId);
  if (!match || match[1] !== VERSION) return undefined;
  const [, , kind, first = '', rest = ''] = match;
  if (kind === 'p') {
    const paragraph = parseBounded(first, 1, MAX_PARAGRAPH);
    return paragraph !== undefined && ARTICLE.test(rest) ? { kind: 'full-passage', article: rest, paragraph } : undefined;
  }
  if (kind === 'm') {
    const offset = parseBounded(first, 1, MAX_OFFSET);
    return offset !== undefined && rest.trim() !== '' ? { kind: 'more-passages', question: rest, offset } : undefined;
  }
  if (kind === 'r' && ARTICLE.test(first) && POSITIONS.test(rest)) {
    const positions = rest.match(/[0-9a-z]{2}/g)?.map((digits) => parseInt(digits, 36)) ?? [];
    return { kind: 'ranked-passages', article: first, positions };
  }
  return undefined;
}
