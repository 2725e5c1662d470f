/**
 * Sending a rendered message in answer to an interaction, whatever state it is
 * in (fresh, deferred publicly or privately, already answered).
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

/** Whether the deferral was private; discord.js records it on the interaction. */
function deferredPrivately(interaction: RepliableInteraction): boolean {
  return interaction.ephemeral === true;
}

export async function sendToInteraction(interaction: RepliableInteraction, message: DiscordMessage): Promise<void> {
  if (interaction.deferred && !interaction.replied) {
    // A deferral fixed the visibility; a private message after a public deferral must not be edited into it.
    if (message.ephemeral && !deferredPrivately(interaction)) {
      await interaction.deleteReply();
      await interaction.followUp(withFlags(message));
      return;
    }
    await interaction.editReply(body(message));
    return;
  }
  if (interaction.replied) {
    await interaction.followUp(withFlags(message));
    return;
  }
  await interaction.reply(withFlags(message));
}

export async function deferInteraction(interaction: RepliableInteraction, ephemeral: boolean): Promise<void> {
  await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
}
