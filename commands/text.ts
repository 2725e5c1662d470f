import { OptionType, type Command, type CommandContext, type CommandInput, type CommandOptions, type Component, type Invoker } from '../src/commands/types.ts';
import { cannotSave, counted, shortDate } from '../src/commands/wording.ts';
import { bodyParagraphs } from '../src/corpus/types.ts';
import { ImportError } from '../src/import/errors.ts';
import { importText, SUPPORTED_FORMATS, type ImportSource } from '../src/import/import.ts';
import { parseArticle, SLUG } from '../src/corpus/load.ts';
import { reanchor } from '../src/texts/reanchor.ts';
import { DEFAULT_FETCH_LIMITS } from '../src/import/fetch.ts';
import { UNKNOWN_AUTHOR, type ArticleFile } from '../src/import/article-file.ts';
import { textReply, type Reply, type ReplyAction } from '../src/reply/reply.ts';
import { displaySafe } from '../src/reply/sanitize.ts';
import type { LibraryText, RemovedText, Scope, TextReplacement } from '../src/store/types.ts';
import { notReadable, textScope } from '../src/texts/run.ts';

/** Per server: texts kept, imports a day. */
export const MAX_TEXTS = 50;
export const IMPORTS_PER_DAY = 20;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Discord's limit on a modal's text input. */
const MAX_PASTED_CHARS = 4_000;

interface TextPasteAction extends ReplyAction {
  kind: 'text-paste';
}

interface TextRemoveAction extends ReplyAction {
  kind: 'text-remove';
  /** Not `article`: the text is about to go, so the button must not be scoped to it. */
  slug: string;
}

const refuse = (title: string, lines: string[]): Reply => textReply('error', title, lines, { private: true });

/**
 * The scope whose library the invoker may change, or why not: texts belong to
 * a server (changed with Manage Server); the terminal has its own library.
 */
function libraryOf(invoker: Invoker, change?: string): Scope | Reply {
  if (invoker.guildId === undefined && invoker.surface !== 'terminal') {
    return refuse('Texts belong to a server', ['A server’s members bring texts with /text add; here you read the built-in library. /text list shows it.']);
  }
  if (change !== undefined && invoker.surface !== 'terminal' && !invoker.permissions.manageGuild) {
    return refuse('Manage Server needed', [`Only members with the Manage Server permission can ${change}. /text list shows the server’s texts to everyone.`]);
  }
  return textScope(invoker);
}

function describe(text: Pick<LibraryText, 'title' | 'author'>): string {
  return `“${displaySafe(text.title)}”${text.author === UNKNOWN_AUTHOR ? '' : ` by ${displaySafe(text.author)}`}`;
}

/** "1 quiz", "2 quizzes". */
function quizzesText(count: number): string {
  return count === 1 ? '1 quiz' : `${count} quizzes`;
}

/** A slug of its own in the scope: the wanted one, or with -2, -3… when a text (or a built-in article) has it. */
async function freeSlug(wanted: string, scope: Scope, context: CommandContext): Promise<string | undefined> {
  for (let n = 1; n <= 20; n += 1) {
    const slug = n === 1 ? wanted : `${wanted.slice(0, 44)}-${n}`;
    if (!context.texts.isBuiltIn(slug) && !(await context.store.texts.find(scope, slug))) return slug;
  }
  return undefined;
}

/** Imports a source within the server's daily quota; a refusal is the reply to give. */
async function importWithin(scope: Scope, source: ImportSource, context: CommandContext): Promise<ArticleFile | Reply> {
  try {
    const quota = await context.store.rateLimits.take(`text-imports:${scope}`, IMPORTS_PER_DAY, DAY_MS, context.clock.now());
    if (!quota.allowed) return refuse('Enough imports for today', [`A server can import ${IMPORTS_PER_DAY} texts a day; try again tomorrow.`]);
    return await importText(source, { allowHosts: context.importAllowHosts });
  } catch (error) {
    if (error instanceof ImportError) return refuse('Could not import that', [error.message]);
    throw error;
  }
}

