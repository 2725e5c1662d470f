/**
 * The store: what Footnote remembers between messages, per server and per DM
 * user. Every method is async so an embedded store (SQLite) and a shared one
 * (Postgres) look alike to commands. Nothing here knows about Discord.
 *
 * Isolation: every record belongs to one scope ("guild:<id>" or "dm:<userId>"),
 * and every read names its scope, so one server never sees another's data.
 */

/** A server's data, or one person's data in direct messages (and the terminal chat). */
export type Scope = `guild:${string}` | `dm:${string}`;

export function guildScope(guildId: string): Scope {
  return `guild:${guildId}`;
}

export function dmScope(userId: string): Scope {
  return `dm:${userId}`;
}

/** Where an invoker's data belongs: their server, or their own DMs when there is none. */
export function scopeFor(who: { guildId?: string; userId: string }): Scope {
  return who.guildId === undefined ? dmScope(who.userId) : guildScope(who.guildId);
}

export interface Note {
  id: number;
  scope: Scope;
  /** Article slug. */
  article: string;
  /** Body paragraph number (¶N). */
  paragraph: number;
  authorId: string;
  /** Display name at the time of writing (shown instead of a mention, so nobody is pinged). */
  authorName: string;
  /** As typed; always escaped when rendered. */
  text: string;
  /** Visible to its author only. */
  private: boolean;
  /** Epoch milliseconds. */
  createdAt: number;
}

export type NewNote = Omit<Note, 'id' | 'createdAt'>;

export interface NoteQuery {
  scope: Scope;
  /** Who is looking: private notes of others are never returned. */
  viewerId: string;
  article?: string;
  paragraph?: number;
  authorId?: string;
  /** Page size (newest first). */
  limit: number;
  /** Notes skipped (earlier pages). */
  offset?: number;
}

export interface NoteStore {
  /** Stores a note; resolves once it is durable (committed). */
  add(note: NewNote, now: number): Promise<Note>;
  get(scope: Scope, id: number): Promise<Note | undefined>;
  /** A page of visible notes, newest first, and how many match in all. */
  list(query: NoteQuery): Promise<{ notes: Note[]; total: number }>;
  /** Visible notes per paragraph of an article: paragraph → count. */
  countByParagraph(scope: Scope, viewerId: string, article: string): Promise<Map<number, number>>;
  /** Notes written by a user since `since` (epoch ms), in every scope: for the daily limit. */
  countByAuthorSince(authorId: string, since: number): Promise<number>;
  /** Deletes one note of the scope; false when there is none with that id. */
  delete(scope: Scope, id: number): Promise<boolean>;
}

/** Questions a group asked that the article did not answer, or answered with low confidence. */
export interface OpenQuestion {
  id: number;
  scope: Scope;
  question: string;
  askerId: string;
  askerName: string;
  confidence: 'none' | 'low';
  askedAt: number;
}

export type NewOpenQuestion = Omit<OpenQuestion, 'id' | 'askedAt'>;

export interface OpenQuestionStore {
  add(question: NewOpenQuestion, now: number): Promise<OpenQuestion>;
  /** Most recent first. */
  list(scope: Scope, limit: number, offset?: number): Promise<{ questions: OpenQuestion[]; total: number }>;
  /** Removes every open question of the scope; returns how many. */
  clear(scope: Scope): Promise<number>;
}

/** A thread opened with /discuss: questions asked in it look at its paragraph first. */
export interface Discussion {
  scope: Scope;
  threadId: string;
  article: string;
  paragraph: number;
  startedBy: string;
  createdAt: number;
}

export interface DiscussionStore {
  /** Remembers a discussion thread (a thread id is unique; a second add replaces the first). */
  add(discussion: Omit<Discussion, 'createdAt'>, now: number): Promise<void>;
  get(scope: Scope, threadId: string): Promise<Discussion | undefined>;
}

/** Named integers per scope: small features (and tests) keep tallies here without a migration of their own. */
export interface CounterStore {
  get(scope: Scope, name: string): Promise<number>;
  /** Adds `by` (default 1) atomically and returns the new value. */
  increment(scope: Scope, name: string, by?: number): Promise<number>;
}

export interface Store {
  /** "memory", "sqlite:<file>" or "postgres": for logs and /about. */
  readonly description: string;
  notes: NoteStore;
  openQuestions: OpenQuestionStore;
  discussions: DiscussionStore;
  counters: CounterStore;
  close(): Promise<void>;
}

/**
 * A write the store could not make: the disk is full, the file is read-only,
 * the database is locked. Commands turn it into a clear message for the user;
 * questions keep being answered.
 */
export class StoreWriteError extends Error {
  constructor(
    readonly reason: 'full' | 'read-only' | 'busy' | 'other',
    message: string,
  ) {
    super(message);
    this.name = 'StoreWriteError';
  }
}

/** The database cannot be opened (corrupt, not a database, unreadable, newer than this version): start-up stops. */
export class StoreOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreOpenError';
  }
}
