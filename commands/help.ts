import { textReply } from '../src/reply/reply.ts';
import { slashCommands } from '../src/commands/registry.ts';
import { usageOf } from '../src/commands/text.ts';
import type { Command } from '../src/commands/types.ts';

const help: Command = {
  definition: { name: 'help', description: 'List every command, one line each' },
  handle: (_input, { commands }) =>
    textReply('info', 'Footnote commands', [
      ...slashCommands(commands).map((command) => `${usageOf(command)} — ${command.definition.description}`),
      ...commands.filter((command) => command.definition.type === 3).map((command) => `“${command.definition.name}” (message menu, Apps) — ${command.definition.description}`),
      'You can also just type a question, in a direct message or by mentioning Footnote.',
    ]),
};

export default help;
