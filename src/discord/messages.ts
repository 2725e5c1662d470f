/**
 * Chat messages: in a DM every message is a question ("/name args" runs that
 * command); in a server only messages that @mention the bot are, and they get
 * a reply to that message. Bots, including this one, are never answered.
 */
import { ChannelType, type Message } from 'discord.js';
import { textReply, type Reply } from '../reply/reply.ts';
import { findCommand } from '../commands/registry.ts';
import { parseTextCommand, type ParsedCommand } from '../commands/text.ts';
import { cleanQuestion, MAX_QUESTION_CHARS } from '../question.ts';
import { slowDownText } from './cooldown.ts';
import { renderAnswer } from './pages.ts';
import { renderNotice, type DiscordMessage } from './render.ts';
import { apologyText, handleEvent, runCommand, type Runtime } from './runtime.ts';

/** Whether a server message addresses the bot by name (not via @everyone or a role). */
function mentionsBot(message: Message, botId: string): boolean {
  return message.mentions.users.has(botId) || new RegExp(`<@!?${botId}>`).test(message.content);
}

function shortHelp(runtime: Runtime, botName: string): Reply {
  const { title } = runtime.app.context.library.mainArticle;
  return textReply('info', 'Footnote', [
    `Ask me about “${title}”: mention me with a question, for example “@${botName} why are Russia and Iran not allies?”, or send me a direct message.`,
    'Slash commands work too: /ask, /passage, and /help for the full list.',
  ]);
}

/** What the text asks for: a command typed as "/name args", or a question for /ask. */
function commandFor(runtime: Runtime, text: string): ParsedCommand {
  if (text.startsWith('/')) return parseTextCommand(text, runtime.app.commands);
  const ask = findCommand(runtime.app.commands, 'ask');
  return ask ? { command: ask, input: { options: { question: text } } } : { error: 'Questions are not available here; type /help to see the commands.' };
}

async function send(message: Message, rendered: DiscordMessage): Promise<void> {
  await message.reply({
    ...(rendered.content === undefined ? {} : { content: rendered.content }),
    embeds: rendered.embeds,
    components: rendered.components,
    // Replying must not ping the asker either.
    allowedMentions: { ...rendered.allowedMentions, repliedUser: false },
    // If the question was deleted meanwhile, the answer is still posted, just not as a reply.
    failIfNotExists: false,
  });
}

export async function handleMessage(runtime: Runtime, message: Message): Promise<void> {
  const bot = message.client.user;
  if (message.author.bot || message.webhookId !== null || message.system) return;
  const inDm = message.channel.type === ChannelType.DM;
  if (!inDm && !mentionsBot(message, bot.id)) return;

  const kind = inDm ? 'dm' : 'mention';
  await handleEvent(runtime, kind, 'ask', async (handling) => {
    const verdict = runtime.cooldown.take(message.author.id);
    if (!verdict.allowed) {
      handling.outcome = 'cooldown';
      // Said once per blocked stretch: answering every extra message would be spam.
      if (verdict.firstRefusal) await send(message, renderNotice(slowDownText(verdict.retryAfterMs)));
      return;
    }
    runtime.logger.debug({ kind, content: message.content }, 'message received');
    // Mention markup, the bot's own included, is dropped here.
    const { text, truncated } = cleanQuestion(message.content);
    const notice = truncated ? `Your message was longer than ${MAX_QUESTION_CHARS} characters; I read only the first ${MAX_QUESTION_CHARS}.` : undefined;
    const request = text === '' ? undefined : commandFor(runtime, text);
    let reply: Reply;
    if (request === undefined) {
      handling.command = 'help';
      reply = shortHelp(runtime, bot.username);
    } else if ('error' in request) {
      handling.command = 'unknown';
      reply = textReply('error', 'Command not understood', [request.error]);
    } else {
      handling.command = request.command.definition.name;
      try {
        reply = await runCommand(runtime, request.command, request.input);
      } catch (error) {
        await send(message, renderNotice(apologyText(handling.handlerFailed(error))));
        return;
      }
    }
    await send(message, renderAnswer(runtime.app.context.library, reply, notice === undefined ? {} : { notice }));
  });
}
