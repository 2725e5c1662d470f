/**
 * What the evaluation asks: collections of articles, each searched on its own,
 * and questions whose gold is one paragraph of that collection.
 */
import { readFile } from 'node:fs/promises';
import { articleFromTexts, loadCorpus } from '../src/corpus/load.ts';
import type { Article, Paragraph } from '../src/corpus/types.ts';

export interface EvalQuestion {
  question: string;
  /** Index of the gold paragraph in its collection's `paragraphs`. */
  gold: number;
  /** Accepted answer texts; empty when the question set gives none. */
  answers: string[];
  /** Optional label to report separately, e.g. "direct" or "paraphrase". */
  kind?: string;
}

/** One index per collection: every system indexes exactly `paragraphs`. */
export interface EvalCollection {
  name: string;
  articles: Article[];
  /** All paragraphs of `articles`, in order; a paragraph's index here is its id in every system. */
  paragraphs: Paragraph[];
  questions: EvalQuestion[];
}

export interface EvalSet {
  name: string;
  collections: EvalCollection[];
}

function collectionOf(name: string, articles: Article[], questions: EvalQuestion[]): EvalCollection {
  return { name, articles, paragraphs: articles.flatMap((article) => article.paragraphs), questions };
}

interface SquadFile {
  data: { title: string; paragraphs: { context: string; qas: { question: string; answers: { text: string }[] }[] }[] }[];
}

/** A SQuAD v1.1 file: one collection per article, its paragraphs in file order. */
export async function loadSquad(file: string): Promise<EvalSet> {
  const squad = JSON.parse(await readFile(file, 'utf8')) as SquadFile;
  if (!Array.isArray(squad.data)) throw new Error(`${file}: not a SQuAD v1.1 file (no "data" array)`);
  const collections = squad.data.map((entry, articleIndex) => {
    const article = articleFromTexts(`squad-${articleIndex + 1}`, entry.title, entry.paragraphs.map((paragraph) => paragraph.context));
    const questions = entry.paragraphs.flatMap((paragraph, gold) =>
      paragraph.qas.map((qa) => ({ question: qa.question, gold, answers: [...new Set(qa.answers.map((answer) => answer.text))] })),
    );
    return collectionOf(entry.title, [article], questions);
  });
  return { name: file, collections };
}

export interface ArticleQuestion {
  question: string;
  /** Body ¶ number of the gold paragraph; null for questions the article does not cover (kind "off-topic"). */
  paragraph: number | null;
  answer?: string;
  /** For "reason" questions: words of the sentence that gives the reason (any of them counts). */
  answerSentences?: string[];
  kind?: string;
  /** Slug of the article, needed only when the corpus has more than one. */
  article?: string;
}

/** The article's own question set, asked against the whole corpus the way the bot loads it. */
export async function loadArticleSet(corpusDir: string, questionsFile: string): Promise<EvalSet> {
  const articles = await loadCorpus(corpusDir);
  const raw = JSON.parse(await readFile(questionsFile, 'utf8')) as ArticleQuestion[];
  const collection = collectionOf(corpusDir, articles, []);
  // Off-topic questions have no gold paragraph: they measure refusals (eval/answers.ts), not ranking.
  for (const entry of raw.filter((question) => question.paragraph !== null)) {
    const slug = entry.article ?? (articles.length === 1 ? articles[0]?.slug : undefined);
    if (slug === undefined) throw new Error(`${questionsFile}: "${entry.question}" names no article and the corpus has several`);
    const gold = collection.paragraphs.findIndex(
      (paragraph) => paragraph.article === slug && paragraph.role === 'body' && paragraph.number === entry.paragraph,
    );
    if (gold === -1) throw new Error(`${questionsFile}: "${entry.question}" cites ¶${entry.paragraph}, which ${slug} does not have`);
    const answers = entry.answer === undefined ? (entry.answerSentences ?? []) : [entry.answer];
    collection.questions.push({ question: entry.question, gold, answers, ...(entry.kind === undefined ? {} : { kind: entry.kind }) });
  }
  return { name: questionsFile, collections: [collection] };
}
