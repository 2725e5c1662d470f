/**
 * "More passages" for questions too long to carry in a custom_id: the button
 * carries the rest of the ranking instead (see RankedPassages), so its page
 * is the true next page, after a restart too. Such a page shows each
 * paragraph whole, since the question is not at hand to pick excerpts with.
 */
import { citationOf, footerOf } from '../reply/compose.ts';
import type { Reply, ReplyAction } from '../reply/reply.ts';
import { DEFAULT_TOP, type Library } from '../library.ts';
import { encodeAction, type ButtonAction, type RankedPassages } from './custom-id.ts';
import { renderReply, type DiscordMessage, type RenderOptions } from './render.ts';

/** The ranking after `offset`, within the article of its next passage (a button names one article). */
function remainingRanking(library: Library, action: Extract<ReplyAction, { kind: 'more-passages' }>): RankedPassages | undefined {
  const remaining = library.engine.search(action.question).passages.slice(action.offset).map((passage) => passage.paragraph);
  const article = remaining[0]?.article;
  if (article === undefined) return undefined;
  const end = remaining.findIndex((paragraph) => paragraph.article !== article);
  return { kind: 'ranked-passages', article, positions: remaining.slice(0, end === -1 ? undefined : end).map((paragraph) => paragraph.position) };
}

/** The reply's actions as buttons can carry them: a question too long for "More passages" gives way to its ranking. */
export function buttonActions(library: Library, reply: Reply): ButtonAction[] {
  return reply.actions.map((action) => (action.kind === 'more-passages' && encodeAction(action) === undefined ? (remainingRanking(library, action) ?? action) : action));
}

/** renderReply, with buttons that work whatever the question's length. */
export function renderAnswer(library: Library, reply: Reply, options: RenderOptions = {}): DiscordMessage {
  return renderReply(reply, { ...options, actions: buttonActions(library, reply) });
}

/** The next page of a ranking: its first passages, and a button for the rest; undefined when the ranking is stale. */
export function rankedPage(library: Library, ranking: RankedPassages): { reply: Reply; actions: ButtonAction[] } | undefined {
  const article = library.articles.find((candidate) => candidate.slug === ranking.article);
  const paragraphs = ranking.positions.slice(0, DEFAULT_TOP).map((position) => article?.paragraphs[position]);
  if (!article || paragraphs.some((paragraph) => paragraph === undefined)) return undefined;
  const shown = paragraphs.filter((paragraph) => paragraph !== undefined);
  const fullPassages: ReplyAction[] = shown
    .filter((paragraph) => paragraph.role === 'body')
    .map((paragraph) => ({ kind: 'full-passage', article: article.slug, paragraph: paragraph.number }));
  const rest = ranking.positions.slice(DEFAULT_TOP);
  const reply: Reply = {
    kind: 'answer',
    title: 'More passages',
    answer: [],
    passages: shown.map((paragraph) => ({ cite: citationOf(paragraph), excerpt: [{ text: paragraph.text }], full: paragraph.text, score: 0 })),
    notes: [],
    actions: fullPassages,
    footer: footerOf(article),
  };
  return { reply, actions: rest.length > 0 ? [...fullPassages, { ...ranking, positions: rest }] : fullPassages };
}
