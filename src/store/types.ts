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

/** `anchor`: the start of the paragraph as it read when the note was written, so a re-imported text can find it again. */
export type NewNote = Omit<Note, 'id' | 'createdAt'> & { anchor?: string };

/** Where a note sits and what its paragraph said then: what re-anchoring reads. */
export interface NoteAnchor {
  id: number;
  paragraph: number;
  anchor: string;
}

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
  /** Newest first (default), or most Helpful votes first. */
  sort?: 'newest' | 'top';
}

/** Who marked something (a vote, a flag, a reading done): their id, and their display name then, for the organizer's report. */
export interface Member {
  userId: string;
  displayName: string;
}

export interface NoteStore {
  /** Stores a note; resolves once it is durable (committed). */
  add(note: NewNote, now: number): Promise<Note>;
  get(scope: Scope, id: number): Promise<Note | undefined>;
  /** A page of visible notes, newest first, and how many match in all. */
  list(query: NoteQuery): Promise<{ notes: Note[]; total: number }>;
  /** Visible notes per paragraph of an article: paragraph → count. */
  countByParagraph(scope: Scope, viewerId: string, article: string): Promise<Map<number, number>>;
  /**
   * Stores a note unless its author has written `max` since `since` (in every
   * scope): counted and written in one transaction that other adds by the same
   * author wait for, so workers sharing the database keep one limit.
   * Undefined when the limit is reached.
   */
  addWithinLimit(note: NewNote, now: number, limit: { max: number; since: number }): Promise<Note | undefined>;
  /** Notes written by a user since `since` (epoch ms), in every scope: for the daily limit. */
  countByAuthorSince(authorId: string, since: number): Promise<number>;
  /** Deletes one note of the scope; false when there is none with that id. */
  delete(scope: Scope, id: number): Promise<boolean>;
  /** Deletes every note a member wrote in the scope, and the votes on them; returns how many notes. */
  forgetAuthor(scope: Scope, authorId: string): Promise<number>;
  /** How many notes a member wrote in the scope (private ones included). */
  countByAuthor(scope: Scope, authorId: string): Promise<number>;
  /** Every note of an article with its anchor (private ones too), for re-anchoring. */
  anchors(scope: Scope, article: string): Promise<NoteAnchor[]>;
  /**
   * A member marks a note Helpful, or takes their vote back (one vote per member):
   * whether they vote for it now, and its votes. Undefined when there is no such
   * note they may see; their own notes cannot be voted for ('own').
   */
  toggleHelpful(scope: Scope, noteId: number, who: Member, now: number): Promise<{ voted: boolean; count: number } | 'own' | undefined>;
  /** Helpful votes of the given notes: id → votes (notes without votes left out). */
  helpfulCounts(scope: Scope, noteIds: readonly number[]): Promise<Map<number, number>>;
}

/** Members' "this confused me" on a paragraph: one flag per member per paragraph, withdrawable. */
export interface ConfusionStore {
  /** Flags ¶N for the member, or withdraws their flag: whether they flag it now, and how many do. */
  toggle(scope: Scope, article: string, paragraph: number, who: Member, now: number): Promise<{ flagged: boolean; count: number }>;
  /** Flags per paragraph of a text. */
  counts(scope: Scope, article: string): Promise<Map<number, number>>;
}

/** Paragraphs a group is to read by a time, posted with a "Done reading" button. */
export interface Assignment {
  id: number;
  scope: Scope;
  /** What made it: "assign:<n>" for /assign, "plan:<start>:<part>" for a reading-plan part; one assignment per source. */
  source: string;
  article: string;
  from: number;
  to: number;
  dueAt: number;
  timeZone: string;
  channelId: string;
  createdBy: string;
  createdByName: string;
  /** When those who asked for a reminder and are not done are sent one. */
  remindAt: number;
  reminded: boolean;
  createdAt: number;
}

export type NewAssignment = Omit<Assignment, 'id' | 'reminded' | 'createdAt'>;

