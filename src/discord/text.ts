/**
 * Text that must fit Discord's limits and render as written: truncation at word
 * boundaries with "…", and Markdown escaping so quoted text shows verbatim.
 */
import type { Span } from '../answer/reply.ts';

export const ELLIPSIS = '…';

/** Ends before a lone high surrogate, so an emoji is never cut in half. */
function safeCut(text: string, end: number): string {
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}

/**
 * `text` if it fits in `max`; otherwise cut at the last word boundary in the
 * second half of the allowance (else mid-word) and end with "…".
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return safeCut(ELLIPSIS, max);
  const room = max - ELLIPSIS.length;
  const cut = safeCut(text, room + 1);
  const boundary = cut.search(/\s\S*$/u);
  const head = boundary >= room / 2 ? cut.slice(0, boundary) : safeCut(text, room);
  return `${head.trimEnd()}${ELLIPSIS}`;
}

/** Characters that format anywhere in a line: emphasis, code, spoilers, strikethrough, masked links. */
const INLINE_MARKUP = /[\\*_~`|[\]]/g;
/** Markup that only counts at the start of a line: headings, quotes, bullets, numbered lists. */
const LINE_MARKUP = /^([ \t]*)(#|>|-(?=\s)|\d+(?=\.\s))/gm;

/**
 * Escapes everything Discord would read as formatting, so quoted text shows
 * as written. Linear time, unlike a general Markdown escaper: texts here can
 * be thousands of characters long.
 */
export function escapeText(text: string): string {
  return text.replace(INLINE_MARKUP, '\\$&').replace(LINE_MARKUP, (_match, indent: string, mark: string) => (/^\d/.test(mark) ? `${indent}${mark}\\` : `${indent}\\${mark}`));
}

/**
 * Truncates already-escaped text; a cut that would leave a dangling "\"
 * (which would escape the "…") drops it.
 */
export function truncateEscaped(text: string, max: number): string {
  const cut = truncate(text, max);
  if (cut === text) return text;
  const head = cut.slice(0, -ELLIPSIS.length);
  const trailing = /\\+$/.exec(head)?.[0].length ?? 0;
  return trailing % 2 === 1 ? `${head.slice(0, -1)}${ELLIPSIS}` : cut;
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
 * so bold markers always stay balanced.
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
    const room = max - out.length - (span.emphasis ? 4 : 0);
    if (room > ELLIPSIS.length + 1) {
      const cut = truncateEscaped(escaped, room);
      out += span.emphasis ? `${bold(cut.slice(0, -ELLIPSIS.length))}${ELLIPSIS}` : cut;
    } else {
      out += ELLIPSIS;
    }
    break;
  }
  return out;
}
