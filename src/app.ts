/** Loads the corpus and the commands and wires them together with the services: what every adapter starts from. */
import { ComponentRegistry } from './commands/components.ts';
import { loadCommands, withTopics } from './commands/registry.ts';
import { topicCommands } from './commands/topic.ts';
import { SYSTEM_CLOCK, type Clock, type Command, type CommandContext } from './commands/types.ts';
import { Library } from './library.ts';
import { TextCatalog } from './texts/catalog.ts';
import { loadCorpus } from './corpus/load.ts';
import { createLogger, type Logger } from './log.ts';
import { MemoryStore } from './store/memory.ts';
import { InMemoryConversations, type ConversationMemory } from './conversation/memory.ts';
import type { Store } from './store/types.ts';

export interface App {
  context: CommandContext;
  commands: Command[];
  /** Every command's buttons, menus and modals, by custom_id. */
  components: ComponentRegistry;
}

export interface AppOptions {
  /** Where commands are loaded from; commands/ of the install by default. */
  commandsDir?: string;
  /** More command files, loaded beside those (a deployer's own commands). */
  extraCommandsDir?: string;
  /** In memory by default (tests); the entry points open the configured one. */
  store?: Store;
  /** Silent by default. */
  logger?: Logger;
  clock?: Clock;
  /** IMPORT_ALLOW_HOSTS: private hosts imports may reach (none by default). */
  importAllowHosts?: ReadonlySet<string>;
  conversations?: ConversationMemory;
}

export async function loadApp(corpusDir: string, options: AppOptions = {}): Promise<App> {
  const [articles, fileCommands, extraCommands] = await Promise.all([
    loadCorpus(corpusDir),
    loadCommands(options.commandsDir),
    options.extraCommandsDir === undefined ? [] : loadCommands(options.extraCommandsDir),
  ]);
  const library = new Library(articles);
  const commands = withTopics([...fileCommands, ...extraCommands], topicCommands(articles));
  const store = options.store ?? new MemoryStore();
  const clock = options.clock ?? SYSTEM_CLOCK;
  const context: CommandContext = {
    library,
    texts: new TextCatalog(library, store, () => clock.now()),
    importAllowHosts: options.importAllowHosts ?? new Set(),
    store,
    conversations: options.conversations ?? new InMemoryConversations(),
    clock,
    logger: options.logger ?? createLogger('silent'),
    commands,
  };
  return { context, commands, components: new ComponentRegistry(commands) };
}
