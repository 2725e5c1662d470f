/**
 * When a text is imported again (edited, corrected, re-exported), each note
 * goes to the paragraph that still says what its paragraph said: the same ¶
 * if it still does, else the paragraph that holds the start of the old one,
 * else the one sharing most of its words. A note whose paragraph is gone is
 * detached (paragraph 0): kept, listed, never pinned to the wrong place.
 */
import { bodyParagraphs, type Article } from '../corpus/types.ts';
import type { NoteAnchor } from '../store/types.ts';

/** How much of a paragraph a note keeps as its anchor. */
export const ANCHOR_CHARS = 300;
/** The start of the old paragraph that must still appear for a match by quotation. */
const QUOTED_CHARS = 120;
/** The share of words two paragraphs must share to be the same paragraph reworded. */
const SAME_WORDS = 0.6;

export interface Reanchored {
  /** Note id → new paragraph (0: detached), for the notes whose paragraph changes. */
  moves: Map<number, number>;
  kept: number;
  moved: number;
  detached: number;
}

/** The anchor a note keeps: the start of its paragraph. */
export function anchorOf(paragraphText: string): string {
  return paragraphText.slice(0, ANCHOR_CHARS);
}

const normal = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
const wordsOf = (text: string) => new Set(normal(text).split(' ').filter((word) => word.length > 2));

function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  return shared / (a.size + b.size - shared);
}

export function reanchor(notes: readonly NoteAnchor[], before: Article | undefined, after: Article): Reanchored {
  const oldBody = before ? bodyParagraphs(before) : [];
  const newBody = bodyParagraphs(after).map((paragraph) => ({ number: paragraph.number, normal: normal(paragraph.text), words: wordsOf(paragraph.text) }));
  const result: Reanchored = { moves: new Map(), kept: 0, moved: 0, detached: 0 };
  for (const note of notes) {
    // Notes written before anchors were kept are read against the version they were written on.
    const anchor = note.anchor !== '' ? note.anchor : (oldBody[note.paragraph - 1]?.text ?? '');
    const quoted = normal(anchor).slice(0, QUOTED_CHARS);
    const same = newBody[note.paragraph - 1];
    let target: number;
    if (quoted !== '' && same?.normal.includes(quoted)) target = note.paragraph;
    else {
      const holding = quoted === '' ? undefined : newBody.find((paragraph) => paragraph.normal.includes(quoted));
      if (holding) target = holding.number;
      else {
        const words = wordsOf(anchor);
        const best = newBody.map((paragraph) => ({ number: paragraph.number, score: overlap(words, paragraph.words) })).sort((a, b) => b.score - a.score)[0];
        target = best && best.score >= SAME_WORDS ? best.number : 0;
      }
    }
    if (target === note.paragraph) result.kept += 1;
    else {
      result.moves.set(note.id, target);
      if (target === 0) result.detached += 1;
      else result.moved += 1;
    }
  }
  return result;
}
