import { textReply } from '../src/reply/reply.ts';
import { messageCommands, slashCommands } from '../src/commands/registry.ts';
import { usageOf } from '../src/commands/parse-text.ts';
import type { Command } from '../src/commands/types.ts';

const help: Command = {
  definition: { name: 'help', description: 'List every command, one line each' },
  handle: ({ invoker }, { commands }) => {
    const slash = slashCommands(commands).map((command) => `${usageOf(command)} — ${command.definition.description}`);
    if (invoker.surface === 'terminal') {
      return textReply('info', 'Footnote commands', [
        ...slash,
        '/more — more passages for the last question',
        '/press N — press button N of the last reply (the “Next:” line shows them)',
        '/quit — leave the chat',
        'Or just type a question.',
      ]);
    }
    return textReply('info', 'Footnote commands', [
      ...slash,
      ...messageCommands(commands).map((command) => `“${command.definition.name}” (message menu, Apps) — ${command.definition.description}`),
      'You can also just type a question, in a direct message or by mentioning Footnote.',
    ]);
  },
};

export default help;
