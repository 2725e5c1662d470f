/**
 * The store in memory, for unit tests and the terminal chat: the same answers
 * as the SQLite store (same order, same ids, same visibility), nothing kept.
 */
import { checkRateLimit, takeFromWindow, type RateWindow } from './rate-window.ts';
import type {
  ConversationStore,
  CounterStore,
  Discussion,
  DiscussionStore,
  NewNote,
  NewOpenQuestion,
  NewReadingPlan,
  Note,
  NoteQuery,
  NoteStore,
  OpenQuestion,
  OpenQuestionStore,
  NewQuiz,
  Quiz,
  QuizAnswer,
  QuizAnswerOutcome,
  QuizScore,
  QuizStore,
  QuizTally,
  RateLimitStore,
  RateLimitVerdict,
  ReadingClaim,
  ReadingPlan,
  ReadingPlanStore,
  ReadingProgress,
  Scope,
  Store,
  StoredConversation,
} from './types.ts';
import { checkPage } from './rows.ts';


/** Newest first; the later id first among equal times (ids only grow). */
function newestFirst(a: { time: number; id: number }, b: { time: number; id: number }): number {
  return b.time - a.time || b.id - a.id;
}

class MemoryNotes implements NoteStore {
  private readonly notes = new Map<number, Note>();
  /** Ids are never reused, as with SQLite's AUTOINCREMENT. */
  private lastId = 0;

  async add(note: NewNote, now: number): Promise<Note> {
    this.lastId += 1;
    // Field by field, so nothing beyond the Note's fields is kept (as in a table).
    const stored: Note = {
      id: this.lastId,
      scope: note.scope,
      article: note.article,
      paragraph: note.paragraph,
      authorId: note.authorId,
      authorName: note.authorName,
      text: note.text,
      private: note.private,
      createdAt: now,
    };
    this.notes.set(stored.id, stored);
    return { ...stored };
  }

  async get(scope: Scope, id: number): Promise<Note | undefined> {
    const note = this.notes.get(id);
    return note !== undefined && note.scope === scope ? { ...note } : undefined;
  }

  private visible(scope: Scope, viewerId: string): Note[] {
    return [...this.notes.values()].filter((note) => note.scope === scope && (!note.private || note.authorId === viewerId));
  }

  async list(query: NoteQuery): Promise<{ notes: Note[]; total: number }> {
    const offset = query.offset ?? 0;
    checkPage(query.limit, offset);
    const matching = this.visible(query.scope, query.viewerId)
      .filter(
        (note) =>
          (query.article === undefined || note.article === query.article) &&
          (query.paragraph === undefined || note.paragraph === query.paragraph) &&
          (query.authorId === undefined || note.authorId === query.authorId),
      )
      .sort((a, b) => newestFirst({ time: a.createdAt, id: a.id }, { time: b.createdAt, id: b.id }));
    return { notes: matching.slice(offset, offset + query.limit).map((note) => ({ ...note })), total: matching.length };
  }

  async countByParagraph(scope: Scope, viewerId: string, article: string): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    for (const note of this.visible(scope, viewerId)) {
      if (note.article === article) counts.set(note.paragraph, (counts.get(note.paragraph) ?? 0) + 1);
    }
    return new Map([...counts].sort(([a], [b]) => a - b));
  }

  async countByAuthorSince(authorId: string, since: number): Promise<number> {
    let count = 0;
    for (const note of this.notes.values()) if (note.authorId === authorId && note.createdAt >= since) count += 1;
    return count;
  }

  async delete(scope: Scope, id: number): Promise<boolean> {
    if (this.notes.get(id)?.scope !== scope) return false;
    return this.notes.delete(id);
  }
}

class MemoryOpenQuestions implements OpenQuestionStore {
  private readonly questions = new Map<number, OpenQuestion>();
  private lastId = 0;

  async add(question: NewOpenQuestion, now: number): Promise<OpenQuestion> {
    this.lastId += 1;
    const stored: OpenQuestion = {
      id: this.lastId,
      scope: question.scope,
      question: question.question,
      askerId: question.askerId,
      askerName: question.askerName,
      confidence: question.confidence,
      askedAt: now,
    };
    this.questions.set(stored.id, stored);
    return { ...stored };
  }

  async list(scope: Scope, limit: number, offset = 0): Promise<{ questions: OpenQuestion[]; total: number }> {
    checkPage(limit, offset);
    const matching = [...this.questions.values()]
      .filter((question) => question.scope === scope)
      .sort((a, b) => newestFirst({ time: a.askedAt, id: a.id }, { time: b.askedAt, id: b.id }));
    return { questions: matching.slice(offset, offset + limit).map((question) => ({ ...question })), total: matching.length };
  }

