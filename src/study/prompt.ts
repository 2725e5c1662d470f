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

/** Verbs and nouns of telling what someone said or did: a sentence with them reports. */
const REPORTING = new Set([
  ...['said', 'says', 'told', 'talked', 'stated', 'declared', 'announced', 'described', 'reiterated', 'reported', 'reportedly', 'noted', 'added', 'praised'],
  ...['met', 'visited', 'signed', 'agreed', 'complained', 'complaints', 'denied', 'claimed', 'claims', 'seen', 'according'],
  ...['discussed', 'emphasized', 'emphasised', 'stressed', 'urged', 'warned', 'insisted', 'repudiated'],
]);
const MONTH_OR_YEAR = /\b(?:January|February|March|April|May|June|July|August|September|October|November|December|(?:19|20)\d\d)\b/;
/** Words that announce an explanation of something. */
const EXPLAINING = new Set(['explanation', 'explanations', 'reason', 'reasons', 'because', 'explains', 'why']);
/** "X, then, cannot …", "therefore": the argument drawing its conclusion. */
const CONCLUDING = /(?:,\s*then,|\b(?:therefore|in short|in sum|in conclusion|ultimately)\b)/i;

/** What a paragraph does in the argument, which decides the question asked about it. */
export type ParagraphMove = 'claims' | 'reports' | 'explains' | 'concludes';

function reports(sentence: string): boolean {
  return MONTH_OR_YEAR.test(sentence) || wordsOf(sentence).some((word) => REPORTING.has(word));
}

/**
 * What the paragraph does, read from its sentences: it concludes when a
 * sentence draws the argument's conclusion (or it is the last paragraph and
 * takes a stance), explains when it announces reasons or explanations,
 * reports when most of its sentences tell what was said or done (reporting
 * verbs, dates), and otherwise claims. Returns the sentence that shows it.
 */
export function paragraphMove(sentences: readonly string[], last: boolean): { move: ParagraphMove; sentence?: string } {
  const concluding = sentences.find((sentence) => CONCLUDING.test(sentence) && stanceOf(sentence) > 0);
  if (concluding) return { move: 'concludes', sentence: concluding };
  const explaining = sentences.find((sentence) => wordsOf(sentence).some((word) => EXPLAINING.has(word)));
  if (explaining) return { move: 'explains', sentence: explaining };
  const reported = sentences.filter(reports);
  if (reported.length * 2 >= sentences.length && sentences.length > 0) return { move: 'reports', sentence: reported[0] };
  if (last && sentences.some((sentence) => stanceOf(sentence) > 0)) return { move: 'concludes' };
  return { move: 'claims' };
}

const QUESTIONS: Record<ParagraphMove, (label: string, quote: string) => string> = {
  claims: (label, quote) => `${label} argues “${quote}” — do you find this convincing? What evidence in the article supports or undercuts it?`,
  reports: (label, quote) => `${label} reports “${quote}” — why does the author include this, and what does it show about the article’s argument?`,
  explains: (label, quote) => `${label} explains “${quote}” — which explanation do you find more likely, and what in the article points to it?`,
  concludes: (label, quote) => `${label} concludes “${quote}” — which paragraphs lead to this, and does it follow from them?`,
};

/**
 * A discussion question on one paragraph, chosen by what the paragraph does
 * (paragraphMove): a claim is put to the reader to weigh, a report to place
 * in the argument, an explanation to test, a conclusion to trace back. The
 * quote is the sentence that shows the move; for a claim (or a conclusion
 * without a marker), its key claim: the sentence
 * taking the strongest stance (distinct stance words, up to two), the lead
 * sentence winning near-ties and, when `allSentencesOfArticle` is given,
 * how much of a sentence's vocabulary recurs in the rest of the article
 * deciding between equals; earliest on a full tie, so a paragraph that only
 * reports falls back to its lead sentence. A
 * claim is put to the reader to weigh; a report, to place in the argument.
 * Same input, same question.
 */
export function discussionPrompt(paragraph: Paragraph, allSentencesOfArticle?: readonly string[], last = false): string {
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
  const { move, sentence } = paragraphMove(sentences, last);
  // A paragraph that neither argues nor tells is read as reporting, as before: its lead sentence is placed in the argument.
  const shown = move === 'claims' && stanceOf(key) === 0 ? 'reports' : move;
  return QUESTIONS[shown](paragraph.label, quotable(sentence ?? key));
}