/** What the store keeps of an imported text besides its place. */
function storedFields({ article, markdown }: ArticleFile, source: ImportSource): TextReplacement['text'] {
  const origin = source.kind === 'url' ? (article.source ?? source.url) : source.kind === 'pasted' ? 'pasted' : source.kind === 'file' ? source.path : source.name;
  const chars = article.paragraphs.reduce((sum, paragraph) => sum + paragraph.text.length, 0);
  return { title: article.title, author: article.author, source: origin, markdown, paragraphs: bodyParagraphs(article).length, chars };
}

async function addText(source: ImportSource, wantedName: string | undefined, invoker: Invoker, context: CommandContext): Promise<Reply> {
  const scope = libraryOf(invoker, 'add texts');
  if (typeof scope !== 'string') return scope;
  if (wantedName !== undefined && !SLUG.test(wantedName)) return refuse('Name not usable', ['A text’s name is lowercase letters, digits and single hyphens, such as week-3-reading.']);
  const imported = await importWithin(scope, source, context);
  if (!('markdown' in imported)) return imported;
  const slug = await freeSlug(wantedName ?? imported.slug, scope, context);
  if (slug === undefined) return refuse('Name taken', ['Texts with that name already exist here; give another with name:.']);
  const fields = storedFields(imported, source);
  let added;
  try {
    added = await context.store.texts.add({ scope, slug, ...fields, addedBy: invoker.userId }, MAX_TEXTS, context.clock.now());
  } catch (error) {
    return cannotSave(error, 'add the text');
  }
  if ('refused' in added) {
    return added.refused === 'full'
      ? refuse('The library is full', [`A server keeps at most ${MAX_TEXTS} texts. Remove one with /text remove first.`])
      : refuse('Name taken', [`Another text was just added as “${slug}”; please try again.`]);
  }
  const isDefault = (await context.texts.defaultOf(scope)) === undefined;
  return textReply('info', 'Text added', [
    `${describe(imported.article)} is in the library as “${slug}”: ${counted(fields.paragraphs, 'paragraph')}, cited ¶1 to ¶${fields.paragraphs}.`,
    `Ask about it with /ask article:${slug} question:…, read it with /passage number:1 article:${slug}${isDefault ? `, or make it what every command reads here with /text use name:${slug}` : ''}.`,
  ]);
}

/** A new version of a text under the same name: its notes go to the paragraphs that still say what theirs said. */
async function updateText(name: string, source: ImportSource, invoker: Invoker, context: CommandContext): Promise<Reply> {
  const scope = libraryOf(invoker, 'update texts');
  if (typeof scope !== 'string') return scope;
  const { store } = context;
  const existing = await store.texts.find(scope, name);
  if (!existing) return refuse('No such text', [`There is no text “${displaySafe(name)}” here to update. /text list shows them.`]);
  const imported = await importWithin(scope, source, context);
  if (!('markdown' in imported)) return imported;
  const before = await store.texts.markdown(existing.id);
  const moved = reanchor(await store.notes.anchors(scope, existing.slug), before === undefined ? undefined : parseArticle(before, `${existing.slug}.md`), imported.article);
  const fields = storedFields(imported, source);
  let replaced;
  try {
    replaced = await store.texts.replace(scope, existing.slug, { text: fields, moves: moved.moves }, context.clock.now());
  } catch (error) {
    return cannotSave(error, 'update the text');
  }
  if (!replaced) return refuse('No such text', [`“${existing.slug}” was removed meanwhile.`]);
  context.texts.forget(scope, existing.id);
  const notes = moved.kept + moved.moved + moved.detached;
  const noteLine =
    notes === 0
      ? 'It had no notes.'
      : `Its ${counted(notes, 'note')}: ${moved.kept} on the same paragraph, ${moved.moved} moved to the paragraph that still says what theirs said, ${moved.detached} detached (their paragraph left the text; /note list shows them).`;
  return textReply('info', 'Text updated', [`${describe(imported.article)} (“${existing.slug}”) now has ${counted(fields.paragraphs, 'paragraph')}; it had ${existing.paragraphs}.`, noteLine]);
}

