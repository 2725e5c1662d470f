/**
 * The last exchange of each person in each place (a DM, a channel, the
 * terminal), kept for ten minutes: in memory, or in the store when workers
 * share one (StoreConversations). Bounded: the oldest entries go
 * first once it holds MAX_ENTRIES, so many users cannot grow it without end.
 */
import { CONVERSATION_TTL_MS, type Exchange } from './follow-up.ts';
import type { ConversationStore } from '../store/types.ts';

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

/** One in this many writes also drops expired exchanges from the store. */
const PRUNE_EVERY = 1_000;

/** An exchange read back from the store, or undefined for anything that is not one. */
function parseExchange(data: string): Exchange | undefined {
  try {
    const value = JSON.parse(data) as Partial<Exchange>;
    const valid = typeof value.question === 'string' && Array.isArray(value.names) && value.names.every((name) => typeof name === 'string') && typeof value.at === 'number';
    return valid ? (value as Exchange) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Conversations kept in the store for workers that share it, so a follow-up
 * asked of another worker is read with the question before it. `recall` and
 * `remember` stay synchronous, as commands call them: the transport `load`s
 * the asker's exchange before the event, and `remember` writes through in the
 * background. Only a follow-up sent within milliseconds of the last answer, to
 * another worker, could miss it; a person typing never does.
 */
export class StoreConversations implements ConversationMemory {
  private readonly local = new InMemoryConversations();
  private readonly writes = new Set<Promise<void>>();
  private written = 0;

  constructor(
    private readonly store: ConversationStore,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Brings the store's exchange for `key` into this process when it is newer than the one known here. */
  async load(key: string, now: number): Promise<void> {
    try {
      const stored = await this.store.get(key, now - CONVERSATION_TTL_MS);
      const exchange = stored && parseExchange(stored.data);
      const known = this.local.recall(key, now);
      if (exchange && (known === undefined || exchange.at > known.at)) this.local.remember(key, exchange);
    } catch (error) {
      this.onError(error);
    }
  }

  recall(key: string, now: number): Exchange | undefined {
    return this.local.recall(key, now);
  }

  remember(key: string, exchange: Exchange): void {
    this.local.remember(key, exchange);
    const write: Promise<void> = this.store
      .put(key, { data: JSON.stringify(exchange), at: exchange.at })
      .catch(this.onError)
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
    this.written += 1;
    if (this.written % PRUNE_EVERY === 0) void this.store.prune(exchange.at - CONVERSATION_TTL_MS).catch(this.onError);
  }

  /** Resolves once every exchange remembered so far is in the store. */
  async flush(): Promise<void> {
    await Promise.all([...this.writes]);
  }
}

/** One conversation per person per place. */
export function conversationKey(who: { guildId?: string; channelId: string; userId: string }): string {
  return `${who.guildId ?? 'dm'}:${who.channelId}:${who.userId}`;
}
