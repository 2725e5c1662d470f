/** What a paragraph is, for a reader: the author's argument, or something around it. */
export type Role = 'body' | 'byline' | 'bio' | 'comment';

export interface Paragraph {
  /** Slug of the article it belongs to. */
  article: string;
  /** Position among all paragraphs of its article, 0-based, in reading order. */
  position: number;
  /** ¶N for body paragraphs; the N of "reader comment N" / "author note N" otherwise. */
  number: number;
  role: Role;
  /** How a reader cites it: "¶9", "byline", "author note", "reader comment 1". */
  label: string;
  /** The paragraph verbatim (soft line breaks joined with a space). */
  text: string;
  /** 1-based line in the source file where the paragraph starts (0 for in-memory articles). */
  line: number;
}

/** A slash command that stands for one question about the article. */
export interface Topic {
  /** Discord command name: lowercase letters, digits and hyphens, at most 32. */
  name: string;
  /** At most 100 characters. */
  description: string;
  question: string;
}

export interface Article {
  slug: string;
  title: string;
  author: string;
  source?: string;
  date?: string;
  /** Query expansion: a question naming a key or any of its values also searches for the others. */
  aliases: Record<string, string[]>;
  /** Topic commands the article declares: "/name" answers `question`. */
  topics: Topic[];
  paragraphs: Paragraph[];
  /** Source file, for error messages; "(memory)" for articles built in code. */
  file: string;
}

/** Body paragraphs only, in order: these carry the ¶ numbers. */
export function bodyParagraphs(article: Article): Paragraph[] {
  return article.paragraphs.filter((paragraph) => paragraph.role === 'body');
}
