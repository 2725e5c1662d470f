/** Shortening text for limits without cutting an emoji in half or a word where avoidable. */

export const ELLIPSIS = '…';

/** The first `end` UTF-16 units, one less if that would leave a lone high surrogate. */
export function safeCut(text: string, end: number): string {
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}

/**
 * The start of `text` in at most `room` units: cut at the last word boundary
 * in the second half of the room (else mid-word), trailing space dropped.
 */
export function cutAtWord(text: string, room: number): string {
  if (text.length <= room) return text.trimEnd();
  const cut = safeCut(text, room + 1);
  const boundary = cut.search(/\s\S*$/u);
  return (boundary >= room / 2 ? cut.slice(0, boundary) : safeCut(text, room)).trimEnd();
}

/** `text` if it fits in `max`; otherwise its head cut at a word, ending with "…". */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return safeCut(ELLIPSIS, max);
  return `${cutAtWord(text, max - ELLIPSIS.length)}${ELLIPSIS}`;
}
