/**
 * Chat messages: in a DM every message is a question ("/name args" runs that
 * command); in a server only messages that @mention the bot are, and they get
 * a reply to that message. Bots, including this one, are never answered.
 * Each takes the one path (./answer.ts), as interactions do.
 */
import { MessageType, Routes, type GatewayMessageCreateDispatchData } from 'discord.js';
import { parseTextCommand, type ParsedCommand } from '../../commands/parse-text.ts';
import { findCommand } from '../../commands/registry.ts';
import type { Invoker } from '../../commands/types.ts';
import { cleanQuestion, MAX_QUESTION_CHARS } from '../../question.ts';
import { textReply, type Reply } from '../../reply/reply.ts';
import { messageInvoker } from './invoker.ts';
import { runCommand } from '../../texts/run.ts';
import { answer, type Job } from './answer.ts';
import type { PipelineServices } from './pipeline.ts';
import { messageBody, type DiscordMessage } from './render.ts';
import { rawFiles, type Responder, type Rest } from './respond.ts';

export interface BotUser {
  id: string;
  username: string;
}

/** Whether a server message addresses the bot by name (not via @everyone or a role). */
function mentionsBot(raw: GatewayMessageCreateDispatchData, botId: string): boolean {
  return raw.mentions.some((user) => user.id === botId) || new RegExp(`<@!?${botId}>`).test(raw.content);
}

function shortHelp(services: PipelineServices, botName: string): Reply {
  const { library } = services.app.context;
  const example = library.exampleQuestion;
  return textReply('info', 'Footnote', [
    `Ask me about “${library.mainArticle.title}”: mention me with a question, for example “@${botName} ${example.charAt(0).toLowerCase()}${example.slice(1)}”, or send me a direct message.`,
    'Slash commands work too: /ask, /passage, and /help for the full list.',
  ]);
}

/** What the text asks for: a command typed as "/name args", or a question for /ask. */
function commandFor(services: PipelineServices, text: string, invoker: Invoker): ParsedCommand {
  const { commands } = services.app;
  if (text.startsWith('/')) return parseTextCommand(text, commands, invoker);
  const ask = findCommand(commands, 'ask');
  return ask ? { command: ask, input: { options: { question: text }, invoker } } : { error: 'Questions are not available here; type /help to see the commands.' };
}

/**
 * Answering a chat message: every message is a reply to it, never pinging its
 * author and posted even if the question was deleted meanwhile. There is no
 * deferral and no modal; a thread starts on the first reply posted.
 */
export class MessageReply implements Responder {
  readonly deferred = false;
  readonly answersEveryRefusal = false;
  readonly ageMs = 0;
  closed = false;
  private posted: { id: string; channel_id: string } | undefined;

  constructor(
    private readonly raw: GatewayMessageCreateDispatchData,
    readonly rest: Rest,
  ) {}

  watch(): void {}
  hurry(): void {}
  async acknowledge(): Promise<void> {}

  async takeOver(): Promise<'direct'> {
    return 'direct';
  }

  async abandon(message: DiscordMessage): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.post(message);
  }

  async send(message: DiscordMessage): Promise<void> {
    if (this.closed) return;
    const posted = await this.post(message);
    this.posted ??= posted;
  }

  update(message: DiscordMessage): Promise<void> {
    return this.send(message);
  }

  async followUp(message: DiscordMessage): Promise<void> {
    await this.post(message);
  }

  async postedMessage(): Promise<{ id: string; channel_id: string }> {
    if (this.posted === undefined) throw new Error('no reply has been posted to start a thread on');
    return this.posted;
  }

  private async post(message: DiscordMessage): Promise<{ id: string; channel_id: string } | undefined> {
    const files = rawFiles(message.files);
    const { flags: _ephemeralIsForInteractions, ...body } = messageBody(message);
    const posted = (await this.rest.post(Routes.channelMessages(this.raw.channel_id), {
      body: { ...body, allowed_mentions: { ...message.allowedMentions, replied_user: false }, message_reference: { message_id: this.raw.id, fail_if_not_exists: false } },
      ...(files ? { files } : {}),
    })) as { id?: unknown; channel_id?: unknown } | undefined;
    return typeof posted?.id === 'string' ? { id: posted.id, channel_id: typeof posted.channel_id === 'string' ? posted.channel_id : this.raw.channel_id } : undefined;
  }
}

const ANSWERED_TYPES: ReadonlySet<number> = new Set([MessageType.Default, MessageType.Reply]);

const PRIVATE_IN_SERVER = 'That answer is private: ask me in a direct message, or use the slash command.';

export async function routeMessage(services: PipelineServices, raw: GatewayMessageCreateDispatchData, bot: BotUser, rest: Rest): Promise<void> {
  if (raw.author.bot || raw.webhook_id !== undefined || !ANSWERED_TYPES.has(raw.type)) return;
  const inDm = raw.guild_id === undefined;
  if (!inDm && !mentionsBot(raw, bot.id)) return;

  services.logger.debug({ content: raw.content }, 'message received');
  // Mention markup, the bot's own included, is dropped here.
  const { text, truncated } = cleanQuestion(typeof raw.content === 'string' ? raw.content : '');
  const invoker = messageInvoker(raw);
  const request = text === '' ? undefined : commandFor(services, text, invoker);
  const job: Job = {
    kind: inDm ? 'dm' : 'mention',
    command: request === undefined ? 'help' : 'error' in request ? 'unknown' : request.command.definition.name,
    invoker,
    defer: 'message',
    ephemeral: false,
    run: () => {
      if (request === undefined) return shortHelp(services, bot.username);
      if ('error' in request) return textReply('error', 'Command not understood', [request.error]);
      return runCommand(request.command, request.input, services.app.context);
    },
    ...(request !== undefined && !('error' in request) ? { input: request.input } : {}),
    ...(truncated ? { render: { notice: `Your message was longer than ${MAX_QUESTION_CHARS} characters; I read only the first ${MAX_QUESTION_CHARS}.` } } : {}),
    // A chat message cannot be private: in a server, what is meant for one person says so instead of showing it.
    shown: (reply, role) => (inDm || (role === 'answer' && !reply.private) ? reply : textReply('info', reply.title, [PRIVATE_IN_SERVER])),
  };
  await answer(services, new MessageReply(raw, rest), job);
}
