/** Who is asking, read from a raw interaction or message: id, display name, place and permissions. */
import { ChannelType, PermissionFlagsBits, type APIInteraction, type APIUser, type GatewayMessageCreateDispatchData } from 'discord.js';
import { NO_PERMISSIONS, type Invoker, type InvokerPermissions } from '../../commands/types.ts';

const THREAD_TYPES: ReadonlySet<number> = new Set([ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread]);

function displayName(user: APIUser | undefined, nick?: string | null): string {
  return nick ?? user?.global_name ?? user?.username ?? 'someone';
}

/** Permissions as Discord computed them for the invoker in this channel; an administrator has them all. */
function permissionsOf(bits: string | undefined): InvokerPermissions {
  if (bits === undefined || !/^\d+$/.test(bits)) return NO_PERMISSIONS;
  const value = BigInt(bits);
  const has = (flag: bigint) => (value & PermissionFlagsBits.Administrator) !== 0n || (value & flag) !== 0n;
  return { manageMessages: has(PermissionFlagsBits.ManageMessages), manageThreads: has(PermissionFlagsBits.ManageThreads), manageGuild: has(PermissionFlagsBits.ManageGuild) };
}

export function interactionInvoker(raw: APIInteraction): Invoker {
  const user = raw.member?.user ?? raw.user;
  const channel = raw.channel as { id?: string; type?: number; parent_id?: string | null } | undefined;
  const inThread = channel?.type !== undefined && THREAD_TYPES.has(channel.type);
  return {
    userId: user?.id ?? 'unknown',
    displayName: displayName(user, raw.member?.nick),
    ...(raw.guild_id ? { guildId: raw.guild_id } : {}),
    channelId: channel?.id ?? raw.channel_id ?? 'unknown',
    inThread,
    ...(inThread && channel?.parent_id ? { parentChannelId: channel.parent_id } : {}),
    permissions: permissionsOf(raw.member?.permissions),
  };
}

/** A chat message's author; permissions are not in a message, so none are assumed. */
export function messageInvoker(raw: GatewayMessageCreateDispatchData): Invoker {
  return {
    userId: raw.author.id,
    displayName: displayName(raw.author, raw.member?.nick),
    ...(raw.guild_id ? { guildId: raw.guild_id } : {}),
    channelId: raw.channel_id,
    inThread: false,
    permissions: NO_PERMISSIONS,
  };
}