export interface AssignmentStore {
  /** Creates the assignment, or returns the one its source already made. */
  create(assignment: NewAssignment, now: number): Promise<Assignment>;
  get(scope: Scope, id: number): Promise<Assignment | undefined>;
  /** The scope's latest assignments, newest first. */
  list(scope: Scope, limit: number): Promise<Assignment[]>;
  /** A member marks it done, or undone: whether they are done now, and how many are. Undefined when there is no such assignment. */
  toggleDone(scope: Scope, id: number, who: Member, now: number): Promise<{ done: boolean; count: number } | undefined>;
  /** A member asks for a reminder before the due time, or no longer: whether they will get one. Undefined when there is no such assignment. */
  toggleReminder(scope: Scope, id: number, who: Member): Promise<boolean | undefined>;
  /** How many are done, and whether `userId` is. */
  progress(scope: Scope, id: number, userId?: string): Promise<{ done: number; mine: boolean; remindMe: boolean }>;
  /** Assignments whose reminder time has come and whose reminders are not sent, earliest first. */
  dueReminders(now: number, limit: number): Promise<Assignment[]>;
  nextReminderAt(): Promise<number | undefined>;
  /** Takes the assignment's reminders for sending: true for the one caller that does. */
  claimReminders(id: number): Promise<boolean>;
  /** Members who asked for a reminder and are not done. */
  toRemind(id: number): Promise<string[]>;
}

/** How one paragraph fared in a scope: what the organizer's report shows. */
export interface ParagraphFigures {
  paragraph: number;
  /** Questions answered citing it first, and those answered only with low confidence near it. */
  answered: number;
  low: number;
  quizAnswers: number;
  quizMisses: number;
  /** Public notes, and Helpful votes on them. */
  notes: number;
  helpful: number;
  confusing: number;
}

/** One member's part in a scope's reading, as counts. */
export interface MemberFigures extends Member {
  notes: number;
  quizAnswers: number;
  votes: number;
  flags: number;
  done: number;
}

/**
 * What a scope's reading adds up to, for its organizer. Questions are
 * counted in this process and written in batches within seconds (a burst of
 * questions costs no write each); a crash loses at most those seconds' counts.
 */
