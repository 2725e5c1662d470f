/** Reading the bot's Discord messages in end-to-end tests: their first embed and their buttons. */
import type { StoredMessage } from './fake-discord.ts';

export interface Embed {
  title?: string;
  description?: string;
  image?: { url: string };
}

export interface Button {
  custom_id: string;
  label: string;
}

export interface Message {
  embeds?: Embed[];
  components?: { components: Button[] }[];
  flags?: number;
  allowed_mentions?: { parse?: string[] };
  attachments?: { id: number; filename: string }[];
}

export const EPHEMERAL = 64;

export const embedOf = (message: Message | StoredMessage): Embed => (message.embeds as Embed[] | undefined)?.[0] ?? {};

export const buttonsOf = (message: Message | StoredMessage): Button[] => ((message.components as Message['components']) ?? []).flatMap((row) => row.components);

/** The button whose label is `label` (or matches it); throws, showing the message, when there is none. */
export function buttonLabelled(message: Message | StoredMessage, label: string | RegExp): Button {
  const found = buttonsOf(message).find((button) => (typeof label === 'string' ? button.label === label : label.test(button.label)));
  if (!found) throw new Error(`no button ${String(label)} in ${JSON.stringify(message)}`);
  return found;
}
