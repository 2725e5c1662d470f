/**
 * The loaded corpus and its engine, with the operations commands need. Every
 * user-facing answer is composed here, so all adapters answer alike.
 */
import { termsOf } from './language/terms.ts';
import { composeAnswer, citationOf, footerOf, fullPassage } from './reply/compose.ts';
import { textReply, type PassageView, type Reply } from './reply/reply.ts';
import { bodyParagraphs, type Article, type Paragraph } from './corpus/types.ts';
import { cleanQuestion, MAX_QUESTION_CHARS } from './question.ts';
import { Engine, type EngineOptions } from './answer/engine.ts';
import type { PreferredParagraphs } from './answer/ranking.ts';
import { StudyGuide } from './study/guide.ts';
import { isOverviewQuestion } from './study/overview.ts';
import { smallTalkOf, type SmallTalk } from './reply/small-talk.ts';
import { namesIn, suggestQuestions } from './suggest.ts';

export interface AskOptions {
  top?: number;
  offset?: number;
  /** Heading for the reply; the question itself by default. */
  title?: string;
  /** Paragraphs being discussed (a thread on ¶N): those that match come first. */
  prefer?: PreferredParagraphs;
  /** The words the asker typed, when the question searched with is longer (a follow-up): only these are bolded. */
  asked?: string;
}

export const DEFAULT_TOP = 3;
/** Topic commands suggested when a question is not in the article. */
const SUGGESTED_TOPICS = 3;
export const MAX_TOP = 10;

export class Library {
  readonly engine: Engine;
  readonly articles: readonly Article[];
  private readonly bySlug: Map<string, Article>;
  /** Topic commands offered when a question is not covered (the articles' first three). */
  readonly suggestions: readonly string[];
  /** Questions of the articles' topic commands, offered first by autocomplete. */
  readonly topicQuestions: readonly string[];
  private readonly names: string[];
  private readonly knownNames: string[];
  private readonly guides = new Map<string, StudyGuide>();

  constructor(articles: readonly Article[], options: EngineOptions = {}) {
    if (articles.length === 0) throw new Error('a library needs at least one article');
    this.articles = articles;
    const topics = articles.flatMap((article) => article.topics);
    this.topicQuestions = topics.map((topic) => topic.question);
    this.suggestions = topics.length > 0 ? topics.slice(0, SUGGESTED_TOPICS).map((topic) => `/${topic.name}`) : ['/help'];
    this.bySlug = new Map(articles.map((article) => [article.slug, article]));
    this.engine = new Engine(articles, options);
    this.names = namesIn(articles);
    const aliases = articles.flatMap((article) => Object.entries(article.aliases).flatMap(([key, values]) => [key, ...values]));
    this.knownNames = [...new Set([...this.names, ...aliases])].filter((name) => name.length >= 2);
  }

  /** The article's names (people, places, agencies, and the front matter's aliases) that a text uses, as the article writes them. */
  namesIn(text: string): string[] {
    const lower = text.toLowerCase();
    return this.knownNames.filter((name) => new RegExp(`(?<![\\p{L}])${escapeRegExp(name.toLowerCase())}(?![\\p{L}])`, 'u').test(lower));
  }

  /** Autocomplete for a question being typed: at most 25, each at most 100 characters. */
  suggest(partial: string): { name: string; value: string }[] {
    return suggestQuestions(partial, this.topicQuestions, this.names);
  }

  /** A question to show as an example: the shortest topic question. */
  get exampleQuestion(): string {
    return [...this.topicQuestions].sort((a, b) => a.length - b.length)[0] ?? 'What is the article about?';
  }

