/**
 * The one place a Reply becomes a Discord message: an embed (answer sentences
 * with their ¶ citations, one field per passage, footer "title — author") and
 * buttons for the reply's actions. Every Discord limit is enforced here, and
 * every message carries `allowed_mentions` that ping nobody unless asked.
 */
import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
  type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import type { ComponentRegistry } from '../../commands/components.ts';
import type { CommandContext, Component } from '../../commands/types.ts';
import { citationText, type ModalRequest, type PassageView, type Reply, type ReplyFile, type ReplyKind } from '../../reply/reply.ts';
import { Limits } from './limits.ts';
import { escapeText, fitText, renderSpans, truncate, truncateEscaped } from './markdown.ts';

export interface AllowedMentions {
  parse: [];
  /** Users who may be pinged: only someone the asker addressed with `to`. */
  users?: string[];
}

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

/** A rendered message: what every send (callback, edit, follow-up, channel message) takes. */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  allowedMentions: AllowedMentions;
  /** Shown to the asker only (interactions only; a channel message cannot be). */
  ephemeral: boolean;
  files?: ReplyFile[];
}

/** Where buttons come from: the commands' components, which encode each action's state. */
export interface ButtonSource {
  components: ComponentRegistry;
  context: CommandContext;
}

/** The JSON body Discord takes for a message, with no pings beyond `allowedMentions`. */
export function messageBody(message: DiscordMessage): Record<string, unknown> {
  return {
    ...(message.content === undefined ? {} : { content: message.content }),
    embeds: message.embeds,
    components: message.components,
    allowed_mentions: message.allowedMentions,
    ...(message.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
    ...(message.files && message.files.length > 0 ? { attachments: message.files.map((file, id) => ({ id, filename: file.name })) } : {}),
  };
}

export interface RenderOptions {
  /** Show it to the asker only. */
  ephemeral?: boolean;
  /** Address the answer to this user ("for @user"), pinging them and no one else; a private answer says it cannot. */
  forUser?: string;
  /** A line above the answer, e.g. that a question was shortened. */
  notice?: string;
  /** The components that turn the reply's actions into buttons; without it, no buttons. */
  buttons?: ButtonSource;
}

const COLORS: Record<ReplyKind, number> = {
  answer: 0x3b82f6,
  passage: 0x10b981,
  'not-found': 0x9ca3af,
  info: 0x6366f1,
  error: 0xef4444,
};

/** "for @user" pings that user; an ephemeral message can ping no one, so it says so instead. */
function addressLine(forUser: string, ephemeral: boolean): string {
  return ephemeral ? `Only you can see this answer, so <@${forUser}> was not notified; ask without private to share it.` : `for <@${forUser}>`;
}

export function renderReply(reply: Reply, options: RenderOptions = {}): DiscordMessage {
  const ephemeral = options.ephemeral ?? reply.private ?? false;
  const pinged = ephemeral ? undefined : options.forUser;
  const lines = [options.forUser === undefined ? undefined : addressLine(options.forUser, ephemeral), options.notice].filter((line) => line !== undefined);
  return {
    ...(lines.length > 0 ? { content: truncate(lines.join('\n'), Limits.content) } : {}),
    embeds: [buildEmbed(reply)],
    components: options.buttons ? buildButtons(reply, options.buttons) : [],
    allowedMentions: pinged === undefined ? { parse: [] } : { parse: [], users: [pinged] },
    ephemeral,
    ...(reply.files && reply.files.length > 0 ? { files: reply.files } : {}),
  };
}

/** A short plain-text message, shown to the asker only: apologies, "slow down", explanations. */
export function renderNotice(text: string): DiscordMessage {
  return { content: truncate(text, Limits.content), embeds: [], components: [], allowedMentions: { parse: [] }, ephemeral: true };
}

// ---- embed ---------------------------------------------------------------------

/** A line of description: escaped text cut to fit between a fixed prefix and suffix. */
interface Line {
  prefix?: string;
  text: string;
  suffix?: string;
}

/** Whole lines while they fit; the first that does not is cut at a word, and the rest dropped. */
function joinLines(lines: Line[], max: number): string {
  let out = '';
  for (const line of lines) {
    const separator = out === '' ? '' : '\n';
    const prefix = line.prefix ?? '';
    const suffix = line.suffix ?? '';
    const room = max - out.length - separator.length - prefix.length - suffix.length;
    if (room < 8) break;
    const escaped = escapeText(line.text);
    const text = truncateEscaped(escaped, room);
    out += `${separator}${prefix}${text}${suffix}`;
    if (text !== escaped) break;
  }
  return out.trimEnd();
}

function descriptionLines(reply: Reply): Line[] {
  const lines: Line[] = reply.notes.map((note) => ({ text: note }));
  const gap = () => {
    if (lines.length > 0) lines.push({ text: '' });
  };
  if (reply.answer.length > 0) gap();
  for (const sentence of reply.answer) lines.push({ prefix: '> ', text: sentence.text, suffix: ` **${escapeText(citationText(sentence.cite))}**` });
  // A passage reply shows whole paragraphs, which can be longer than a field allows.
  if (reply.kind === 'passage') {
    for (const passage of reply.passages) {
      gap();
      lines.push({ prefix: `**${escapeText(passageHeading(passage))}**\n`, text: passage.full });
    }
  }
  return lines;
}

/** "¶9 · body" for the argument; a comment's or note's label ("reader comment 1") already says what it is. */
function passageHeading(passage: PassageView): string {
  return passage.cite.role === 'body' ? `${passage.cite.label} · body` : passage.cite.label;
}

function passageField(passage: PassageView): APIEmbedField {
  const value = renderSpans(passage.excerpt, Limits.fieldValue);
  return { name: fitText(passageHeading(passage), Limits.fieldName), value: value.trim() === '' ? '—' : value };
}

function embedLength(embed: APIEmbed): number {
  const fields = (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + fields;
}

function buildEmbed(reply: Reply): APIEmbed {
  const title = fitText(reply.title.trim() === '' ? 'Footnote' : reply.title, Limits.embedTitle);
  const description = joinLines(descriptionLines(reply), Limits.embedDescription);
  const fields = reply.kind === 'passage' ? [] : reply.passages.slice(0, Limits.fields).map(passageField);
  const embed: APIEmbed = {
    title,
    color: COLORS[reply.kind],
    ...(description.trim() === '' ? {} : { description }),
    ...(fields.length > 0 ? { fields } : {}),
    ...(reply.footer ? { footer: { text: truncate(reply.footer, Limits.footer) } } : {}),
    // Only a picture sent with the reply: an attachment:// name Discord resolves to that file.
    ...(reply.image !== undefined && reply.files?.some((file) => file.name === reply.image) ? { image: { url: `attachment://${reply.image}` } } : {}),
  };
  fitTotal(embed, reply);
  return embed;
}

/**
 * Over 6000 in all: drop passages from the end (keeping the best one), then
 * shorten the description, then the footer; the answer matters most.
 */
function fitTotal(embed: APIEmbed, reply: Reply): void {
  const excess = () => embedLength(embed) - Limits.embedTotal;
  while (excess() > 0 && embed.fields && embed.fields.length > 1) embed.fields = embed.fields.slice(0, -1);
  if (excess() > 0 && embed.description !== undefined) {
    const description = joinLines(descriptionLines(reply), Math.max(0, embed.description.length - excess()));
    if (description === '') delete embed.description;
    else embed.description = description;
  }
  if (excess() > 0 && embed.footer) embed.footer = { text: truncate(embed.footer.text, Math.max(1, embed.footer.text.length - excess())) };
  if (excess() > 0) delete embed.fields;
}

// ---- buttons and modals ----------------------------------------------------------

const BUTTON_STYLES: Record<NonNullable<Component['style']>, ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

/** One button per action its component can encode and label, without duplicates; 5 to a row, 5 rows at most. */
function buildButtons(reply: Reply, { components, context }: ButtonSource): ButtonRow[] {
  const buttons: APIButtonComponentWithCustomId[] = [];
  const seen = new Set<string>();
  for (const wanted of reply.actions) {
    const resolved = components.resolve(wanted, context);
    if (!resolved || resolved.component.type !== 'button' || seen.has(resolved.customId)) continue;
    const label = resolved.component.label(resolved.action, reply);
    if (label === undefined) continue;
    seen.add(resolved.customId);
    buttons.push({
      type: ComponentType.Button,
      style: BUTTON_STYLES[resolved.component.style ?? 'secondary'],
      custom_id: resolved.customId,
      label: truncate(label, Limits.buttonLabel),
    });
  }
  const rows: ButtonRow[] = [];
  for (let start = 0; start < buttons.length && rows.length < Limits.rows; start += Limits.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(start, start + Limits.buttonsPerRow) });
  }
  return rows;
}

/** A modal's JSON, or undefined when its component cannot encode the action. */
export function renderModal(modal: ModalRequest, components: ComponentRegistry): APIModalInteractionResponseCallbackData | undefined {
  const customId = components.encode(modal.action);
  if (customId === undefined) return undefined;
  return {
    custom_id: customId,
    title: truncate(modal.title, Limits.modalTitle),
    components: modal.fields.slice(0, Limits.modalFields).map((field) => ({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.TextInput,
          custom_id: field.id,
          label: truncate(field.label, Limits.textInputLabel),
          style: field.paragraph ? TextInputStyle.Paragraph : TextInputStyle.Short,
          required: field.required ?? true,
          ...(field.maxLength === undefined ? {} : { max_length: Math.min(field.maxLength, Limits.textInputValue) }),
          ...(field.placeholder === undefined ? {} : { placeholder: truncate(field.placeholder, Limits.textInputPlaceholder) }),
        },
      ],
    })),
  };
}