  async clear(scope: Scope): Promise<number> {
    let cleared = 0;
    for (const [id, question] of this.questions) {
      if (question.scope === scope) {
        this.questions.delete(id);
        cleared += 1;
      }
    }
    return cleared;
  }
}

class MemoryCounters implements CounterStore {
  private readonly values = new Map<string, number>();

  private static key(scope: Scope, name: string): string {
    return JSON.stringify([scope, name]);
  }

  async get(scope: Scope, name: string): Promise<number> {
    return this.values.get(MemoryCounters.key(scope, name)) ?? 0;
  }

  async increment(scope: Scope, name: string, by = 1): Promise<number> {
    if (!Number.isSafeInteger(by)) throw new RangeError(`a counter moves by whole numbers, not ${by}`);
    const key = MemoryCounters.key(scope, name);
    const value = (this.values.get(key) ?? 0) + by;
    this.values.set(key, value);
    return value;
  }
}

class MemoryDiscussions implements DiscussionStore {
  private readonly threads = new Map<string, Discussion>();

  async add(discussion: Omit<Discussion, 'createdAt'>, now: number): Promise<void> {
    const { scope, threadId, article, paragraph, startedBy } = discussion;
    this.threads.set(`${scope}\u0000${threadId}`, { scope, threadId, article, paragraph, startedBy, createdAt: now });
  }

  async get(scope: Scope, threadId: string): Promise<Discussion | undefined> {
    const found = this.threads.get(`${scope}\u0000${threadId}`);
    return found && { ...found };
  }
}

/** The claim a write names: only its holder may complete or release it. */
function holds(plan: ReadingPlan, claim: ReadingClaim): boolean {
  const held = plan.claim;
  return held !== undefined && held.part === claim.part && held.from === claim.from && held.to === claim.to && held.claimedAt === claim.claimedAt;
}

function copyPlan(plan: ReadingPlan): ReadingPlan {
  return { ...plan, ...(plan.claim ? { claim: { ...plan.claim } } : {}) };
}

class MemoryReadingPlans implements ReadingPlanStore {
  private readonly plans = new Map<Scope, ReadingPlan>();

  async start(plan: NewReadingPlan, now: number): Promise<ReadingPlan | undefined> {
    const existing = this.plans.get(plan.scope);
    if (existing !== undefined && existing.status !== 'finished') return undefined;
    // Field by field, as in a table.
    const stored: ReadingPlan = {
      scope: plan.scope,
      channelId: plan.channelId,
      article: plan.article,
      paragraphsPerPart: plan.paragraphsPerPart,
      every: plan.every,
      at: plan.at,
      timeZone: plan.timeZone,
      weekday: plan.weekday,
      startedBy: plan.startedBy,
      startedByName: plan.startedByName,
      status: 'active',
      nextParagraph: 1,
      partsPosted: 0,
      nextDueAt: plan.nextDueAt,
      createdAt: now,
    };
    this.plans.set(plan.scope, stored);
    return copyPlan(stored);
  }

  async get(scope: Scope): Promise<ReadingPlan | undefined> {
    const plan = this.plans.get(scope);
    return plan && copyPlan(plan);
  }

  async due(now: number): Promise<ReadingPlan[]> {
    return [...this.plans.values()]
      .filter((plan) => (plan.status === 'active' && plan.nextDueAt <= now) || plan.claim !== undefined)
      .sort((a, b) => a.nextDueAt - b.nextDueAt || (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0))
      .map(copyPlan);
  }

  async nextDueAt(): Promise<number | undefined> {
    const times = [...this.plans.values()].flatMap((plan) => [
      ...(plan.status === 'active' ? [plan.nextDueAt] : []),
      ...(plan.claim ? [plan.claim.claimedAt] : []),
    ]);
    return times.length === 0 ? undefined : Math.min(...times);
  }

  async claim(scope: Scope, claim: ReadingClaim): Promise<boolean> {
    const plan = this.plans.get(scope);
    if (!plan || plan.status !== 'active' || plan.claim !== undefined || plan.nextParagraph !== claim.from || plan.nextDueAt > claim.claimedAt) return false;
    plan.claim = { part: claim.part, from: claim.from, to: claim.to, dueAt: claim.dueAt, claimedAt: claim.claimedAt };
    return true;
  }

