/** Turns a search outcome into a Reply: verbatim answer sentences, cited passages, follow-ups. */
import type { Article, Paragraph } from '../corpus/types.ts';
import type { RankedPassage, SearchOutcome } from '../answer/engine.ts';
import { emphasize, excerpt } from './excerpt.ts';
import { textReply, type Citation, type PassageView, type FullPassageAction, type MorePassagesAction, type Reply, type ReplyAction } from './reply.ts';

export function citationOf(paragraph: Paragraph): Citation {
  return { article: paragraph.article, paragraph: paragraph.number, label: paragraph.label, role: paragraph.role };
}

/** The "Full ¶N" action for a body paragraph. */
export function fullPassage(paragraph: Paragraph): FullPassageAction {
  return { kind: 'full-passage', article: paragraph.article, paragraph: paragraph.number };
}

export function footerOf(article: Article): string {
  return `${article.title} — ${article.author}`;
}

export interface ComposeOptions {
  /** Passages to show. */
  top: number;
  /** Passages already shown by earlier pages ("More passages"). */
  offset: number;
  /** Heading of the reply; the question by default. */
  title: string;
  /** Commands to suggest when the article does not cover the question. */
  suggestions: string[];
  articles: ReadonlyMap<string, Article>;
  /** Only these index terms are bolded (the asker's own words of a follow-up searched with more); all matched terms otherwise. */
  emphasisOnly?: ReadonlySet<string>;
}

/** Said above passages that are only the closest the article has: a reader should weigh them, not take them as the answer. */
export const LOW_CONFIDENCE_NOTE = 'The article may not answer this directly; the closest passages are:';

/** Put before a passage's sentence that the answer quotes just above, so it does not read as something new. */
export const QUOTED_ABOVE = '(quoted above) ';

/** Puts QUOTED_ABOVE before each run of quoted sentences in `text` (sentences next to each other share one). */
export function markQuoted(text: string, quoted: readonly string[]): string {
  const spans = quoted
    .map((sentence) => ({ start: text.indexOf(sentence), end: text.indexOf(sentence) + sentence.length }))
    .filter((span) => span.start >= 0)
    .sort((a, b) => a.start - b.start);
  let marked = '';
  let at = 0;
  let runEnd = -1;
  for (const span of spans) {
    const joinsRun = runEnd >= 0 && text.slice(runEnd, span.start).trim() === '';
    marked += text.slice(at, span.start) + (joinsRun ? '' : QUOTED_ABOVE);
    at = span.start;
    runEnd = span.end;
  }
  return marked + text.slice(at);
}

/**
 * Under an answer, a further passage is shown when it covers at least this
 * share of what the first one covers of the question: a paragraph that only
 * shares the article's subject ("Russia", "Iran") with the question adds
 * nothing, and waits behind "More passages".
 */
const ADDS_SOMETHING = 0.5;

/** The first page's passages under an answer, cut before the first that adds little; low-confidence and later pages keep all. */
function addingSomething(outcome: SearchOutcome, shown: readonly RankedPassage[], offset: number): RankedPassage[] {
  const best = shown[0]?.coverage ?? 0;
  if (offset > 0 || outcome.confidence !== 'high' || best === 0) return [...shown];
  const cut = shown.findIndex((passage, i) => i > 0 && passage.coverage < ADDS_SOMETHING * best);
  return cut === -1 ? [...shown] : shown.slice(0, cut);
}

export function composeAnswer(outcome: SearchOutcome, options: ComposeOptions): Reply {
  if (outcome.confidence === 'none') {
    return textReply('not-found', options.title, [
      'The article does not seem to cover that, so there is nothing to quote.',
      `Try other words from the article, a topic such as ${options.suggestions.join(', ')}, or /help for every command.`,
      'For the title, the author and how to cite, see /about.',
    ]);
  }
  const shown = addingSomething(outcome, outcome.passages.slice(options.offset, options.offset + options.top), options.offset);
  const passages: PassageView[] = shown.map((passage) => {
    let text = excerpt(
      passage.paragraph.text,
      passage.allSentences,
      passage.sentences.map((sentence) => sentence.index),
    );
    // What the answer quotes just above is marked where it stands in the passage, once per run of quoted sentences, so it does not read as new.
    const quoted = options.offset === 0 ? outcome.answer.filter((pick) => pick.paragraph === passage.paragraph).map((pick) => pick.text) : [];
    text = markQuoted(text, quoted);
    const { emphasisOnly } = options;
    const bold = emphasisOnly === undefined ? passage.matchedTerms : new Set([...passage.matchedTerms].filter((term) => emphasisOnly.has(term)));
    return { cite: citationOf(passage.paragraph), excerpt: emphasize(text, bold), full: passage.paragraph.text, score: passage.score };
  });
  // "Full ¶N" opens /passage N, which numbers body paragraphs only; comments and notes are shown whole already.
  const actions: ReplyAction[] = shown.filter((passage) => passage.paragraph.role === 'body').map((passage) => fullPassage(passage.paragraph));
  const next = options.offset + shown.length;
  if (next < outcome.passages.length) actions.push({ kind: 'more-passages', question: outcome.question, offset: next } satisfies MorePassagesAction);

  const first = outcome.passages[0]?.paragraph.article;
  const article = first === undefined ? undefined : options.articles.get(first);
  const answer = options.offset === 0 ? outcome.answer.map((pick) => ({ text: pick.text, cite: citationOf(pick.paragraph) })) : [];
  const notes = passages.length === 0 ? ['No more passages match this question.'] : [];
  if (outcome.confidence === 'low' && options.offset === 0) notes.unshift(LOW_CONFIDENCE_NOTE);
  return {
    kind: 'answer',
    confidence: outcome.confidence === 'low' ? 'low' : 'high',
    title: options.title,
    answer,
    passages,
    notes,
    actions,
    ...(article ? { footer: footerOf(article) } : {}),
  };
}
