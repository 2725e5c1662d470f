/**
 * Text that must fit Discord's limits and render as written: truncation at word
 * boundaries with "…", and Markdown escaping so quoted text shows verbatim.
 */
import type { Span } from '../../reply/reply.ts';
import { displaySafe } from '../../reply/sanitize.ts';
import { cutAtWord, ELLIPSIS, safeCut, truncate } from '../../truncate.ts';

export { ELLIPSIS, truncate };

/** The start of `text` that leaves room for "…" within `max`. */
function headBefore(text: string, max: number): string {
  return cutAtWord(text, max - ELLIPSIS.length);
}

/** Characters that format anywhere in a line: emphasis, code, spoilers, strikethrough, masked links. */
const INLINE_MARKUP = /[\\*_~`|[\]]/g;
/** Markup that only counts at the start of a line: headings and subtext, quotes, bullets, numbered lists. */
const LINE_MARKUP = /^([ \t]*)(-#|#|>|-(?=\s)|\d+(?=\.\s))/gm;
/** Mention markup (<@id>, <@&role>, <#channel>, </command:id>, <:emoji:id>) shows as written once its "<" is escaped. */
const MENTION_MARKUP = /<(?=[@#:/]|a:)/g;
/** @everyone and @here never ping (allowed_mentions), but are broken up so they do not even look like a ping. */
const MASS_MENTION = /@(everyone|here)\b/g;

/**
 * Escapes everything Discord would read as formatting or a mention, and drops
 * invisible and control characters, so quoted and user text shows as written.
 * Linear time, unlike a general Markdown escaper: texts here can be thousands
 * of characters long.
 */
export function escapeText(text: string): string {
  return displaySafe(text)
    .replace(INLINE_MARKUP, '\\$&')
    .replace(MENTION_MARKUP, '\\<')
    .replace(MASS_MENTION, '@\u200b$1')
    .replace(LINE_MARKUP, (_match, indent: string, mark: string) => (/^\d/.test(mark) ? `${indent}${mark}\\` : `${indent}\\${mark}`));
}

/**
 * The head of already-escaped text that leaves room for "…" within `max`,
 * never ending in a lone "\\" (which would escape whatever follows).
 */
function escapedHeadBefore(text: string, max: number): string {
  const head = headBefore(text, max);
  const trailing = /\\+$/.exec(head)?.[0].length ?? 0;
  return trailing % 2 === 1 ? head.slice(0, -1) : head;
}

/** Already-escaped text cut to `max`, ending with "…" when cut. */
export function truncateEscaped(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return safeCut(ELLIPSIS, max);
  return `${escapedHeadBefore(text, max)}${ELLIPSIS}`;
}

/** Escaped text cut to `max`. */
export function fitText(text: string, max: number): string {
  return truncateEscaped(escapeText(text), max);
}

/** Bold needs its markers against the words: "** word **" would not render. */
function bold(escaped: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/u.exec(escaped) as RegExpExecArray;
  const [, before = '', core = '', after = ''] = match;
  return core === '' ? escaped : `${before}**${core}**${after}`;
}

/**
 * Spans as Markdown (emphasis in bold), escaped, at most `max` long. When the
 * text does not fit, the span that overflows is cut at a word and "…" ends it,
 * so bold markers always stay balanced and a cut is always visible.
 */
export function renderSpans(spans: readonly Span[], max: number): string {
  let out = '';
  for (const [index, span] of spans.entries()) {
    const escaped = escapeText(span.text);
    const piece = span.emphasis ? bold(escaped) : escaped;
    // Until the last span, keep room for the "…" that a later overflow needs.
    const limit = index === spans.length - 1 ? max : max - ELLIPSIS.length;
    if (out.length + piece.length <= limit) {
      out += piece;
      continue;
    }
    // This span is cut, even when it would fit by itself: "…" must follow it.
    const room = max - out.length - (span.emphasis ? 4 : 0);
    const head = room > ELLIPSIS.length ? escapedHeadBefore(escaped, room) : '';
    if (head.trim() !== '') out += span.emphasis ? bold(head) : head;
    return `${out}${ELLIPSIS}`;
  }
  return out;
}