  async complete(scope: Scope, claim: ReadingClaim, progress: ReadingProgress): Promise<boolean> {
    const plan = this.plans.get(scope);
    if (!plan || !holds(plan, claim)) return false;
    delete plan.claim;
    plan.nextParagraph = claim.to + 1;
    if (progress.partDone) plan.partsPosted = claim.part;
    if (progress.finished) plan.status = 'finished';
    plan.nextDueAt = progress.nextDueAt;
    return true;
  }

  async release(scope: Scope, claim: ReadingClaim, retryAt: number): Promise<boolean> {
    const plan = this.plans.get(scope);
    if (!plan || !holds(plan, claim)) return false;
    delete plan.claim;
    plan.nextDueAt = retryAt;
    return true;
  }

  async pause(scope: Scope, reason: string): Promise<boolean> {
    const plan = this.plans.get(scope);
    if (plan?.status !== 'active') return false;
    plan.status = 'paused';
    plan.pausedReason = reason;
    return true;
  }

  async resume(scope: Scope, nextDueAt: number): Promise<boolean> {
    const plan = this.plans.get(scope);
    if (plan?.status !== 'paused') return false;
    plan.status = 'active';
    delete plan.pausedReason;
    plan.nextDueAt = nextDueAt;
    return true;
  }

  async postNow(scope: Scope, now: number): Promise<boolean> {
    const plan = this.plans.get(scope);
    if (plan?.status !== 'active') return false;
    plan.nextDueAt = Math.min(plan.nextDueAt, now);
    return true;
  }

  async stop(scope: Scope): Promise<boolean> {
    return this.plans.delete(scope);
  }
}

/** A quiz's answer index must name one of its options; both stores refuse anything else. */
function checkQuiz(quiz: Pick<Quiz, 'options' | 'answer'>): void {
  if (quiz.options.length < 2) throw new RangeError(`a quiz needs at least two options, not ${quiz.options.length}`);
  if (!Number.isSafeInteger(quiz.answer) || quiz.answer < 0 || quiz.answer >= quiz.options.length) throw new RangeError(`answer ${quiz.answer} is not one of the ${quiz.options.length} options`);
}

/** Best first: more right answers, then fewer answers, then by user id so the order is stable. */
function byRank(a: QuizScore, b: QuizScore): number {
  return b.correct - a.correct || a.answered - b.answered || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
}

class MemoryQuizzes implements QuizStore {
  private readonly quizzes = new Map<number, Quiz>();
  /** Per quiz, each member's first answer. */
  private readonly answers = new Map<number, Map<string, QuizAnswer>>();
  private readonly scores = new Map<string, QuizScore & { scope: Scope }>();
  private lastId = 0;

  private static scoreKey(scope: Scope, userId: string): string {
    return `${scope}\u0000${userId}`;
  }

  async create(quiz: NewQuiz, now: number): Promise<Quiz> {
    checkQuiz(quiz);
    this.lastId += 1;
    const { scope, article, kind, paragraph, sentence, prompt, options, answer, startedBy } = quiz;
    const stored: Quiz = { id: this.lastId, scope, article, kind, paragraph, sentence, prompt, options: [...options], answer, startedBy, revealed: false, createdAt: now };
    this.quizzes.set(stored.id, stored);
    return { ...stored, options: [...stored.options] };
  }

  async get(scope: Scope, id: number): Promise<Quiz | undefined> {
    const quiz = this.quizzes.get(id);
    return quiz?.scope === scope ? { ...quiz, options: [...quiz.options] } : undefined;
  }

  async answer(scope: Scope, quizId: number, who: { userId: string; displayName: string }, choice: number, now: number): Promise<QuizAnswerOutcome> {
    const quiz = await this.get(scope, quizId);
    if (!quiz) return { status: 'missing' };
    if (quiz.revealed) return { status: 'revealed', quiz, tally: await this.tally(scope, quizId) };
    if (!Number.isSafeInteger(choice) || choice < 0 || choice >= quiz.options.length) throw new RangeError(`choice ${choice} is not one of the ${quiz.options.length} options`);
    const answers = this.answers.get(quizId) ?? new Map<string, QuizAnswer>();
    this.answers.set(quizId, answers);
    const earlier = answers.get(who.userId);
    if (earlier) return { status: 'already', quiz, answer: { ...earlier }, tally: await this.tally(scope, quizId) };
    const answer: QuizAnswer = { quizId, userId: who.userId, choice, correct: choice === quiz.answer, answeredAt: now };
    answers.set(who.userId, answer);
    const key = MemoryQuizzes.scoreKey(scope, who.userId);
    const score = this.scores.get(key) ?? { scope, userId: who.userId, displayName: who.displayName, answered: 0, correct: 0 };
    this.scores.set(key, { ...score, displayName: who.displayName, answered: score.answered + 1, correct: score.correct + (answer.correct ? 1 : 0) });
    return { status: 'recorded', quiz, answer: { ...answer }, tally: await this.tally(scope, quizId) };
  }

