/**
 * The last exchange of each person in each place (a DM, a channel, the
 * terminal), kept in memory for ten minutes. Bounded: the oldest entries go
 * first once it holds MAX_ENTRIES, so many users cannot grow it without end.
 */
import { CONVERSATION_TTL_MS, type Exchange } from './follow-up.ts';

const MAX_ENTRIES = 10_000;

export interface ConversationMemory {
  recall(key: string, now: number): Exchange | undefined;
  remember(key: string, exchange: Exchange): void;
}

export class InMemoryConversations implements ConversationMemory {
  private readonly exchanges = new Map<string, Exchange>();

  recall(key: string, now: number): Exchange | undefined {
    const exchange = this.exchanges.get(key);
    if (exchange && now - exchange.at > CONVERSATION_TTL_MS) {
      this.exchanges.delete(key);
      return undefined;
    }
    return exchange;
  }

  remember(key: string, exchange: Exchange): void {
    // Re-inserted, so the map's order stays oldest first.
    this.exchanges.delete(key);
    this.exchanges.set(key, exchange);
    if (this.exchanges.size > MAX_ENTRIES) {
      const oldest = this.exchanges.keys().next().value;
      if (oldest !== undefined) this.exchanges.delete(oldest);
    }
  }
}

/** One conversation per person per place. */
export function conversationKey(who: { guildId?: string; channelId: string; userId: string }): string {
  return `${who.guildId ?? 'dm'}:${who.channelId}:${who.userId}`;
}
