/**
 * Sending a rendered message in answer to an interaction, fresh or deferred
 * (publicly or privately).
 */
import { MessageFlags, type InteractionReplyOptions, type RepliableInteraction } from 'discord.js';
import type { DiscordMessage } from './render.ts';

function body(message: DiscordMessage) {
  return {
    ...(message.content === undefined ? {} : { content: message.content }),
    embeds: message.embeds,
    components: message.components,
    allowedMentions: message.allowedMentions,
  };
}

function withFlags(message: DiscordMessage): InteractionReplyOptions {
  return { ...body(message), ...(message.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
}

export async function sendToInteraction(interaction: RepliableInteraction, message: DiscordMessage): Promise<void> {
  if (!interaction.deferred) {
    await interaction.reply(withFlags(message));
    return;
  }
  // Editing the deferral keeps the visibility fixed when deferring and notifies no one it mentions. A private
  // message after a public deferral, or one that must ping someone, replaces the deferral with a follow-up instead.
  const changesVisibility = message.ephemeral && interaction.ephemeral !== true;
  const pings = (message.allowedMentions.users?.length ?? 0) > 0;
  if (changesVisibility || pings) {
    await interaction.deleteReply();
    await interaction.followUp(withFlags(message));
    return;
  }
  await interaction.editReply(body(message));
}
