/**
 * What discord.js may keep in memory. Footnote reads every event raw and never
 * looks a user, member, message or presence up in discord.js's caches, which
 * otherwise grow with every distinct user (about 2.3 MB per 1,000 users):
 * they hold nothing but the bot's own user and member. Guilds, their channels
 * and roles stay (they are few). Direct-message channels, which discord.js
 * adds for every user who writes or acts in a DM and cannot limit, are swept.
 */
import { Options, type CacheFactory, type Client } from 'discord.js';

/** How often direct-message channels are dropped from discord.js's channel cache. */
const DM_SWEEP_MS = 60_000;

const isBot = (thing: { id: string; client: Client }) => thing.id === thing.client.user?.id;

export function cacheLimits(): CacheFactory {
  return Options.cacheWithLimits({
    ApplicationCommandManager: 0,
    ApplicationEmojiManager: 0,
    AutoModerationRuleManager: 0,
    BaseGuildEmojiManager: 0,
    DMMessageManager: 0,
    EntitlementManager: 0,
    GuildBanManager: 0,
    GuildEmojiManager: 0,
    GuildInviteManager: 0,
    GuildMemberManager: { maxSize: 0, keepOverLimit: isBot },
    GuildMessageManager: 0,
    GuildScheduledEventManager: 0,
    GuildStickerManager: 0,
    MessageManager: 0,
    PresenceManager: 0,
    ReactionManager: 0,
    ReactionUserManager: 0,
    StageInstanceManager: 0,
    ThreadMemberManager: 0,
    UserManager: { maxSize: 0, keepOverLimit: isBot },
    VoiceStateManager: 0,
  });
}

/** Drops direct-message channels from the cache now and then; returns the function that stops it. */
export function sweepDmChannels(client: Client): () => void {
  const timer = setInterval(() => client.channels.cache.sweep((channel) => channel.isDMBased()), DM_SWEEP_MS);
  timer.unref();
  return () => clearInterval(timer);
}