  async tally(scope: Scope, quizId: number): Promise<QuizTally> {
    if (this.quizzes.get(quizId)?.scope !== scope) return { answered: 0, correct: 0 };
    const answers = [...(this.answers.get(quizId)?.values() ?? [])];
    return { answered: answers.length, correct: answers.filter((answer) => answer.correct).length };
  }

  async reveal(scope: Scope, quizId: number): Promise<boolean> {
    const quiz = this.quizzes.get(quizId);
    if (quiz?.scope !== scope) return false;
    quiz.revealed = true;
    return true;
  }

  private scoresOf(scope: Scope): QuizScore[] {
    return [...this.scores.values()].filter((score) => score.scope === scope).map(({ userId, displayName, answered, correct }) => ({ userId, displayName, answered, correct }));
  }

  async leaderboard(scope: Scope, limit: number): Promise<QuizScore[]> {
    checkPage(limit, 0);
    return this.scoresOf(scope).sort(byRank).slice(0, limit);
  }

  async standing(scope: Scope, userId: string): Promise<{ score: QuizScore; rank: number } | undefined> {
    const all = this.scoresOf(scope);
    const score = all.find((candidate) => candidate.userId === userId);
    if (!score) return undefined;
    const ahead = all.filter((other) => other.correct > score.correct || (other.correct === score.correct && other.answered < score.answered)).length;
    return { score, rank: ahead + 1 };
  }

  async forget(scope: Scope, userId: string): Promise<number> {
    let forgotten = 0;
    for (const [quizId, answers] of this.answers) {
      if (this.quizzes.get(quizId)?.scope === scope && answers.delete(userId)) forgotten += 1;
    }
    this.scores.delete(MemoryQuizzes.scoreKey(scope, userId));
    return forgotten;
  }
}

class MemoryRateLimits implements RateLimitStore {
  private readonly windows = new Map<string, RateWindow & { expiresAt: number }>();

  async take(key: string, limit: number, windowMs: number, now: number): Promise<RateLimitVerdict> {
    checkRateLimit(limit, windowMs);
    const step = takeFromWindow(this.windows.get(key), limit, windowMs, now);
    this.windows.set(key, { ...step.window, expiresAt: step.expiresAt });
    return step.verdict;
  }

  async prune(now: number): Promise<number> {
    let pruned = 0;
    for (const [key, window] of this.windows) {
      if (window.expiresAt <= now && this.windows.delete(key)) pruned += 1;
    }
    return pruned;
  }
}

class MemoryConversations implements ConversationStore {
  private readonly conversations = new Map<string, StoredConversation>();

  async get(key: string, since: number): Promise<StoredConversation | undefined> {
    const found = this.conversations.get(key);
    return found !== undefined && found.at >= since ? { data: found.data, at: found.at } : undefined;
  }

  async put(key: string, conversation: StoredConversation): Promise<void> {
    const kept = this.conversations.get(key);
    if (kept === undefined || kept.at <= conversation.at) this.conversations.set(key, { data: conversation.data, at: conversation.at });
  }

  async prune(before: number): Promise<number> {
    let pruned = 0;
    for (const [key, conversation] of this.conversations) {
      if (conversation.at < before && this.conversations.delete(key)) pruned += 1;
    }
    return pruned;
  }
}

export class MemoryStore implements Store {
  readonly description = 'memory';
  readonly notes: NoteStore = new MemoryNotes();
  readonly openQuestions: OpenQuestionStore = new MemoryOpenQuestions();
  readonly discussions: DiscussionStore = new MemoryDiscussions();
  readonly counters: CounterStore = new MemoryCounters();
  readonly readingPlans: ReadingPlanStore = new MemoryReadingPlans();
  readonly quizzes: QuizStore = new MemoryQuizzes();
  readonly rateLimits: RateLimitStore = new MemoryRateLimits();
  readonly conversations: ConversationStore = new MemoryConversations();

  async close(): Promise<void> {}
}
