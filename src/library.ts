/**
 * The loaded corpus and its engine, with the operations commands need. Every
 * user-facing answer is composed here, so all adapters answer alike.
 */
import { composeAnswer, citationOf, footerOf } from './reply/compose.ts';
import { textReply, type Reply } from './reply/reply.ts';
import { loadCorpus } from './corpus/load.ts';
import { bodyParagraphs, type Article, type Paragraph } from './corpus/types.ts';
import { cleanQuestion, MAX_QUESTION_CHARS } from './question.ts';
import { Engine, type EngineOptions } from './search/engine.ts';
import { namesIn, suggestQuestions } from './suggest.ts';

export interface AskOptions {
  top?: number;
  offset?: number;
  /** Heading for the reply; the question itself by default. */
  title?: string;
}

export const DEFAULT_TOP = 3;
export const MAX_TOP = 10;

export class Library {
  readonly engine: Engine;
  readonly articles: readonly Article[];
  private readonly bySlug: Map<string, Article>;
  /** Commands offered when a question is not covered; set once commands are loaded. */
  suggestions: string[] = ['/help'];
  /** Questions of the topic commands, offered first by autocomplete; set once commands are loaded. */
  topicQuestions: string[] = [];
  private readonly names: string[];

  constructor(articles: readonly Article[], options: EngineOptions = {}) {
    if (articles.length === 0) throw new Error('a library needs at least one article');
    this.articles = articles;
    this.bySlug = new Map(articles.map((article) => [article.slug, article]));
    this.engine = new Engine(articles, options);
    this.names = namesIn(articles);
  }

  /** Autocomplete for a question being typed: at most 25, each at most 100 characters. */
  suggest(partial: string): { name: string; value: string }[] {
    return suggestQuestions(partial, this.topicQuestions, this.names);
  }

  /** The first article: the default for commands that name none. */
  get mainArticle(): Article {
    return this.articles[0] as Article;
  }

  article(slug: string | undefined): Article | undefined {
    return slug === undefined || slug === '' ? this.mainArticle : this.bySlug.get(slug.trim().toLowerCase());
  }

  /** Answers a question with verbatim cited sentences, or says plainly that the article does not cover it. */
  ask(rawQuestion: string, options: AskOptions = {}): Reply {
    const { text: question, truncated } = cleanQuestion(rawQuestion);
    if (!/[\p{L}\p{N}]/u.test(question)) {
      return textReply('info', 'Ask me about the article', [
        `Type a question about “${this.mainArticle.title}”, for example: Why are Russia and Iran not allies?`,
        'Or try /help to see every command.',
      ]);
    }
    const top = Math.min(MAX_TOP, Math.max(1, Math.trunc(options.top ?? DEFAULT_TOP)));
    const offset = Math.max(0, Math.trunc(options.offset ?? 0));
    const reply = composeAnswer(this.engine.search(question), {
      top,
      offset,
      title: options.title ?? question,
      suggestions: this.suggestions,
      articles: this.bySlug,
    });
    if (truncated) reply.notes.unshift(`Your question was cut to its first ${MAX_QUESTION_CHARS} characters.`);
    return reply;
  }

  /** One body paragraph in full (¶N), optionally with its neighbours. */
  passage(number: number, options: { article?: string; context?: boolean } = {}): Reply {
    const article = this.article(options.article);
    if (!article) {
      return textReply('error', 'Unknown article', [`There is no article “${options.article}”. Articles: ${this.articles.map((a) => a.slug).join(', ')}.`]);
    }
    const body = bodyParagraphs(article);
    if (!Number.isInteger(number) || number < 1 || number > body.length) {
      return textReply('error', 'No such passage', [`Passages are numbered ¶1 to ¶${body.length}; “${String(number)}” is not one of them.`]);
    }
    const wanted = options.context ? body.slice(Math.max(0, number - 2), number + 1) : [body[number - 1] as Paragraph];
    return {
      kind: 'passage',
      title: options.context ? `¶${number} with its neighbours` : `¶${number}`,
      answer: [],
      passages: wanted.map((paragraph) => ({ cite: citationOf(paragraph), excerpt: [{ text: paragraph.text }], full: paragraph.text, score: 0 })),
      notes: [],
      actions: [],
      footer: footerOf(article),
    };
  }
}

export async function loadLibrary(corpusDir: string, options: EngineOptions = {}): Promise<Library> {
  return new Library(await loadCorpus(corpusDir), options);
}
