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
/**
 * Every format character (\p{Cf}: bidirectional controls and marks, zero-width
 * space and non-joiner, word joiner, soft hyphen, the Arabic letter mark, the
 * Mongolian vowel separator, tag characters, BOM…) but the zero-width joiner,
 * which STRAY_JOINER judges; and the other default-ignorable or blank-looking
 * characters: Hangul fillers, the combining grapheme joiner, Mongolian
 * variation selectors, the blank Braille pattern.
 */
// eslint-disable-next-line no-misleading-character-class -- the selectors and the joiner are listed on purpose, as lone code points
const INVISIBLE = /(?!\u200D)[\p{Cf}\u115F\u1160\u3164\uFFA0\u034F\u180B-\u180D\u180F\u2800]/gu;
/** A zero-width joiner that does not join two pictographs (with their variation selectors and skin tones). */
// eslint-disable-next-line no-misleading-character-class -- the skin-tone range is listed on purpose, as a lone code point
const STRAY_JOINER = /(?<![\p{Extended_Pictographic}\uFE0F\u{1F3FB}-\u{1F3FF}])\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

export function displaySafe(text: string): string {
  return text.replace(CONTROLS, '').replace(INVISIBLE, '').replace(STRAY_JOINER, '');
}

/** True when nothing would show: no letter, digit, symbol or punctuation once invisible characters are dropped. */
export function showsNothing(text: string): boolean {
  return !/[\p{L}\p{N}\p{S}\p{P}]/u.test(displaySafe(text));
}

/**
 * User text written into a Markdown file Footnote makes (a notes export):
 * shown as written by any Markdown viewer, never as a link, an image, HTML or
 * formatting: brackets (links, images), angle brackets (HTML, autolinks) and
 * emphasis marks are escaped with CommonMark's backslash; a bare address stays
 * text that shows its own target.
 */
export function markdownFileText(text: string): string {
  return displaySafe(text)
    .replace(/[\\`*_~[\]<>|]/g, '\\$&')
    .replace(/^(\s*)([#>+-]|\d+[.)])/gm, (_match, indent: string, mark: string) => `${indent}\\${mark}`);
}
