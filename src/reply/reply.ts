/**
 * The platform-neutral reply every command returns. Adapters (terminal,
 * Discord) render it; nothing here knows about either.
 */
import type { Role } from '../corpus/types.ts';

/** Where a quoted text comes from, so a reader can check it. */
export interface Citation {
  article: string;
  /** ¶N for body paragraphs; N of "reader comment N" otherwise. */
  paragraph: number;
  /** "¶9", "author note", "reader comment 1". */
  label: string;
  role: Role;
}

/** A piece of text; `emphasis` marks words that matched the question. */
export interface Span {
  text: string;
  emphasis?: boolean;
}

/** One sentence of the short answer, quoted verbatim. */
export interface AnswerSentence {
  text: string;
  cite: Citation;
}

/** A cited passage: an excerpt (may be trimmed with "…") and the full paragraph. */
export interface PassageView {
  cite: Citation;
  excerpt: Span[];
  full: string;
  score: number;
}

/** Follow-up actions an adapter may offer as buttons; their state is all here. */
export type ReplyAction =
  | { kind: 'full-passage'; article: string; paragraph: number }
  | { kind: 'more-passages'; question: string; offset: number };

export type ReplyKind = 'answer' | 'not-found' | 'passage' | 'info' | 'error';

export interface Reply {
  kind: ReplyKind;
  /** A short heading: the question, the passage label, or the command's topic. */
  title: string;
  /** Verbatim answer sentences, each with its citation (empty when not an answer). */
  answer: AnswerSentence[];
  passages: PassageView[];
  /** Plain lines of text: explanations, help entries, hints. */
  notes: string[];
  actions: ReplyAction[];
  /** "Title — Author" of the article the reply draws on. */
  footer?: string;
}

/** A reply that is only text: help, errors, explanations. */
export function textReply(kind: ReplyKind, title: string, notes: string[], extra: Partial<Reply> = {}): Reply {
  return { kind, title, answer: [], passages: [], notes, actions: [], ...extra };
}

/** How a citation reads inline: "(¶9)" for the argument, "(reader comment 1)" otherwise. */
export function citationText(cite: Citation): string {
  return `(${cite.label})`;
}
