/**
 * Chat messages: in a DM every message is a question ("/name args" runs that
 * command); in a server only messages that @mention the bot are, and they get
 * a reply to that message. Bots, including this one, are never answered.
 */
import { ChannelType, type Message } from 'discord.js';
import { textReply, type Reply } from '../answer/reply.ts';
import { findCommand } from '../commands/registry.ts';
import { parseTextCommand } from '../commands/text.ts';
import { cleanQuestion, MAX_QUESTION_CHARS } from '../question.ts';
import { slowDownText } from './cooldown.ts';
import { renderNotice, renderReply, type DiscordMessage } from './render.ts';
import { apologyText, logEvent, newErrorId, runCommand, type EventKind, type Outcome, type Runtime } from './runtime.ts';

function mentionPattern(botId: string): RegExp {
  return new RegExp(`<@!?${botId}>`, 'g');
}

/** Whether a server message addresses the bot by name (not via @everyone or a role). */
function mentionsBot(message: Message, botId: string): boolean {
  return message.mentions.users.has(botId) || mentionPattern(botId).test(message.content);
}

function shortHelp(runtime: Runtime, botName: string): Reply {
  const { title } = runtime.app.context.library.mainArticle;
  return textReply('info', 'Footnote', [
    `Ask me about “${title}”: mention me with a question, for example “@${botName} why are Russia and Iran not allies?”, or send me a direct message.`,
    'Slash commands work too: /ask, /passage, and /help for the full list.',
  ]);
}

/** What the text asks for: a command typed as "/name args", or a question for /ask. */
async function replyTo(runtime: Runtime, text: string): Promise<{ command: string; reply: Reply }> {
  const { commands } = runtime.app;
  if (text.startsWith('/')) {
    const parsed = parseTextCommand(text, commands);
    if ('error' in parsed) return { command: 'unknown', reply: textReply('error', 'Command not understood', [parsed.error]) };
    return { command: parsed.command.definition.name, reply: await runCommand(runtime, parsed.command, parsed.input) };
  }
  const ask = findCommand(commands, 'ask');
  if (!ask) return { command: 'ask', reply: runtime.app.context.library.ask(text) };
  return { command: 'ask', reply: await runCommand(runtime, ask, { options: { question: text } }) };
}

async function send(message: Message, rendered: DiscordMessage): Promise<void> {
  await message.reply({
    ...(rendered.content === undefined ? {} : { content: rendered.content }),
    embeds: rendered.embeds,
    components: rendered.components,
    // Replying must not ping the asker either.
    allowedMentions: { ...rendered.allowedMentions, repliedUser: false },
  });
}

export async function handleMessage(runtime: Runtime, message: Message): Promise<void> {
  const bot = message.client.user;
  if (message.author.bot || message.webhookId !== null || message.system) return;
  const inDm = message.channel.type === ChannelType.DM;
  if (!inDm && !mentionsBot(message, bot.id)) return;

  const kind: EventKind = inDm ? 'dm' : 'mention';
  const startedAt = Date.now();
  let outcome: Outcome = 'answered';
  let command = 'ask';
  let errorId: string | undefined;
  try {
    const verdict = runtime.cooldown.take(message.author.id);
    if (!verdict.allowed) {
      outcome = 'cooldown';
      // Said once per blocked stretch: answering every extra message would be spam.
      if (verdict.firstRefusal) await send(message, renderNotice(slowDownText(verdict.retryAfterMs)));
      return;
    }
    runtime.logger.debug({ kind, content: message.content }, 'message received');
    const { text, truncated } = cleanQuestion(message.content.replace(mentionPattern(bot.id), ' '));
    const notice = truncated ? `Your message was longer than ${MAX_QUESTION_CHARS} characters; I read only the first ${MAX_QUESTION_CHARS}.` : undefined;
    let reply: Reply;
    try {
      ({ command, reply } = text === '' ? { command: 'help', reply: shortHelp(runtime, bot.username) } : await replyTo(runtime, text));
    } catch (error) {
      outcome = 'handler-error';
      errorId = newErrorId();
      runtime.logger.error({ err: error, errorId, kind, command }, 'command handler failed');
      await send(message, renderNotice(apologyText(errorId)));
      return;
    }
    await send(message, renderReply(reply, notice === undefined ? {} : { notice }));
  } catch (error) {
    outcome = 'rest-error';
    errorId ??= newErrorId();
    runtime.logger.error({ err: error, errorId, kind, command }, 'could not reply to a message');
  } finally {
    logEvent(runtime, { kind, command, startedAt, outcome, ...(errorId ? { errorId } : {}) });
  }
}