export interface ActivityStore {
  /** Counts one answer that cited ¶N first, or (low) came only near it. Buffered. */
  recordAnswer(scope: Scope, article: string, paragraph: number, confidence: 'high' | 'low'): void;
  /** Writes what is buffered. */
  flush(): Promise<void>;
  /** Every paragraph with any figure, in ¶ order. */
  paragraphs(scope: Scope, article: string): Promise<ParagraphFigures[]>;
  /** Members with any part in the scope (or just `userId`), most active first. */
  members(scope: Scope, userId?: string): Promise<MemberFigures[]>;
  /** Deletes a member's votes, flags and assignment marks in the scope; returns how many. */
  forget(scope: Scope, userId: string): Promise<number>;
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
  /**
   * Records a question; with `keep`, the scope then keeps only its newest
   * `max` questions, none asked before `since` (in the same transaction).
   */
  add(question: NewOpenQuestion, now: number, keep?: { max: number; since: number }): Promise<OpenQuestion>;
  /** Most recent first. */
  list(scope: Scope, limit: number, offset?: number): Promise<{ questions: OpenQuestion[]; total: number }>;
  /** Removes every open question of the scope; returns how many. */
  clear(scope: Scope): Promise<number>;
  /** Removes the questions one member asked in the scope; returns how many. */
  forgetAsker(scope: Scope, askerId: string): Promise<number>;
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

export type ReadingCadence = 'day' | 'weekday' | 'week';
export type ReadingPlanStatus = 'active' | 'paused' | 'finished';

/**
 * One message of a reading plan being posted: claimed before it is sent and
 * cleared once it is confirmed, so a restart in between can tell that it may
 * have gone out (src/schedule/ decides what to do about it).
 */
export interface ReadingClaim {
  /** The part (1-based) the message belongs to, and its body paragraphs ¶from–¶to. */
  part: number;
  from: number;
  to: number;
  /** When the part was due, and when posting began (epoch ms). */
  dueAt: number;
  claimedAt: number;
}

/** A server's reading plan: the next paragraphs of an article, posted on a schedule in one channel. */
export interface ReadingPlan {
  scope: Scope;
  channelId: string;
  /** Article slug. */
  article: string;
  paragraphsPerPart: number;
  every: ReadingCadence;
  /** Local time of day, "HH:MM". */
  at: string;
  /** IANA time zone the time of day is in. */
  timeZone: string;
  /** Luxon weekday (1 = Monday) of the first post: the day an `every: 'week'` plan posts. */
  weekday: number;
  /** Told in a DM when the plan pauses itself. */
  startedBy: string;
  startedByName: string;
  status: ReadingPlanStatus;
  /** Why a paused plan is paused, as shown to the server. */
  pausedReason?: string;
  /** The next body paragraph to post (¶N); past the last one once finished. */
  nextParagraph: number;
  partsPosted: number;
  /** When the next message is due (epoch ms); a part of several messages keeps it until its last one is posted. */
  nextDueAt: number;
  claim?: ReadingClaim;
  createdAt: number;
}

export type NewReadingPlan = Omit<ReadingPlan, 'status' | 'pausedReason' | 'nextParagraph' | 'partsPosted' | 'claim' | 'createdAt'>;

/** What posting one message did to the plan's position. */
export interface ReadingProgress {
  /** The message ended its part. */
  partDone: boolean;
  /** It was the last message of the article. */
  finished: boolean;
  nextDueAt: number;
}

/**
 * Reading plans, one per scope. Every change is a single conditional write, so
 * two writers (a command and the runner, or two processes) cannot both win.
 */
export interface ReadingPlanStore {
  /** Starts a plan; undefined when the scope already has one that is active or paused (a finished one is replaced). */
  start(plan: NewReadingPlan, now: number): Promise<ReadingPlan | undefined>;
  get(scope: Scope): Promise<ReadingPlan | undefined>;
  /** Active plans due by `now`, and every plan with a claim (whatever its status), earliest due first. */
  due(now: number): Promise<ReadingPlan[]>;
  /** The earliest due time of any active plan (now or past for a claimed one). */
  nextDueAt(): Promise<number | undefined>;
  /** Claims the plan's next message for posting: only an active, due plan whose next paragraph is `claim.from`, with no claim yet. */
  claim(scope: Scope, claim: ReadingClaim): Promise<boolean>;
  /** The claimed message was posted: the position moves past it and the claim is cleared. False when that claim is not held. */
  complete(scope: Scope, claim: ReadingClaim, progress: ReadingProgress): Promise<boolean>;
  /** The claimed message was not posted: the claim is cleared and the message is due again at `retryAt`. */
  release(scope: Scope, claim: ReadingClaim, retryAt: number): Promise<boolean>;
  /** An active plan pauses; false when there is none. */
  pause(scope: Scope, reason: string): Promise<boolean>;
  /** A paused plan goes on, its next message due at `nextDueAt`; false when none is paused. */
  resume(scope: Scope, nextDueAt: number): Promise<boolean>;
  /** An active plan's next message becomes due at `now` (or stays due, if earlier). */
  postNow(scope: Scope, now: number): Promise<boolean>;
  /** Deletes the scope's plan; false when there is none. */
  stop(scope: Scope): Promise<boolean>;
}

export type QuizKind = 'cloze' | 'which-paragraph';

/** A question posted to a server (or a DM), kept whole so its buttons work after a restart and whatever the article becomes. */
export interface Quiz {
  id: number;
  scope: Scope;
  /** Article slug. */
  article: string;
  kind: QuizKind;
  /** Body paragraph of the sentence (¶N). */
  paragraph: number;
  /** The sentence, verbatim. */
  sentence: string;
  /** What is shown: the sentence with its blank, or the sentence to place. */
  prompt: string;
  /** The options in the order shown. */
  options: string[];
  /** Index of the right option. */
  answer: number;
  /** Who started it: only they may reveal the answer. */
  startedBy: string;
  /** The answer was shown to all: no more answers count. */
  revealed: boolean;
  createdAt: number;
}

export type NewQuiz = Omit<Quiz, 'id' | 'revealed' | 'createdAt'>;

/** How many answered a quiz and how many of them were right (no names). */
export interface QuizTally {
  answered: number;
  correct: number;
}

/** A member's first answer to a quiz. */
export interface QuizAnswer {
  quizId: number;
  userId: string;
  choice: number;
  correct: boolean;
  answeredAt: number;
}

/** What a click did: counted, already counted before (the first answer stands), or nothing (revealed, or no such quiz here). */
export type QuizAnswerOutcome =
  | { status: 'recorded' | 'already'; quiz: Quiz; answer: QuizAnswer; tally: QuizTally }
  | { status: 'revealed'; quiz: Quiz; tally: QuizTally }
  | { status: 'missing' };

/** A member's quiz record in one scope. */
export interface QuizScore {
  userId: string;
  /** Display name at their latest answer (shown instead of a mention, so nobody is pinged). */
  displayName: string;
  answered: number;
  correct: number;
}

/**
 * Quizzes and their answers. Each member's first answer to a quiz counts; it
 * is written with their score in one transaction, so a crash keeps both or
 * neither. Scores rank by right answers, then fewer answers (ties in a
 * stable order).
 */
export interface QuizStore {
  create(quiz: NewQuiz, now: number): Promise<Quiz>;
  get(scope: Scope, id: number): Promise<Quiz | undefined>;
  /** The sentences of the scope's latest quizzes, newest first: a new quiz asks another while there is one. */
  recentSentences(scope: Scope, limit: number): Promise<string[]>;
  /** Records a member's answer unless they answered before or the quiz was revealed; returns the quiz's tally after it. */
  answer(scope: Scope, quizId: number, who: { userId: string; displayName: string }, choice: number, now: number): Promise<QuizAnswerOutcome>;
  tally(scope: Scope, quizId: number): Promise<QuizTally>;
  /** Marks the quiz revealed; false when there is no such quiz in the scope. */
  reveal(scope: Scope, quizId: number): Promise<boolean>;
  /** The best `limit` scores of the scope, best first. */
  leaderboard(scope: Scope, limit: number): Promise<QuizScore[]>;
  /** A member's score and rank (1 for the best; equal records share a rank), or undefined before their first answer. */
  standing(scope: Scope, userId: string): Promise<{ score: QuizScore; rank: number } | undefined>;
  /** Deletes a member's answers and score in the scope; returns how many answers went. */
  forget(scope: Scope, userId: string): Promise<number>;
}

/** What taking one request did: let through, or refused with the wait until one is allowed again. */
export type RateLimitVerdict =
  | { allowed: true }
  /** `firstRefusal` is true once per blocked stretch, so a chat reply about it is sent once. */
  | { allowed: false; retryAfterMs: number; firstRefusal: boolean };

/**
 * Sliding-window limits kept in the store, so every process that shares it
 * (workers on one Postgres) enforces one limit. A take is atomic: two
 * processes taking the last request of a key at once cannot both get it.
 */
export interface RateLimitStore {
  /** Takes one request for `key` if fewer than `limit` were taken in the `windowMs` before `now`. */
  take(key: string, limit: number, windowMs: number, now: number): Promise<RateLimitVerdict>;
  /** Forgets keys whose every request has left its window by `now`; returns how many. */
  prune(now: number): Promise<number>;
}

/** A conversation's last exchange as its owner serialised it (the store does not read it), and when it happened. */
export interface StoredConversation {
  data: string;
  /** Epoch ms. */
  at: number;
}

/** The last exchange per conversation key, so a follow-up asked of another worker is read with it. */
export interface ConversationStore {
  /** The exchange kept under `key`, if it happened at or after `since`. */
  get(key: string, since: number): Promise<StoredConversation | undefined>;
  /** Keeps `conversation` under `key`; an older one (by `at`) never replaces a newer one. */
  put(key: string, conversation: StoredConversation): Promise<void>;
  /** Forgets exchanges from before `before`; returns how many. */
  prune(before: number): Promise<number>;
}

export interface Store {
  /** "memory", "sqlite:<file>" or "postgres:<host>:<port>/<database>" (never a password): for logs and /about. */
  readonly description: string;
  notes: NoteStore;
  openQuestions: OpenQuestionStore;
  discussions: DiscussionStore;
  counters: CounterStore;
  readingPlans: ReadingPlanStore;
  quizzes: QuizStore;
  rateLimits: RateLimitStore;
  conversations: ConversationStore;
  texts: TextStore;
  leases: LeaseStore;
  reviews: ReviewStore;
  confusion: ConfusionStore;
  assignments: AssignmentStore;
  activity: ActivityStore;
  close(): Promise<void>;
}

/**
 * A write the store could not make: the disk is full, the file is read-only,
 * the database is locked. Commands turn it into a clear message for the user;
 * questions keep being answered.
 */
export class StoreWriteError extends Error {
  constructor(
    /** 'unreachable': the database cannot be reached at all (a shared Postgres that is down), for reads as well as writes. */
    readonly reason: 'full' | 'read-only' | 'busy' | 'unreachable' | 'other',
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

/** A text a server brought (its library): an article in the corpus format, seen only in that server. */
export interface LibraryText {
  id: number;
  scope: Scope;
  slug: string;
  title: string;
  author: string;
  /** Where it came from: a web address, a file name, or "pasted". */
  source: string;
  /** Body paragraphs (¶1…¶N). */
  paragraphs: number;
  chars: number;
  addedBy: string;
  addedAt: number;
  /** When it was last re-imported (its addedAt until then): a cached index of an older version is not used. */
  updatedAt: number;
}

export type NewLibraryText = Omit<LibraryText, 'id' | 'addedAt' | 'updatedAt'> & { markdown: string };

/** A re-import: the text's new version, and each note's new paragraph (0: its paragraph is gone, the note is detached). */
export interface TextReplacement {
  text: Pick<NewLibraryText, 'title' | 'author' | 'source' | 'markdown' | 'paragraphs' | 'chars'>;
  moves: ReadonlyMap<number, number>;
}

/** What went with a removed text. */
export interface RemovedText {
  notes: number;
  quizzes: number;
  plans: number;
}

export interface TextStore {
  /** Adds a text unless its scope already has `maxTexts` or one with its slug: checked and written in one transaction. */
  add(text: NewLibraryText, maxTexts: number, now: number): Promise<{ added: LibraryText } | { refused: 'full' | 'taken' }>;
  /** The scope's texts, oldest first. */
  list(scope: Scope): Promise<LibraryText[]>;
  find(scope: Scope, slug: string): Promise<LibraryText | undefined>;
  /** A text's corpus-format file. */
  markdown(id: number): Promise<string | undefined>;
  /** How many notes, quizzes and reading plans go with a text, for the confirmation. */
  dependents(scope: Scope, slug: string): Promise<RemovedText>;
  /** Puts a re-imported version in place and moves its notes, in one transaction; undefined when the text is gone. */
  replace(scope: Scope, slug: string, replacement: TextReplacement, now: number): Promise<LibraryText | undefined>;
  /** Removes a text with its notes, quizzes and reading plan (and the default, if it was), in one transaction; undefined when there was none. */
  remove(scope: Scope, slug: string): Promise<RemovedText | undefined>;
  setDefault(scope: Scope, slug: string | undefined): Promise<void>;
  getDefault(scope: Scope): Promise<string | undefined>;
}

/** A role one process at a time may hold (the gateway connection of an application), until its lease expires. */
export interface LeaseStore {
  /**
   * Takes or renews the lease for `holder` until `expiresAt`, unless another
   * holder's has not expired by `now` — or that holder is `replacing` (known
   * to be dead), whose lease is taken over at once.
   */
  acquire(name: string, holder: string, now: number, expiresAt: number, replacing?: string): Promise<boolean>;
  /** Who holds the lease now (expired or not), if anyone. */
  holderOf(name: string): Promise<string | undefined>;
  /** Gives the lease up, if `holder` has it. */
  release(name: string, holder: string): Promise<void>;
}

/** Where a review card came from. */
export type ReviewCardKind = 'quiz' | 'sentence' | 'note';

/**
 * A card of one person's review deck (per server, and one for DMs): a front
 * to recall from, its back, and the verbatim sentence it cites. Its schedule
 * is the scheduler's own state, kept as it wrote it (src/review/schedule.ts).
 */
export interface ReviewCard {
  id: number;
  scope: Scope;
  userId: string;
  kind: ReviewCardKind;
  /** What the card stands for ("quiz:12", "sentence:<article>:6:<hash>"): one card per source and person. */
  sourceKey: string;
  article: string;
  paragraph: number;
  front: string;
  back: string;
  /** Quoted with its ¶ once the answer is shown. */
  sentence: string;
  schedule: string;
  /** When it is next due (epoch ms). */
  dueAt: number;
  /** Reviews so far: a grade names the count it was given at, so a second click on the same card is not counted. */
  reps: number;
  createdAt: number;
}

export type NewReviewCard = Omit<ReviewCard, 'id' | 'createdAt'>;

/** One grade given to a card. */
export interface ReviewLogEntry {
  cardId: number;
  /** 1 again, 2 hard, 3 good, 4 easy. */
  rating: number;
  /** The card's state before it: 0 new, 1 learning, 2 review, 3 relearning. */
  state: number;
  reviewedAt: number;
}

/** What one grade changes: the card's new schedule, when it is due, and the log line. */
export interface ReviewGrade {
  /** The reps the card had when it was shown: a grade of a card already graded since is refused. */
  expectedReps: number;
  schedule: string;
  dueAt: number;
  rating: number;
  state: number;
  now: number;
}

/** A person's daily reminder of due cards, in their own time zone; one for all their decks. */
export interface ReviewReminder {
  userId: string;
  /** "HH:MM" local time. */
  at: string;
  timeZone: string;
  /** When it next fires (epoch ms). */
  nextAt: number;
  status: 'active' | 'stopped';
  /** Why Footnote stopped it (DMs closed), until the person is told. */
  stoppedReason?: string;
  lastSentAt?: number;
}

/**
 * Review decks, their grades and reminders. A card is added once per source
 * and person; a grade is one conditional write (on the card's reps) with its
 * log line, so a double click or two processes count it once; a reminder is
 * claimed by moving its time, so it is sent at most once a day.
 */
export interface ReviewStore {
  /** Adds the cards not yet in the deck, while it holds fewer than `maxCards`; returns those added and how many were there already. */
  add(cards: readonly NewReviewCard[], maxCards: number, now: number): Promise<{ added: ReviewCard[]; already: number; full: boolean }>;
  get(scope: Scope, userId: string, id: number): Promise<ReviewCard | undefined>;
  /** The card due first, if any is due by `now`. */
  nextDue(scope: Scope, userId: string, now: number): Promise<ReviewCard | undefined>;
  /** How many cards the deck has, how many are due by `now`, and when the next one not yet due is. */
  deckSummary(scope: Scope, userId: string, now: number): Promise<{ cards: number; due: number; nextDueAt?: number }>;
  /** Cards due by `now` in every deck of a person, per scope. */
  dueByScope(userId: string, now: number): Promise<Map<Scope, number>>;
  /** Grades a card; undefined when it is not there or was graded since it was shown. */
  grade(scope: Scope, userId: string, id: number, grade: ReviewGrade): Promise<ReviewCard | undefined>;
  /** A deck's grades since `since`, oldest first. */
  log(scope: Scope, userId: string, since: number): Promise<ReviewLogEntry[]>;
  /** A page of a deck, oldest first (exports). */
  cards(scope: Scope, userId: string, limit: number, offset: number): Promise<ReviewCard[]>;
  /** Deletes a deck and its grades; returns how many cards went. */
  forget(scope: Scope, userId: string): Promise<number>;

  setReminder(reminder: Omit<ReviewReminder, 'status' | 'stoppedReason' | 'lastSentAt'>): Promise<void>;
  getReminder(userId: string): Promise<ReviewReminder | undefined>;
  /** Deletes a reminder; false when there was none. */
  removeReminder(userId: string): Promise<boolean>;
  /** Active reminders due by `now`, earliest first. */
  dueReminders(now: number, limit: number): Promise<ReviewReminder[]>;
  /** The earliest time any active reminder fires. */
  nextReminderAt(): Promise<number | undefined>;
  /** Moves an active reminder from `nextAt` to `to`: true for the one caller that does, so it alone sends it. */
  claimReminder(userId: string, nextAt: number, to: number, sent: boolean): Promise<boolean>;
  /** Stops an active reminder with the reason the person will be told. */
  stopReminder(userId: string, reason: string): Promise<void>;
  /** The person was told why it stopped: the reason is cleared. */
  clearStoppedReason(userId: string): Promise<void>;
}
