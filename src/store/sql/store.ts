/**
 * The store over one SQL driver: each record kind is one file of this folder,
 * written once for SQLite and Postgres alike. A new kind adds its interface
 * to ../types.ts, its tables to ../migrations.ts, its file here, and one line below.
 */
import type { Store } from '../types.ts';
import { SqlConversations } from './conversations.ts';
import { SqlCounters } from './counters.ts';
import { SqlDiscussions } from './discussions.ts';
import type { SqlDriver } from './driver.ts';
import { SqlNotes, type ImportedNote } from './notes.ts';
import { SqlOpenQuestions } from './open-questions.ts';
import { SqlQuizzes } from './quizzes.ts';
import { SqlRateLimits } from './rate-limits.ts';
import { SqlReadingPlans } from './reading-plans.ts';
import { SqlTexts } from './texts.ts';
import { SqlLeases } from './leases.ts';
import { SqlReviews } from './reviews.ts';
import { SqlConfusion } from './confusion.ts';
import { SqlAssignments } from './assignments.ts';
import { SqlActivity } from './activity.ts';

export class SqlStore implements Store {
  readonly notes: SqlNotes;
  readonly openQuestions: SqlOpenQuestions;
  readonly discussions: SqlDiscussions;
  readonly counters: SqlCounters;
  readonly readingPlans: SqlReadingPlans;
  readonly quizzes: SqlQuizzes;
  readonly rateLimits: SqlRateLimits;
  readonly conversations: SqlConversations;
  readonly texts: SqlTexts;
  readonly leases: SqlLeases;
  readonly reviews: SqlReviews;
  readonly confusion: SqlConfusion;
  readonly assignments: SqlAssignments;
  readonly activity: SqlActivity;

  constructor(
    private readonly sql: SqlDriver,
    /** "memory", "sqlite:<file>" or "postgres:<host>:<port>/<database>" (never a password). */
    readonly description: string,
  ) {
    this.notes = new SqlNotes(sql);
    this.openQuestions = new SqlOpenQuestions(sql);
    this.discussions = new SqlDiscussions(sql);
    this.counters = new SqlCounters(sql);
    this.readingPlans = new SqlReadingPlans(sql);
    this.quizzes = new SqlQuizzes(sql);
    this.rateLimits = new SqlRateLimits(sql);
    this.conversations = new SqlConversations(sql);
    this.texts = new SqlTexts(sql);
    this.leases = new SqlLeases(sql);
    this.reviews = new SqlReviews(sql);
    this.confusion = new SqlConfusion(sql);
    this.assignments = new SqlAssignments(sql);
    this.activity = new SqlActivity(sql);
  }

  /** Stores many notes, each with its own time, in one transaction (imports; the bench's fill). Returns their ids. */
  importNotes(notes: readonly ImportedNote[]): Promise<number[]> {
    return this.notes.addMany(notes);
  }

  /** Writes the answers counted in this process first: a clean stop loses none. */
  async close(): Promise<void> {
    await this.activity.flush().catch(() => undefined);
    return this.sql.close();
  }
}
