/**
 * The store in memory, for unit tests and the terminal chat: the same answers
 * as the SQLite store (same order, same ids, same visibility), nothing kept.
 */
import type {
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
  ReadingClaim,
  ReadingPlan,
  ReadingPlanStore,
  ReadingProgress,
  Scope,
  Store,
} from './types.ts';

/** SQLite reads LIMIT -1 as "no limit"; both stores refuse it instead. */
function checkPage(limit: number, offset: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number ≥ 0, not ${limit}`);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`offset must be a whole number ≥ 0, not ${offset}`);
}

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

export class MemoryStore implements Store {
  readonly description = 'memory';
  readonly notes: NoteStore = new MemoryNotes();
  readonly openQuestions: OpenQuestionStore = new MemoryOpenQuestions();
  readonly discussions: DiscussionStore = new MemoryDiscussions();
  readonly counters: CounterStore = new MemoryCounters();
  readonly readingPlans: ReadingPlanStore = new MemoryReadingPlans();

  async close(): Promise<void> {}
}
