/**
 * Button state lives in the custom_id itself, so buttons keep working after a
 * restart and no server-side session is needed:
 *
 *   fn1:p:<paragraph>:<article>   "Full ¶N"
 *   fn1:m:<offset>:<question>     "More passages"
 *
 * The free-text part comes last so it may contain ":". Anything else (older
 * formats, forged or damaged ids) decodes to undefined.
 */
import type { ReplyAction } from '../answer/reply.ts';
import { Limits } from './limits.ts';

const VERSION = 'fn1';
const ARTICLE = /^[a-z0-9][a-z0-9-]{0,89}$/;
const MAX_PARAGRAPH = 9_999;
const MAX_OFFSET = 1_000;

/** The custom_id for an action, or undefined when it cannot be expressed in 100 characters. */
export function encodeAction(action: ReplyAction): string | undefined {
  if (action.kind === 'full-passage') {
    if (!ARTICLE.test(action.article) || !Number.isInteger(action.paragraph)) return undefined;
    const id = `${VERSION}:p:${action.paragraph}:${action.article}`;
    return id.length <= Limits.customId ? id : undefined;
  }
  const head = `${VERSION}:m:${action.offset}:`;
  // A shortened question still finds the same passages in practice; cut at a word.
  const room = Limits.customId - head.length;
  const question = action.question.replace(/\s+/g, ' ').trim();
  const cut = question.length <= room ? question : question.slice(0, room).replace(/\s+\S*$/u, '') || question.slice(0, room);
  return cut === '' ? undefined : `${head}${safeEnd(cut)}`;
}

/** Drops a lone high surrogate at the end, which a slice can leave. */
function safeEnd(text: string): string {
  const code = text.charCodeAt(text.length - 1);
  return code >= 0xd800 && code <= 0xdbff ? text.slice(0, -1) : text;
}

function parseBounded(text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/** The action a custom_id stands for, or undefined when it is not one of ours or is malformed. */
export function decodeAction(customId: string): ReplyAction | undefined {
  if (customId.length > Limits.customId) return undefined;
  const match = /^([^:]+):([a-z]):([^:]*):([\s\S]*)$/.exec(customId);
  if (!match || match[1] !== VERSION) return undefined;
  const [, , kind, number, rest = ''] = match;
  if (kind === 'p') {
    const paragraph = parseBounded(number, 1, MAX_PARAGRAPH);
    return paragraph !== undefined && ARTICLE.test(rest) ? { kind: 'full-passage', article: rest, paragraph } : undefined;
  }
  if (kind === 'm') {
    const offset = parseBounded(number, 1, MAX_OFFSET);
    return offset !== undefined && rest.trim() !== '' ? { kind: 'more-passages', question: rest, offset } : undefined;
  }
  return undefined;
}
