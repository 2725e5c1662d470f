/**
 * The shape of a command: a definition in Discord's JSON form (so it can be
 * registered as is), an async handler told who asks and given the services it
 * needs, and the buttons, menus and modals it owns.
 */
import type { ConversationMemory } from '../conversation/memory.ts';
import type { Library } from '../library.ts';
import type { TextCatalog } from '../texts/catalog.ts';
import type { Logger } from '../log.ts';
import type { Reply, ReplyAction } from '../reply/reply.ts';
import type { Store } from '../store/types.ts';

/** Discord application command types Footnote uses. */
export const CommandType = { Slash: 1, Message: 3 } as const;
export type CommandTypeValue = (typeof CommandType)[keyof typeof CommandType];

/** Discord application command option types that Footnote uses. */
export const OptionType = { Subcommand: 1, String: 3, Integer: 4, Boolean: 5, User: 6, Channel: 7, Attachment: 11 } as const;
export type OptionTypeValue = (typeof OptionType)[keyof typeof OptionType];

/** The option by which a command is told which text to read (see src/texts/run.ts). */
export const ARTICLE_OPTION = 'article';

export interface OptionChoice {
  name: string;
  value: string;
}

export interface OptionDefinition {
  type: OptionTypeValue;
  name: string;
  description: string;
  required?: boolean;
  max_length?: number;
  min_value?: number;
  max_value?: number;
  autocomplete?: boolean;
  choices?: OptionChoice[];
  /** A subcommand's own options. */
  options?: OptionDefinition[];
}

export interface CommandDefinition {
  name: string;
  description: string;
  /** Slash command unless told otherwise. */
  type?: CommandTypeValue;
  options?: OptionDefinition[];
}

/** Option values as the handler sees them: strings, numbers, booleans, user and channel ids. */
export type CommandOptions = Record<string, string | number | boolean | undefined>;

/** What the invoker may do where they asked; false where the platform does not say (DMs, the terminal). */
export interface InvokerPermissions {
  manageMessages: boolean;
  manageThreads: boolean;
  manageGuild: boolean;
}

/** Who asks, and where. */
export interface Invoker {
  userId: string;
  /** Shown instead of a mention, so nobody is pinged. */
  displayName: string;
  /** Undefined in a DM and in the terminal chat. */
  guildId?: string;
  channelId: string;
  /** The channel is a thread: its parent is then `parentChannelId`. */
  inThread: boolean;
  parentChannelId?: string;
  permissions: InvokerPermissions;
  /** Set for the terminal chat, where buttons are typed and Discord-only features do not exist. */
  surface?: 'terminal';
}

export const NO_PERMISSIONS: InvokerPermissions = { manageMessages: false, manageThreads: false, manageGuild: false };

/** The person at the terminal: no server, no special permissions. */
export const LOCAL_INVOKER: Invoker = { userId: 'local', displayName: 'you', channelId: 'terminal', inThread: false, permissions: NO_PERMISSIONS, surface: 'terminal' };

/** A file attached to a command option, as Discord describes it; its URL is the only one an import of it may fetch. */
export interface AttachedFile {
  url: string;
  filename: string;
  contentType?: string;
  size: number;
}

export interface CommandInput {
  options: CommandOptions;
  /** Files given to attachment options, by option name. */
  attachments?: Record<string, AttachedFile>;
  /** The subcommand chosen ("add" of "/note add"), for commands that have them. */
  subcommand?: string;
  /** For message context-menu commands: the text of the selected message. */
  targetText?: string;
  invoker: Invoker;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

/** The services every handler is given. */
export interface CommandContext {
  /** The text being read: the built-in library, or the text the command was asked about (see src/texts/run.ts). */
  library: Library;
  /** Every text a server or person can read: the built-in ones and those they brought. */
  texts: TextCatalog;
  /** Hosts an import may reach although private (IMPORT_ALLOW_HOSTS). */
  importAllowHosts: ReadonlySet<string>;
  store: Store;
  /** Each person's last exchange per place, so follow-ups ("why?", "and Turkey?") can be read. */
  conversations: ConversationMemory;
  clock: Clock;
  logger: Logger;
  /** Every command, so /help can list them. */
  commands: readonly Command[];
}

/** What a click, a menu choice or a modal submission brings besides the component's own state. */
export interface ComponentInput {
  invoker: Invoker;
  /** Chosen values of a select menu. */
  values?: string[];
  /** Text inputs of a modal, by their custom_id. */
  fields?: Record<string, string>;
}

/**
 * A button, select menu or modal a command owns. Its state travels in the
 * custom_id ("fn<version>:<key>:<state>", at most 100 characters), so it
 * keeps working after a restart and on any worker; a custom_id of an older
 * version, or one not made by Footnote, is answered with a clear message.
 */
export interface Component<A extends ReplyAction = ReplyAction> {
  /** The action kind it serves: replies offer it as `{ kind, ...state }`. */
  kind: A['kind'];
  /** Short and unique among every command's components: every character of the 100 counts. */
  key: string;
  /** Raised when the state's encoding changes, so old ids are told apart from forged ones. */
  version: number;
  type: 'button' | 'select' | 'modal';
  /** The state as custom_id text, or undefined when it cannot be expressed. */
  encode(action: A): string | undefined;
  /** The action the text stands for, or undefined when it is malformed. */
  decode(text: string): A | undefined;
  /** Button label or modal title; undefined leaves the button out of this reply. */
  label(action: A, reply: Reply): string | undefined;
  style?: 'primary' | 'secondary' | 'success' | 'danger';
  /** When the action does not fit a custom_id: what to offer instead. */
  fallback?(action: A, context: CommandContext): ReplyAction | undefined;
  /** The terminal's way to do the same: a command line ("/passage 9"); otherwise the chat offers the shortcut or "/press N". */
  typed?(action: A, context: CommandContext): string | undefined;
  /**
   * A word the terminal chat accepts as "/<word>" for this action of the last
   * reply ("/more"), and what it says when the last reply has none.
   */
  shortcut?: { word: string; unavailable: string };
  /**
   * Where the answer goes: a private reply (default), a public one, or an
   * update of the message the component sits on.
   */
  answer?: 'private' | 'public' | 'update';
  /**
   * Turns over the clicker's own private message (a review card): counted
   * apart from other requests, so going through cards at speed does not use
   * up the allowance for questions, and questions do not stop the cards.
   */
  quick?: boolean;
  handle(action: A, input: ComponentInput, context: CommandContext): Reply | Promise<Reply>;
}

export interface Command {
  definition: CommandDefinition;
  /** Replies with an answer from the article; chat adapters may offer "private" and "to" options for it. */
  answering?: boolean;
  /** Every reply is for the asker alone (a review deck): a slow one is deferred privately too, never as a public "thinking…". */
  private?: boolean;
  /**
   * Reads the server's chosen text although it has no `article` option (a
   * message command cannot have one). Commands with the option read the text
   * it names, or the chosen one; the rest read the built-in library.
   */
  readsText?: boolean;
  /** For topic commands: the question the command stands for (offered as a suggestion too). */
  question?: string;
  handle(input: CommandInput, context: CommandContext): Reply | Promise<Reply>;
  /** Suggestions for a focused string option, at most 25. */
  autocomplete?(optionName: string, partial: string, context: CommandContext, invoker?: Invoker): OptionChoice[] | Promise<OptionChoice[]>;
  // Components are checked as a group by the registry; their action types differ per component.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  components?: readonly Component<any>[];
}