  /** The study guide of an article (the first by default): outline, thesis, people, timeline, prompts. */
  guide(article: Article = this.mainArticle): StudyGuide {
    let guide = this.guides.get(article.slug);
    if (!guide) {
      guide = new StudyGuide(article);
      this.guides.set(article.slug, guide);
    }
    return guide;
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
        `Type a question about “${this.mainArticle.title}”, for example: ${this.exampleQuestion}`,
        'Or try /help to see every command.',
      ]);
    }
    const talk = smallTalkOf(question);
    if (talk !== undefined) return this.smallTalk(talk);
    const top = Math.min(MAX_TOP, Math.max(1, Math.trunc(options.top ?? DEFAULT_TOP)));
    const offset = Math.max(0, Math.trunc(options.offset ?? 0));
    // "Summarise the article" is about the whole of it: no passage answers it, the outline does.
    if (offset === 0 && this.articles.length === 1 && isOverviewQuestion(question, this.mainArticle.title)) return this.overview(options.title ?? question);
    const prefer = options.prefer ?? this.whoIsPreference(question);
    const reply = composeAnswer(this.engine.search(question, prefer ? { prefer } : {}), {
      top,
      offset,
      title: options.title ?? question,
      suggestions: [...this.suggestions],
      articles: this.bySlug,
      ...(options.asked === undefined ? {} : { emphasisOnly: new Set(termsOf(options.asked)) }),
    });
    if (truncated) reply.notes.unshift(`Your question was cut to its first ${MAX_QUESTION_CHARS} characters.`);
    return reply;
  }

  /**
   * "Who is Velayati?": the paragraph that first names the person comes
   * first, since that is where an article says who someone is; later ones
   * mention the name more often but take it as known.
   */
  private whoIsPreference(question: string): PreferredParagraphs | undefined {
    const asked = /^\s*who\s+(?:is|was|are|were)\s+(.+?)[\s?.!]*$/i.exec(question)?.[1];
    const name = asked === undefined ? undefined : this.namesIn(asked)[0];
    if (name === undefined) return undefined;
    for (const article of this.articles) {
      const first = bodyParagraphs(article).find((paragraph) => paragraph.text.toLowerCase().includes(name.toLowerCase()));
      if (first) return { article: article.slug, paragraphs: [first.number] };
    }
    return undefined;
  }

  /** A short friendly reply that says what Footnote does, for greetings, thanks, "who are you?" and other languages. */
  smallTalk(kind: SmallTalk): Reply {
    const { title, author } = this.mainArticle;
    const what = `I answer questions about “${title}” by ${author}, quoting the article word for word with the paragraph of each sentence, as in (¶9).`;
    const tryThis = `Try: ${this.exampleQuestion} — or /help for every command.`;
    switch (kind) {
      case 'greeting':
        return textReply('info', 'Hello!', [what, tryThis]);
      case 'thanks':
        return textReply('info', 'You’re welcome!', ['Ask another question whenever you like.']);
      case 'identity':
        return textReply('info', 'I’m Footnote', [what, 'When the article does not cover a question, I say so instead of guessing.', tryThis]);
      case 'other-language':
        return textReply('info', 'English, please', [`Footnote reads English: the article is in English, so please ask in English — for example: ${this.exampleQuestion}`]);
    }
  }

  /** The article in brief: its thesis sentence, then each paragraph's lead sentence, all verbatim and cited. */
  overview(title: string, article: Article = this.mainArticle): Reply {
    const guide = this.guide(article);
    return {
      kind: 'answer',
      title,
      answer: [{ text: guide.thesis.sentence, cite: citationOf(guide.thesis.paragraph) }],
      passages: guide.outline.map(({ paragraph, lead }) => ({ cite: citationOf(paragraph), excerpt: [{ text: lead }], full: paragraph.text, score: 0 })),
      notes: ['The article in brief: its thesis, then the opening sentence of each paragraph.'],
      actions: [],
      footer: footerOf(article),
    };
  }

  /** One body paragraph in full (¶N), optionally with its neighbours. */
  passage(number: number, options: { article?: string; context?: boolean; role?: 'bio' | 'comment' } = {}): Reply {
    const article = this.article(options.article);
    if (!article) {
      return textReply('error', 'Unknown article', [`There is no article “${options.article}”. Articles: ${this.articles.map((a) => a.slug).join(', ')}.`]);
    }
    if (options.role) return this.aside(article, options.role, number);
    const body = bodyParagraphs(article);
    if (!Number.isInteger(number) || number < 1 || number > body.length) {
      return textReply('error', 'No such passage', [`Passages are numbered ¶1 to ¶${body.length}; “${String(number)}” is not one of them.`]);
    }
    const wanted = options.context ? body.slice(Math.max(0, number - 2), number + 1) : [body[number - 1] as Paragraph];
    return {
      kind: 'passage',
      title: options.context ? `¶${number} with its neighbours` : `¶${number}`,
      answer: [],
      passages: wanted.map(wholePassage),
      notes: [],
      actions: [],
      footer: footerOf(article),
    };
  }

  /** An author note or a reader comment, by its number: labelled as such, since it is not the author's argument. */
  private aside(article: Article, role: 'bio' | 'comment', number: number): Reply {
    const asides = article.paragraphs.filter((paragraph) => paragraph.role === role);
    const what = role === 'bio' ? 'author note' : 'reader comment';
    const found = asides.find((paragraph) => paragraph.number === number);
    if (!found) {
      const range = asides.length === 0 ? `The article has no ${what}s.` : `The ${what}s are numbered 1 to ${asides.length}; “${String(number)}” is not one of them.`;
      return textReply('error', `No such ${what}`, [range]);
    }
    return { kind: 'passage', title: found.label, answer: [], passages: [wholePassage(found)], notes: [], actions: [], footer: footerOf(article) };
  }

  /**
   * The ranking of a question after its first `offset` passages, within the
   * article of the next one: what "More passages" carries when the question
   * itself is too long to.
   */
  /**
   * The body paragraph a question is nearest to, answered or not: where the
   * organizer's report files an open question. None when the closest shares
   * not one of its words (a question about something else entirely).
   */
  nearestParagraph(question: string): { article: string; paragraph: number } | undefined {
    const top = this.engine.search(question).passages.find((passage) => passage.paragraph.role === 'body');
    return top && top.matchedTerms.size > 0 ? { article: top.paragraph.article, paragraph: top.paragraph.number } : undefined;
  }

  remainingRanking(question: string, offset: number): { article: string; positions: number[] } | undefined {
    const remaining = this.engine.search(question).passages.slice(offset).map((passage) => passage.paragraph);
    const article = remaining[0]?.article;
    if (article === undefined) return undefined;
    const end = remaining.findIndex((paragraph) => paragraph.article !== article);
    return { article, positions: remaining.slice(0, end === -1 ? undefined : end).map((paragraph) => paragraph.position) };
  }

  /**
   * The next page of a carried ranking: its first passages, shown whole (the
   * question is not at hand to pick excerpts with), and the positions left;
   * undefined when the positions no longer exist.
   */
  rankedPage(slug: string, positions: readonly number[]): { reply: Reply; rest: number[] } | undefined {
    const article = this.bySlug.get(slug);
    const paragraphs = positions.slice(0, DEFAULT_TOP).map((position) => article?.paragraphs[position]);
    if (!article || paragraphs.some((paragraph) => paragraph === undefined)) return undefined;
    const shown = paragraphs.filter((paragraph) => paragraph !== undefined);
    const reply: Reply = {
      kind: 'answer',
      title: 'More passages',
      answer: [],
      passages: shown.map(wholePassage),
      notes: [],
      actions: shown.filter((paragraph) => paragraph.role === 'body').map(fullPassage),
      footer: footerOf(article),
    };
    return { reply, rest: positions.slice(DEFAULT_TOP) };
  }
}

function wholePassage(paragraph: Paragraph): PassageView {
  return { cite: citationOf(paragraph), excerpt: [{ text: paragraph.text }], full: paragraph.text, score: 0 };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
