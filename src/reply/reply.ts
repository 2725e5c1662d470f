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

/**
 * A follow-up an adapter may offer (a button on Discord, a typed command in
 * the terminal). `kind` names the command component that serves it; the other
 * fields are its state, all of it, so nothing is kept server-side.
 */
export interface ReplyAction {
  kind: string;
  [field: string]: unknown;
}

/** "Full ¶N": the whole paragraph. */
export interface FullPassageAction extends ReplyAction {
  kind: 'full-passage';
  article: string;
  paragraph: number;
}

/** "More passages": the question's ranking after the first `offset` passages. */
export interface MorePassagesAction extends ReplyAction {
  kind: 'more-passages';
  question: string;
  offset: number;
}

/** A text input of a modal. */
export interface ModalField {
  id: string;
  label: string;
  /** Multi-line text. */
  paragraph?: boolean;
  required?: boolean;
  maxLength?: number;
  placeholder?: string;
}

/** Ask for text first (a Discord modal); the terminal shows `usage` instead. */
export interface ModalRequest {
  /** The component (kind and state) that receives the submission. */
  action: ReplyAction;
  title: string;
  fields: ModalField[];
  usage: string;
}

/** A file sent with the reply: an export (text) or a picture (bytes). */
export interface ReplyFile {
  name: string;
  content: string | Uint8Array;
}

const CONTENT_TYPES: Record<string, string> = {
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  png: 'image/png',
};

/** A file's media type, from its name's ending. */
export function contentTypeOf(file: ReplyFile): string {
  return CONTENT_TYPES[file.name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

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
  /** For the asker only, whatever the command's default visibility. */
  private?: boolean;
  /** For answers: "low" when the article may not answer it and these are only the closest passages. */
  confidence?: 'high' | 'low';
  /** Open a modal instead of replying (Discord); a hint in the terminal. */
  modal?: ModalRequest;
  /** Start a public thread on the posted reply; a discussion thread remembers its paragraph. */
  thread?: { name: string; discussion?: { article: string; paragraph: number } };
  files?: ReplyFile[];
  /** The name of an attached picture (in `files`) to show in the reply itself. */
  image?: string;
  /**
   * Also tell whoever acted, privately, after this reply is sent: a click that
   * updates a public message (a quiz's tally) and tells the clicker whether
   * they were right. Text only: its actions, modal, thread and files are not
   * used. Discord sends it as an ephemeral follow-up; the terminal prints it
   * after the reply.
   */
  followUp?: Reply;
}

/** A reply that is only text: help, errors, explanations. */
export function textReply(kind: ReplyKind, title: string, notes: string[], extra: Partial<Reply> = {}): Reply {
  return { kind, title, answer: [], passages: [], notes, actions: [], ...extra };
}

/** How a citation reads inline: "(¶9)" for the argument, "(reader comment 1)" otherwise. */
export function citationText(cite: Citation): string {
  return `(${cite.label})`;
}
