/** The last exchange per conversation key, so a follow-up asked of another worker is read with it. */
import type { ConversationStore, StoredConversation } from '../types.ts';
import type { SqlDriver } from './driver.ts';

export class SqlConversations implements ConversationStore {
  constructor(private readonly db: SqlDriver) {}

  async get(key: string, since: number): Promise<StoredConversation | undefined> {
    const row = await this.db.get<StoredConversation>('SELECT exchange AS data, at FROM conversations WHERE conversation_key = @key AND at >= @since', { key, since });
    return row && { data: row.data, at: row.at };
  }

  async put(key: string, conversation: StoredConversation): Promise<void> {
    // An older exchange (by `at`) never replaces a newer one.
    await this.db.run(
      'INSERT INTO conversations (conversation_key, exchange, at) VALUES (@key, @data, @at)' +
        ' ON CONFLICT (conversation_key) DO UPDATE SET exchange = excluded.exchange, at = excluded.at WHERE conversations.at <= excluded.at',
      { key, data: conversation.data, at: conversation.at },
    );
  }

  async prune(before: number): Promise<number> {
    return this.db.run('DELETE FROM conversations WHERE at < @before', { before });
  }
}
