/** Loads the corpus and the commands and wires them together: what every adapter starts from. */
import { loadCommands } from './commands/registry.ts';
import type { Command, CommandContext } from './commands/types.ts';
import { loadLibrary } from './library.ts';

export interface App {
  context: CommandContext;
  commands: Command[];
}

/** Topic commands suggested when a question is not in the article. */
const SUGGESTED_TOPICS = 3;

export async function loadApp(corpusDir: string, commandsDir?: string): Promise<App> {
  const [library, commands] = await Promise.all([loadLibrary(corpusDir), loadCommands(commandsDir)]);
  const topics = commands.filter((command) => command.question !== undefined);
  library.topicQuestions = topics.map((command) => command.question as string);
  library.suggestions = topics.slice(0, SUGGESTED_TOPICS).map((command) => `/${command.definition.name}`);
  return { context: { library, commands }, commands };
}
