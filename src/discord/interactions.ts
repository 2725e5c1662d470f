/**
 * Interactions, routed by type: slash commands, the message context menu,
 * buttons (state decoded from the custom_id) and autocomplete.
 */
import type { ButtonInteraction, ChatInputCommandInteraction, Interaction, MessageContextMenuCommandInteraction } from 'discord.js';
import { findCommand, slashCommands } from '../commands/registry.ts';
import type { Reply } from '../reply/reply.ts';
import type { CommandInput } from '../commands/types.ts';
import { answer, explain } from './answer.ts';
import { autocomplete } from './autocomplete.ts';
import { decodeAction, type ButtonAction } from './custom-id.ts';
import { readOptions } from './options.ts';
import { rankedPage, renderAnswer } from './pages.ts';
import { renderReply } from './render.ts';
import { runCommand, type Runtime } from './runtime.ts';

export async function handleInteraction(runtime: Runtime, interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) return autocomplete(runtime, interaction);
  if (interaction.isChatInputCommand()) return slashCommand(runtime, interaction);
  if (interaction.isMessageContextMenuCommand()) return messageCommand(runtime, interaction);
  if (interaction.isButton()) return button(runtime, interaction);
  runtime.logger.debug({ type: interaction.type }, 'ignored an interaction of a kind Footnote does not use');
}

// ---- slash commands ---------------------------------------------------------------

async function slashCommand(runtime: Runtime, interaction: ChatInputCommandInteraction): Promise<void> {
  const command = findCommand(slashCommands(runtime.app.commands), interaction.commandName);
  if (!command) {
    return explain(runtime, interaction, 'slash', interaction.commandName, 'unknown-command', 'That command is not available any more. Type /help to see the commands.');
  }
  const { input, ephemeral, forUser } = readOptions(interaction, command);
  return answer(runtime, interaction, {
    kind: 'slash',
    command: command.definition.name,
    ephemeral,
    produce: () => runCommand(runtime, command, input),
    render: (reply) => renderAnswer(runtime.app.context.library, reply, { ephemeral, ...(forUser === undefined ? {} : { forUser }) }),
  });
}

// ---- message context menu ------------------------------------------------------------

/** The selected message's words: its text, or its embeds' when it has none (e.g. one of our answers). */
function messageText(interaction: MessageContextMenuCommandInteraction): string {
  const message = interaction.targetMessage;
  if (message.content.trim() !== '') return message.content;
  return message.embeds.map((embed) => [embed.title, embed.description].filter(Boolean).join('\n')).join('\n');
}

async function messageCommand(runtime: Runtime, interaction: MessageContextMenuCommandInteraction): Promise<void> {
  const command = runtime.app.commands.find((candidate) => candidate.definition.type === 3 && candidate.definition.name === interaction.commandName);
  if (!command) {
    return explain(runtime, interaction, 'context-menu', interaction.commandName, 'unknown-command', 'That menu command is not available any more.');
  }
  const input: CommandInput = { options: {}, targetText: messageText(interaction) };
  return answer(runtime, interaction, {
    kind: 'context-menu',
    command: command.definition.name,
    ephemeral: false,
    produce: () => runCommand(runtime, command, input),
    render: (reply) => renderAnswer(runtime.app.context.library, reply),
  });
}

// ---- buttons ----------------------------------------------------------------------

const STALE_BUTTON = 'This button is out of date or was not made by Footnote, so it does nothing. Ask again with /ask to get fresh buttons.';

async function button(runtime: Runtime, interaction: ButtonInteraction): Promise<void> {
  const action = decodeAction(interaction.customId);
  if (!action) return explain(runtime, interaction, 'button', 'unknown', 'invalid-button', STALE_BUTTON);
  const { library } = runtime.app.context;
  // Full text and further pages are for the one who clicked; the channel keeps the original answer.
  if (action.kind === 'ranked-passages') {
    const page = rankedPage(library, action);
    if (!page) return explain(runtime, interaction, 'button', action.kind, 'invalid-button', STALE_BUTTON);
    return answerButton(runtime, interaction, action, async () => page.reply, page.actions);
  }
  return answerButton(runtime, interaction, action, async () =>
    action.kind === 'full-passage' ? library.passage(action.paragraph, { article: action.article }) : library.ask(action.question, { offset: action.offset }),
  );
}

/** `actions` are the page's own buttons when it has them; otherwise the reply's. */
function answerButton(runtime: Runtime, interaction: ButtonInteraction, action: ButtonAction, produce: () => Promise<Reply>, actions?: ButtonAction[]): Promise<void> {
  return answer(runtime, interaction, {
    kind: 'button',
    command: action.kind,
    ephemeral: true,
    produce,
    render: (reply) => (actions ? renderReply(reply, { ephemeral: true, actions }) : renderAnswer(runtime.app.context.library, reply, { ephemeral: true })),
  });
}