async function listTexts(invoker: Invoker, context: CommandContext): Promise<Reply> {
  const scope = textScope(invoker);
  const [texts, chosen] = await Promise.all([context.store.texts.list(scope), context.texts.defaultOf(scope)]);
  const marker = (slug: string, isDefault: boolean): string => (isDefault ? ` (${slug}) — read by default` : ` (${slug})`);
  const builtIn = context.texts.builtIn.articles.map((article, index) => `• ${describe(article)}, built in${marker(article.slug, chosen === article.slug || (chosen === undefined && index === 0))}`);
  const own = texts.map((text) => `• ${describe(text)}: ${counted(text.paragraphs, 'paragraph')}, added ${shortDate(text.addedAt)}${marker(text.slug, chosen === text.slug)}`);
  const lines = own.length === 0 ? ['No texts of your own yet. Someone with Manage Server can add one with /text add (a web address, a file, or pasted text).'] : own;
  return textReply('info', `Texts here (${texts.length} of ${MAX_TEXTS})`, [...lines, '', ...builtIn, '', 'Any command that reads a text takes article: to pick one.'], { private: true });
}

async function useText(name: string, invoker: Invoker, context: CommandContext): Promise<Reply> {
  const scope = libraryOf(invoker, 'choose the server’s text');
  if (typeof scope !== 'string') return scope;
  const resolved = await context.texts.resolve(scope, name);
  if (!('library' in resolved)) return notReadable(resolved);
  try {
    await context.store.texts.setDefault(scope, resolved.library.mainArticle.slug);
  } catch (error) {
    return cannotSave(error, 'choose the text');
  }
  context.texts.forget(scope);
  return textReply('info', 'Text chosen', [`Questions, quizzes, notes, outlines and reading plans here now read ${describe(resolved.library.mainArticle)}, unless a command names another with article:.`]);
}

async function textInfo(name: string | undefined, invoker: Invoker, context: CommandContext): Promise<Reply> {
  const scope = textScope(invoker);
  const resolved = await context.texts.resolve(scope, name);
  if (!('library' in resolved)) return notReadable(resolved);
  const article = resolved.library.mainArticle;
  const body = bodyParagraphs(article).length;
  const lines = [`${describe(article)}: ${counted(body, 'paragraph')}, ¶1 to ¶${body}.`];
  if (resolved.text) {
    const { notes, quizzes, plans } = await context.store.texts.dependents(scope, resolved.text.slug);
    lines.push(`From ${displaySafe(resolved.text.source)}, added ${shortDate(resolved.text.addedAt)}.`, `With it: ${counted(notes, 'note')}, ${quizzesText(quizzes)}${plans > 0 ? ', the reading plan' : ''}.`);
  } else {
    lines.push('Built in: it comes with Footnote.');
  }
  if ((await context.texts.defaultOf(scope)) === article.slug) lines.push('Commands here read it by default.');
  return textReply('info', article.slug, lines, { private: true });
}

function dependentsText({ notes, quizzes, plans }: RemovedText): string {
  return `${counted(notes, 'note')}, ${quizzesText(quizzes)}${plans > 0 ? ' and the reading plan' : ''}`;
}

async function confirmRemove(name: string, invoker: Invoker, context: CommandContext): Promise<Reply> {
  const scope = libraryOf(invoker, 'remove texts');
  if (typeof scope !== 'string') return scope;
  const slug = name.trim().toLowerCase();
  if (context.texts.isBuiltIn(slug)) return refuse('Built in', ['Built-in texts come with Footnote and cannot be removed.']);
  const text = await context.store.texts.find(scope, slug);
  if (!text) return refuse('No such text', [`There is no text “${displaySafe(name)}” here. /text list shows them.`]);
  const dependents = await context.store.texts.dependents(scope, slug);
  return textReply('info', 'Remove this text?', [`${describe(text)} goes with its ${dependentsText(dependents)}. This cannot be undone.`], {
    private: true,
    actions: [{ kind: 'text-remove', slug } satisfies TextRemoveAction],
  });
}

