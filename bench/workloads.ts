/** What the engine bench indexes and asks: the article, the SQuAD tune half, and ten copies of it. */
import { loadArticleSet, loadSquad } from '../eval/dataset.ts';
import { articleFromTexts } from '../src/corpus/load.ts';
import type { Article } from '../src/corpus/types.ts';

export interface Workload {
  name: string;
  articles: Article[];
  questions: string[];
}

export function paragraphCount(articles: readonly Article[]): number {
  return articles.reduce((sum, article) => sum + article.paragraphs.length, 0);
}

/** Every `step`-th item, so a sample spreads over all articles rather than the first few. */
function spread<T>(items: readonly T[], size: number): T[] {
  const step = Math.max(1, Math.floor(items.length / size));
  return items.filter((_, i) => i % step === 0).slice(0, size);
}

export async function articleWorkload(corpusDir: string, questionsFile: string): Promise<Workload> {
  const set = await loadArticleSet(corpusDir, questionsFile);
  const collection = set.collections[0];
  if (!collection) throw new Error(`${questionsFile}: no questions`);
  return { name: 'article', articles: collection.articles, questions: collection.questions.map(({ question }) => question) };
}

/**
 * The SQuAD file's articles in one index, as if the bot served all of them,
 * and `copies` synthetic copies of that (same texts under new slugs): the
 * vocabulary stays, the posting lists grow `copies` times.
 */
export async function squadWorkloads(file: string, copies: number, sampleQuestions: number): Promise<[Workload, Workload]> {
  const set = await loadSquad(file);
  const articles = set.collections.flatMap((collection) => collection.articles);
  const questions = set.collections.flatMap((collection) => collection.questions.map(({ question }) => question));
  const copied = Array.from({ length: copies }, (_, copy) =>
    articles.map((article) => articleFromTexts(`${article.slug}-copy-${copy + 1}`, article.title, article.paragraphs.map(({ text }) => text))),
  ).flat();
  return [
    { name: 'SQuAD tune half', articles, questions },
    { name: `${copies}× tune half`, articles: copied, questions: spread(questions, sampleQuestions) },
  ];
}
