/**
 * The shape of an article's argument: each body paragraph's lead sentence,
 * and the one sentence that states what the article sets out to show.
 */
import type { Article, Paragraph } from '../corpus/types.ts';
import { bodyParagraphs } from '../corpus/types.ts';
import { splitSentences } from '../language/sentences.ts';
import { termsOf } from '../language/terms.ts';

/** A sentence of a body paragraph, verbatim, with its offset in the paragraph. */
export interface LocatedSentence {
  paragraph: Paragraph;
  sentence: string;
  start: number;
}

/** Every sentence of every body paragraph, in reading order. */
export function bodySentences(article: Article): LocatedSentence[] {
  return bodyParagraphs(article).flatMap((paragraph) =>
    splitSentences(paragraph.text).map(({ text, start }) => ({ paragraph, sentence: text, start })),
  );
}

export interface OutlineEntry {
  paragraph: Paragraph;
  /** The paragraph's first sentence, verbatim. */
  lead: string;
}

/** One entry per body paragraph: in argumentative prose the lead sentence carries the paragraph's point. */
export function outlineOf(article: Article): OutlineEntry[] {
  return bodyParagraphs(article).map((paragraph) => ({
    paragraph,
    lead: splitSentences(paragraph.text)[0]?.text ?? paragraph.text,
  }));
}

export interface Thesis {
  paragraph: Paragraph;
  sentence: string;
}

/**
 * Words that turn from what is commonly assumed to what the author holds.
 * Essays often open with the received view and state their own claim
 * against it ("Yet …", "… not only … but …").
 */
const CONTRAST = /^(?:yet|but|however|still|nevertheless|nonetheless)\b|\b(?:despite|although|even though|not only|in fact)\b/i;

/** A contrast is worth less than one shared title word: the title decides, the turn breaks ties. */
const CONTRAST_BONUS = 0.5;

/**
 * The thesis is looked for in the opening third of the body, where an essay
 * states it, and never only in the first paragraph, which is often a hook.
 */
function openingParagraphCount(total: number): number {
  return Math.min(total, Math.max(2, Math.ceil(total / 3)));
}

function squash(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[“”„‟"]/g, '"')
    .replace(/[‘’‚‛']/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * The sentence stating the article's thesis. With a `hint` (e.g. from front
 * matter), the first body sentence containing it, ignoring case, spacing and
 * quote styles. Otherwise derived: among the sentences of the opening third
 * of the body, the one sharing the most distinct content words (stemmed) with
 * the title, a contrast marker breaking near-ties and reading order the rest.
 * A title names the article's subject and an essay states its claim about
 * that subject early.
 */
export function thesisOf(article: Article, hint?: string): Thesis {
  const sentences = bodySentences(article);
  const first = sentences[0];
  if (first === undefined) throw new Error(`article ${article.slug} has no body sentences`);

  if (hint !== undefined && hint.trim() !== '') {
    const wanted = squash(hint);
    const hinted = sentences.find(({ sentence }) => squash(sentence).includes(wanted));
    if (hinted) return { paragraph: hinted.paragraph, sentence: hinted.sentence };
  }

  const titleTerms = new Set(termsOf(article.title));
  const opening = new Set(bodyParagraphs(article).slice(0, openingParagraphCount(bodyParagraphs(article).length)));
  let best = first;
  let bestScore = -1;
  for (const candidate of sentences) {
    if (!opening.has(candidate.paragraph)) continue;
    const shared = new Set(termsOf(candidate.sentence).filter((term) => titleTerms.has(term))).size;
    const score = shared + (shared > 0 && CONTRAST.test(candidate.sentence) ? CONTRAST_BONUS : 0);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return { paragraph: best.paragraph, sentence: best.sentence };
}