const textPaste: Component<TextPasteAction> = {
  kind: 'text-paste',
  key: 'tp',
  version: 1,
  type: 'modal',
  encode: () => '',
  decode: (text) => (text === '' ? { kind: 'text-paste' } : undefined),
  label: () => 'Paste a text',
  handle: (_action, { invoker, fields }, context) => {
    const title = (fields?.title ?? '').trim();
    if (title === '') return refuse('A title, please', ['Give the text a title, so members can find it.']);
    const author = (fields?.author ?? '').trim();
    return addText({ kind: 'pasted', title, ...(author ? { author } : {}), text: fields?.text ?? '' }, undefined, invoker, context);
  },
};

const textRemove: Component<TextRemoveAction> = {
  kind: 'text-remove',
  key: 'tr',
  version: 1,
  type: 'button',
  style: 'danger',
  answer: 'update',
  encode: ({ slug }) => (SLUG.test(slug) ? slug : undefined),
  decode: (text) => (SLUG.test(text) ? { kind: 'text-remove', slug: text } : undefined),
  label: () => 'Remove it',
  typed: ({ slug }) => `/text remove name:${slug} confirm:true`,
  handle: async ({ slug }, { invoker }, context) => {
    const scope = libraryOf(invoker, 'remove texts');
    if (typeof scope !== 'string') return scope;
    let removed;
    try {
      removed = await context.store.texts.remove(scope, slug);
    } catch (error) {
      return cannotSave(error, 'remove the text');
    }
    context.texts.forget(scope);
    if (!removed) return textReply('info', 'Already gone', [`There is no text “${slug}” here any more.`], { private: true });
    return textReply('info', 'Text removed', [`“${slug}” is gone, with its ${dependentsText(removed)}.`], { private: true });
  },
};

/** The source an add or update names (url:, an attached file:, or in the terminal a path), a refusal, or undefined when none. */
function sourceOf(options: CommandOptions, attachments: CommandInput['attachments'], invoker: Invoker): { source?: ImportSource; refusal?: Reply } {
  const url = typeof options.url === 'string' ? options.url.trim() : '';
  const file = attachments?.file;
  // In the terminal a file is a path on this machine: the person there owns it.
  const localPath = invoker.surface === 'terminal' && typeof options.file === 'string' ? options.file : undefined;
  if ((url !== '' ? 1 : 0) + (file ? 1 : 0) + (localPath ? 1 : 0) > 1) return { refusal: refuse('One at a time', ['Give either url: or file:, not both.']) };
  if (file && file.size > DEFAULT_FETCH_LIMITS.maxBytes) return { refusal: refuse('Could not import that', [`The file is larger than ${DEFAULT_FETCH_LIMITS.maxBytes / 1024 / 1024} MB, the import limit.`]) };
  if (url !== '') return { source: { kind: 'url', url } };
  if (file) return { source: { kind: 'attachment', url: file.url, name: file.filename, ...(file.contentType ? { contentType: file.contentType } : {}) } };
  if (localPath) return { source: { kind: 'file', path: localPath } };
  return {};
}

