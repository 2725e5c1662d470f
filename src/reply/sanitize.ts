/**
 * Text from people (questions, notes, names, prompts) shown back to people:
 * invisible and direction-changing characters are dropped, so a note cannot
 * reverse the text after it or hide words, and control characters (terminal
 * escape sequences) never reach a screen. A zero-width joiner inside an emoji
 * sequence (👩‍💻) is kept. Every renderer passes its text through here.
 */

/** C0 controls but tab and newline, DEL, C1 controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/gu;
/** Bidirectional overrides, embeddings, isolates and marks; zero-width space, non-joiner, word joiner, BOM. */
const INVISIBLE = /[\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;
/** A zero-width joiner that does not join two pictographs (with their variation selectors and skin tones). */
// eslint-disable-next-line no-misleading-character-class -- the skin-tone range is listed on purpose, as a lone code point
const STRAY_JOINER = /(?<![\p{Extended_Pictographic}\uFE0F\u{1F3FB}-\u{1F3FF}])\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

export function displaySafe(text: string): string {
  return text.replace(CONTROLS, '').replace(INVISIBLE, '').replace(STRAY_JOINER, '');
}
