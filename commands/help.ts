import { textReply } from '../src/reply/reply.ts';
import { messageCommands, slashCommands } from '../src/commands/registry.ts';
import { usageOf } from '../src/commands/parse-text.ts';
import type { Command } from '../src/commands/types.ts';

const help: Command = {
  definition: { name: 'help', description: 'List every command, one line each' },
  handle: (_input, { commands }) =>
    textReply('info', 'Footnote commands', [
      ...slashCommands(commands).map((command) => `${usageOf(command)} — ${command.definition.description}`),
      ...messageCommands(commands).map((command) => `“${command.definition.name}” (message menu, Apps) — ${command.definition.description}`),
      'You can also just type a question, in a direct message or by mentioning Footnote.',
    ]),
};

export default help;