const text: Command = {
  definition: {
    name: 'text',
    description: 'The server’s library: texts the group brings (web pages, PDF, Word, EPUB, Markdown, pasted text)',
    options: [
      {
        type: OptionType.Subcommand,
        name: 'add',
        description: 'Add a text by web address or file, or paste one (Manage Server)',
        options: [
          { type: OptionType.String, name: 'url', description: 'A web page or document address (https://…)', max_length: 2000 },
          { type: OptionType.Attachment, name: 'file', description: 'A PDF, Word, EPUB, HTML, Markdown or text file' },
          { type: OptionType.String, name: 'name', description: 'Its short name, as in week-3 (made from the title if left out)', max_length: 48 },
        ],
      },
      {
        type: OptionType.Subcommand,
        name: 'update',
        description: 'Import a new version of a text; its notes follow their paragraphs (Manage Server)',
        options: [
          { type: OptionType.String, name: 'name', description: 'The text', required: true, autocomplete: true, max_length: 60 },
          { type: OptionType.String, name: 'url', description: 'Its web address (https://…)', max_length: 2000 },
          { type: OptionType.Attachment, name: 'file', description: 'Its file' },
        ],
      },
      { type: OptionType.Subcommand, name: 'list', description: 'The texts you can read here' },
      {
        type: OptionType.Subcommand,
        name: 'use',
        description: 'Make a text what commands read here by default (Manage Server)',
        options: [{ type: OptionType.String, name: 'name', description: 'The text', required: true, autocomplete: true, max_length: 60 }],
      },
      {
        type: OptionType.Subcommand,
        name: 'info',
        description: 'About a text: where it came from, its paragraphs and notes',
        options: [{ type: OptionType.String, name: 'name', description: 'The text (the default one if left out)', autocomplete: true, max_length: 60 }],
      },
      {
        type: OptionType.Subcommand,
        name: 'remove',
        description: 'Remove a text with its notes, quizzes and reading plan (Manage Server)',
        options: [
          { type: OptionType.String, name: 'name', description: 'The text', required: true, autocomplete: true, max_length: 60 },
          { type: OptionType.Boolean, name: 'confirm', description: 'Remove without asking again' },
        ],
      },
    ],
  },
  handle: async ({ subcommand, options, attachments, invoker }, context) => {
    const name = typeof options.name === 'string' ? options.name.trim().toLowerCase() : undefined;
    switch (subcommand) {
      case 'add':
      case 'update': {
        const { source, refusal } = sourceOf(options, attachments, invoker);
        if (refusal) return refusal;
        if (subcommand === 'update') {
          if (!name) return refuse('Which text?', ['Name it: /text update name:<text> url:<address> (or file:).']);
          return source === undefined ? refuse('Which version?', ['Give the new version with url: or file:.']) : updateText(name, source, invoker, context);
        }
        if (source !== undefined) return addText(source, name, invoker, context);
        const scope = libraryOf(invoker, 'add texts');
        if (typeof scope !== 'string') return scope;
        return {
          ...textReply('info', 'Paste a text', [], { private: true }),
          modal: {
            action: { kind: 'text-paste' } satisfies TextPasteAction,
            title: 'Paste a text',
            fields: [
              { id: 'title', label: 'Title', required: true, maxLength: 200 },
              { id: 'author', label: 'Author', required: false, maxLength: 200 },
              { id: 'text', label: 'The text (blank lines between paragraphs)', paragraph: true, required: true, maxLength: MAX_PASTED_CHARS },
            ],
            usage: `Add it by address or file instead: /text add url:https://… or /text add file:<path> (formats: ${SUPPORTED_FORMATS}).`,
          },
        };
      }
      case 'list':
        return listTexts(invoker, context);
      case 'use':
        return name ? useText(name, invoker, context) : refuse('Which text?', ['Name it: /text use name:<text>. /text list shows them.']);
      case 'info':
        return textInfo(name, invoker, context);
      case 'remove':
        if (!name) return refuse('Which text?', ['Name it: /text remove name:<text>.']);
        if (options.confirm === true) return textRemove.handle({ kind: 'text-remove', slug: name }, { invoker }, context);
        return confirmRemove(name, invoker, context);
      default:
        return refuse('Which text command?', ['Use /text add, /text update, /text list, /text use, /text info or /text remove.']);
    }
  },
  autocomplete: (option, partial, context, invoker) => (option === 'name' && invoker ? context.texts.choices(textScope(invoker), partial) : []),
  components: [textPaste, textRemove],
};

export default text;
