/**
 * Chat messages: in a DM every message is a question ("/name args" runs that
 * command); in a server only messages that @mention the bot are, and they get
 * a reply to that message. Bots, including this one, are never answered.
 */
import { MessageType, Routes, type GatewayMessageCreateDispatchData } from 'discord.js';
import { parseTextCommand, type ParsedCommand } from '../../commands/parse-text.ts';
import { findCommand } from '../../commands/registry.ts';
import type { Invoker } from '../../commands/types.ts';
import { cleanQuestion, MAX_QUESTION_CHARS } from '../../question.ts';
import { textReply, type Reply } from '../../reply/reply.ts';
import { slowDownText } from './cooldown.ts';
import { messageInvoker } from './invoker.ts';
import { apologyText, busyText, enter, handleEvent, produce, stoppingText, type PipelineServices } from './pipeline.ts';
import { messageBody, renderNotice, renderReply, type DiscordMessage } from './render.ts';
import { rawFiles, type Rest } from './respond.ts';

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

/** A reply to the message: never pinging its author, and posted even if the question was deleted meanwhile. */
async function send(rest: Rest, raw: GatewayMessageCreateDispatchData, message: DiscordMessage): Promise<void> {
  const files = rawFiles(message.files);
  const { flags: _ephemeralIsForInteractions, ...body } = messageBody(message);
  await rest.post(Routes.channelMessages(raw.channel_id), {
    body: { ...body, allowed_mentions: { ...message.allowedMentions, replied_user: false }, message_reference: { message_id: raw.id, fail_if_not_exists: false } },
    ...(files ? { files } : {}),
  });
}

const ANSWERED_TYPES: ReadonlySet<number> = new Set([MessageType.Default, MessageType.Reply]);

export async function routeMessage(services: PipelineServices, raw: GatewayMessageCreateDispatchData, bot: BotUser, rest: Rest): Promise<void> {
  if (raw.author.bot || raw.webhook_id !== undefined || !ANSWERED_TYPES.has(raw.type)) return;
  const inDm = raw.guild_id === undefined;
  if (!inDm && !mentionsBot(raw, bot.id)) return;

  const kind = inDm ? 'dm' : 'mention';
  await handleEvent(services, kind, 'ask', async (handling) => {
    const verdict = services.cooldown.take(raw.author.id);
    if (!verdict.allowed) {
      handling.outcome = 'cooldown';
      // Said once per blocked stretch: answering every extra message would be spam.
      if (verdict.firstRefusal) await send(rest, raw, renderNotice(slowDownText(verdict.retryAfterMs)));
      return;
    }
    services.logger.debug({ kind, content: raw.content }, 'message received');
    // Mention markup, the bot's own included, is dropped here.
    const { text, truncated } = cleanQuestion(typeof raw.content === 'string' ? raw.content : '');
    const notice = truncated ? `Your message was longer than ${MAX_QUESTION_CHARS} characters; I read only the first ${MAX_QUESTION_CHARS}.` : undefined;
    const request = text === '' ? undefined : commandFor(services, text, messageInvoker(raw));
    let reply: Reply;
    if (request === undefined) {
      handling.command = 'help';
      reply = shortHelp(services, bot.username);
    } else if ('error' in request) {
      handling.command = 'unknown';
      reply = textReply('error', 'Command not understood', [request.error]);
    } else {
      handling.command = request.command.definition.name;
      // In turn with interactions, so a flood of messages cannot hold their acknowledgements back.
      let abandoned = false;
      const ticket = enter(services, {
        acknowledge: async () => {},
        abandon: async () => {
          abandoned = true;
          await send(rest, raw, renderNotice(stoppingText()));
        },
      });
      try {
        const turn = await ticket.turn;
        if (turn !== 'run') {
          handling.outcome = turn === 'shed' ? 'shed' : 'stopping';
          await send(rest, raw, renderNotice(turn === 'shed' ? busyText() : stoppingText()));
          return;
        }
        try {
          reply = await produce(services, () => request.command.handle(request.input, services.app.context), request.input);
        } catch (error) {
          ticket.release();
          if (!abandoned) await send(rest, raw, renderNotice(apologyText(handling.handlerFailed(error))));
          return;
        }
        ticket.release();
        if (abandoned) {
          handling.outcome = 'stopping';
          return;
        }
        await sendReply(services, rest, raw, reply, inDm, notice);
      } finally {
        ticket.release();
        ticket.done();
      }
      return;
    }
    await sendReply(services, rest, raw, reply, inDm, notice);
  });
}

/** A chat message cannot be private: a reply meant for one person says so instead of showing it. */
async function sendReply(services: PipelineServices, rest: Rest, raw: GatewayMessageCreateDispatchData, reply: Reply, inDm: boolean, notice: string | undefined): Promise<void> {
  const { components, context } = services.app;
  const shown = reply.private && !inDm ? textReply('info', reply.title, ['That answer is private: ask me in a direct message, or use the slash command.']) : reply;
  await send(rest, raw, renderReply(shown, { ...(notice === undefined ? {} : { notice }), ephemeral: false, buttons: { components, context } }));
}
