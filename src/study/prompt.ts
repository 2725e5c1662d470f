/**
 * A question for discussing one paragraph, built from the paragraph's own
 * words: its key claim quoted verbatim, and a question about it that adds no
 * facts of its own.
 */
import type { Paragraph } from '../corpus/types.ts';
import { splitSentences } from '../language/sentences.ts';
import { termsOf } from '../language/terms.ts';

/**
 * Words that take a stance rather than report: negation, modality,
 * concession and contrast, inference, emphasis. A sentence with them argues
 * something a reader can weigh; one without them tells what happened.
 */
const STANCE = new Set([
  ...['not', 'no', 'never', 'neither', 'nor', 'cannot', "can't", "don't", "didn't", "won't", 'none'],
  ...['must', 'should', 'may', 'might', 'could', 'would', 'can', 'possibility', 'possible', 'possibly', 'perhaps', 'likely', 'unlikely'],
  ...['but', 'yet', 'however', 'though', 'although', 'despite', 'nevertheless', 'nonetheless', 'instead'],
  ...['means', 'thus', 'therefore', 'hence', 'because', 'so'],
  ...['clearly', 'definitely', 'indeed', 'actually', 'fundamentally', 'essentially', 'certainly', 'only'],
]);

/**
 * Connectives that tie a sentence to the one before ("Further,", "On the
 * other hand,"); the quote starts after them so it reads on its own.
 */
const LEADING_CONNECTIVE =
  /^(?:(?:yet|but|and|so|thus|still|then|further|furthermore|moreover|indeed|however|in addition|more fundamentally|on the other hand|in fact)\b,?\s+)+/i;

/** Two stance words make a claim; more are no stronger a claim, only a longer sentence. */
const STANCE_ENOUGH = 2;
/** The lead sentence usually states the paragraph's point (as in the outline): it wins a near-tie. */
const LEAD_BONUS = 0.5;
/** Centrality decides between equally argued sentences, never against a clearer stance. */
const CENTRALITY_WEIGHT = 0.4;

/** A sentence longer than this is quoted by its weightiest clause. */
const MAX_QUOTE_WORDS = 40;
/** A clause shorter than this is too little to discuss. */
const MIN_CLAUSE_WORDS = 6;

/** Dashes, semicolons, colons and parentheses separate clauses. */
const CLAUSE_BREAK = /\s*(?:[—–;:]|\([^)]*\))\s*/g;

function wordsOf(text: string): string[] {
  return text.toLowerCase().replace(/[’ʼ]/g, "'").match(/[\p{L}\p{N}']+/gu) ?? [];
}

function stanceOf(text: string): number {
  return new Set(wordsOf(text).filter((word) => STANCE.has(word))).size;
}

/**
 * How much of a sentence's vocabulary the rest of the article shares (0–1):
 * a claim the article keeps returning to is more central than an aside.
 */
function centrality(sentence: string, article: readonly string[] | undefined): number {
  if (!article || article.length === 0) return 0;
  const terms = new Set(termsOf(sentence));
  if (terms.size === 0) return 0;
  const elsewhere = new Set(article.filter((other) => other !== sentence).flatMap((other) => termsOf(other)));
  return [...terms].filter((term) => elsewhere.has(term)).length / terms.size;
}

/** Trims a span of `text` to its words: no connective in front, no punctuation at either end. */
function tidy(text: string): string {
  return text
    .replace(LEADING_CONNECTIVE, '')
    .replace(/^[\s,.;:]+/, '')
    .replace(/[\s,.;:!?]+$/, '');
}

/** The part of a sentence to quote: all of it when short, else its clause with the most stance (then the longest). */
function quotable(sentence: string): string {
  const whole = tidy(sentence);
  if (wordsOf(whole).length <= MAX_QUOTE_WORDS) return whole;
  const clauses = sentence
    .split(CLAUSE_BREAK)
    .map(tidy)
    .filter((clause) => wordsOf(clause).length >= MIN_CLAUSE_WORDS);
  let best: string | undefined;
  for (const clause of clauses) {
    if (
      best === undefined ||
      stanceOf(clause) > stanceOf(best) ||
      (stanceOf(clause) === stanceOf(best) && wordsOf(clause).length > wordsOf(best).length)
    ) {
      best = clause;
    }
  }
  return best ?? whole;
}

/**
 * A discussion question on one paragraph. Its key claim is the sentence
 * taking the strongest stance (distinct stance words, up to two), the lead
 * sentence winning near-ties and, when `allSentencesOfArticle` is given,
 * how much of a sentence's vocabulary recurs in the rest of the article
 * deciding between equals; earliest on a full tie, so a paragraph that only
 * reports falls back to its lead sentence. A
 * claim is put to the reader to weigh; a report, to place in the argument.
 * Same input, same question.
 */
export function discussionPrompt(paragraph: Paragraph, allSentencesOfArticle?: readonly string[]): string {
  const sentences = splitSentences(paragraph.text).map((sentence) => sentence.text);
  let key = sentences[0] ?? paragraph.text;
  let bestScore = -1;
  for (const [index, sentence] of sentences.entries()) {
    const score =
      Math.min(stanceOf(sentence), STANCE_ENOUGH) + (index === 0 ? LEAD_BONUS : 0) + CENTRALITY_WEIGHT * centrality(sentence, allSentencesOfArticle);
    if (score > bestScore) {
      key = sentence;
      bestScore = score;
    }
  }
  const quote = quotable(key);
  return stanceOf(key) > 0
    ? `${paragraph.label} says “${quote}” — do you find this convincing? What evidence in the article supports or undercuts it?`
    : `${paragraph.label} reports “${quote}” — why does the author include this, and what does it show about the article’s argument?`;
}
