/** Threads opened with /discuss: a question asked in one looks at its paragraph first. */
import type { Discussion, DiscussionStore, Scope } from '../types.ts';
import type { SqlDriver } from './driver.ts';

interface DiscussionRow {
  scope: string;
  thread_id: string;
  article: string;
  paragraph: number;
  started_by: string;
  created_at: number;
}

export class SqlDiscussions implements DiscussionStore {
  constructor(private readonly db: SqlDriver) {}

  async add(discussion: Omit<Discussion, 'createdAt'>, now: number): Promise<void> {
    await this.db.run(
      'INSERT INTO discussions (scope, thread_id, article, paragraph, started_by, created_at) VALUES (@scope, @threadId, @article, @paragraph, @startedBy, @now)' +
        ' ON CONFLICT (scope, thread_id) DO UPDATE SET article = excluded.article, paragraph = excluded.paragraph, started_by = excluded.started_by, created_at = excluded.created_at',
      { scope: discussion.scope, threadId: discussion.threadId, article: discussion.article, paragraph: discussion.paragraph, startedBy: discussion.startedBy, now },
    );
  }

  async get(scope: Scope, threadId: string): Promise<Discussion | undefined> {
    const row = await this.db.get<DiscussionRow>('SELECT * FROM discussions WHERE scope = @scope AND thread_id = @threadId', { scope, threadId });
    return row && { scope: row.scope as Scope, threadId: row.thread_id, article: row.article, paragraph: row.paragraph, startedBy: row.started_by, createdAt: row.created_at };
  }
}
