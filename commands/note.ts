import { StaleComponentError } from '../src/commands/components.ts';
import type { NotesOnAction } from '../src/organizer/actions.ts';
import { OptionType, type Command, type CommandContext, type Component, type Invoker } from '../src/commands/types.ts';
import { bodyParagraphs, type Article } from '../src/corpus/types.ts';
import { footerOf } from '../src/reply/compose.ts';
import { textReply, type Reply, type ReplyAction } from '../src/reply/reply.ts';
import { displaySafe, markdownFileText, showsNothing } from '../src/reply/sanitize.ts';
import { scopeFor, type Note } from '../src/store/types.ts';
import { cannotSave, counted, shortDate } from '../src/commands/wording.ts';
import { truncate } from '../src/truncate.ts';
import { articleOption } from '../src/texts/run.ts';
import { anchorOf } from '../src/texts/reanchor.ts';

/** Discord's limit on a text option, and the note limit a reader sees. */
export const MAX_NOTE_CHARS = 1_000;
/** Notes a person may write in any 24 hours, across servers: enough for a class, too few for a flood. */
export const NOTES_PER_DAY = 50;
const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE_SIZE = 8;
/** How much of ¶N a confirmation quotes, and how much of a note a list line shows. */
const QUOTE_CHARS = 160;
const LINE_NOTE_CHARS = 300;
/** An export reads the notes this many at a time. */
const EXPORT_BATCH = 500;

/**
 * The text a note button is about (its slug), carried at the end of its
 * custom_id, so the button reads that text whatever the server's default;
 * buttons made before texts had names carry none and read the default.
 */
interface OnText {
  article?: string;
}

interface NoteTextAction extends ReplyAction, OnText {
  kind: 'note-text';
  paragraph: number;
  private: boolean;
}


interface NotesPageAction extends ReplyAction, OnText {
  kind: 'notes-page';
  offset: number;
  /** 0 for every paragraph. */
  paragraph: number;
  /** Whose notes; '' for everyone's. */
  author: string;
  label: 'Newer' | 'Older';
  /** Most Helpful first; newest first when absent. */
  top?: boolean;
}

/** "Helpful #12 (3)" under a list: one vote per member, pressed again to take it back. `count` is for the label only. */
interface NoteHelpfulAction extends ReplyAction {
  kind: 'note-helpful';
  note: number;
  count: number;
}

/** ":<slug>" for a custom_id, or "" without one. */
const textSuffix = ({ article }: OnText): string => (article === undefined ? '' : `:${article}`);
/** The slug at the end of a decoded custom_id, when there is one. */
const textOf = (slug: string | undefined): OnText => (slug === undefined ? {} : { article: slug });
/** Matches that ":<slug>" ending (optional). */
const TEXT_SUFFIX = '(?::([a-z0-9]+(?:-[a-z0-9]+)*))?';

/** The paragraph's text, or an error reply naming the range. */
function bodyParagraph(article: Article, number: number): { text: string } | Reply {
  const body = bodyParagraphs(article);
  const paragraph = body[number - 1];
  if (!Number.isInteger(number) || !paragraph) return textReply('error', 'No such paragraph', [`Paragraphs are numbered ¶1 to ¶${body.length}; “${String(number)}” is not one of them.`], { private: true });
  return paragraph;
}




async function addNote(paragraph: number, rawText: string, wantsPrivate: boolean, invoker: Invoker, { library, store, clock }: CommandContext): Promise<Reply> {
  const article = library.mainArticle;
  const found = bodyParagraph(article, paragraph);
  if ('kind' in found) return found;
  // Stored as it will show: without invisible characters; a note of nothing but those is empty.
  const text = displaySafe(rawText).trim();
  if (showsNothing(text)) return textReply('error', 'Empty note', ['A note needs some text: /note add paragraph:N text:<your note>.'], { private: true });
  if (text.length > MAX_NOTE_CHARS) return textReply('error', 'Note too long', [`A note holds at most ${MAX_NOTE_CHARS} characters; this one has ${text.length}.`], { private: true });
  const now = clock.now();
  // In a DM the note is the author's alone anyway.
  const isPrivate = wantsPrivate || invoker.guildId === undefined;
  let note: Note | undefined;
  try {
    note = await store.notes.addWithinLimit(
      { scope: scopeFor(invoker), article: article.slug, paragraph, authorId: invoker.userId, authorName: invoker.displayName, text, private: isPrivate, anchor: anchorOf(found.text) },
      now,
      { max: NOTES_PER_DAY, since: now - DAY_MS },
    );
  } catch (error) {
    return cannotSave(error, 'save the note');
  }
  if (!note) {
    return textReply('error', 'That is a lot of notes', [`You have written ${NOTES_PER_DAY} notes in the last 24 hours, the daily limit. Take a break and come back tomorrow.`], { private: true });
  }
  return textReply(
    'info',
    `Note #${note.id} on ¶${paragraph}`,
    [
      `“${truncate(found.text, QUOTE_CHARS)}” (¶${paragraph})`,
      '',
      `${note.authorName}: ${note.text}`,
      '',
      isPrivate ? 'Only you can see this note.' : 'Shared with this server: see the notes with /note list.',
    ],
    { private: isPrivate, footer: footerOf(article) },
  );
}

/** One page of the notes a viewer may see, newest (or most Helpful) first, with buttons to the pages around it and a Helpful button per note of others. */
async function listNotes(offset: number, paragraph: number, author: string, invoker: Invoker, { library, store }: CommandContext, top = false): Promise<Reply> {
  const article = library.mainArticle;
  const scope = scopeFor(invoker);
  const { notes, total } = await store.notes.list({
    scope,
    viewerId: invoker.userId,
    article: article.slug,
    limit: PAGE_SIZE,
    offset,
    ...(paragraph > 0 ? { paragraph } : {}),
    ...(author !== '' ? { authorId: author } : {}),
    ...(top ? { sort: 'top' as const } : {}),
  });
  const helpful = await store.notes.helpfulCounts(scope, notes.map((note) => note.id));
  const where = paragraph > 0 ? `on ¶${paragraph}` : invoker.guildId === undefined ? 'of yours' : 'in this server';
  const title = `Notes ${where}${author !== '' ? ` by ${notes[0]?.authorName ?? 'that member'}` : ''}`;
  if (total === 0) {
    const hint = paragraph > 0 ? `/note add paragraph:${paragraph}` : '/note add paragraph:N';
    return textReply('info', title, [`No notes yet. Add one with ${hint}.`], { private: true, footer: footerOf(article) });
  }
  const votes = (note: Note) => helpful.get(note.id) ?? 0;
  const lines = notes.map(
    (note) =>
      `#${note.id} · ${note.paragraph === 0 ? 'detached (its paragraph left the text)' : `¶${note.paragraph}`} · ${note.authorName} · ${shortDate(note.createdAt)}${note.private ? ' · private' : ''}${votes(note) > 0 ? ` · ${votes(note)} helpful` : ''} — ${truncate(note.text, LINE_NOTE_CHARS)}`,
  );
  const shown = `${offset + 1}–${offset + notes.length} of ${total}, ${top ? 'most helpful' : 'newest'} first`;
  const actions: ReplyAction[] = notes
    .filter((note) => !note.private && note.authorId !== invoker.userId)
    .map((note) => ({ kind: 'note-helpful', note: note.id, count: votes(note) }) satisfies NoteHelpfulAction);
  const onText = { article: article.slug, ...(top ? { top } : {}) };
  if (offset > 0) actions.push({ kind: 'notes-page', offset: Math.max(0, offset - PAGE_SIZE), paragraph, author, label: 'Newer', ...onText } satisfies NotesPageAction);
  if (offset + notes.length < total) actions.push({ kind: 'notes-page', offset: offset + PAGE_SIZE, paragraph, author, label: 'Older', ...onText } satisfies NotesPageAction);
  return textReply('info', title, [shown, '', ...lines], { private: true, actions, footer: footerOf(article) });
}

async function deleteNote(id: number, invoker: Invoker, { store }: CommandContext): Promise<Reply> {
  const scope = scopeFor(invoker);
  const note = await store.notes.get(scope, id);
  // Someone else's private note is not there, as far as anyone else can tell.
  if (!note || (note.private && note.authorId !== invoker.userId)) return textReply('error', 'No such note', [`There is no note #${id} here. /note list shows the notes and their numbers.`], { private: true });
  if (note.authorId !== invoker.userId && !invoker.permissions.manageMessages) {
    return textReply('error', 'Not your note', [`Note #${id} is ${note.authorName}’s. You can delete your own notes; members with Manage Messages can delete any.`], { private: true });
  }
  try {
    await store.notes.delete(scope, id);
  } catch (error) {
    return cannotSave(error, 'delete the note');
  }
  return textReply('info', `Deleted note #${id}`, [`The note on ¶${note.paragraph} by ${note.authorName} is gone.`], { private: true });
}

/** Every visible note as Markdown, each under the paragraph it is about, sent to whoever asked. */
async function exportNotes(invoker: Invoker, { library, store }: CommandContext): Promise<Reply> {
  const article = library.mainArticle;
  const notes: Note[] = [];
  for (let offset = 0; ; offset += EXPORT_BATCH) {
    const page = await store.notes.list({ scope: scopeFor(invoker), viewerId: invoker.userId, article: article.slug, limit: EXPORT_BATCH, offset });
    notes.push(...page.notes);
    if (page.notes.length < EXPORT_BATCH) break;
  }
  if (notes.length === 0) return textReply('info', 'No notes to export', ['There are no notes here yet. Add one with /note add paragraph:N.'], { private: true });
  const lines = [`# Notes on “${markdownFileText(article.title)}” by ${markdownFileText(article.author)}`, '', `${counted(notes.length, 'note')}, exported ${shortDate(Date.now())}.`];
  // As written, on one line each, but without the invisible and direction-changing characters no screen should get.
  const noteLine = (note: Note) =>
    `- **${markdownFileText(note.authorName)}**, ${shortDate(note.createdAt)} (#${note.id}${note.private ? ', private' : ''}): ${markdownFileText(note.text.replace(/\s*\n\s*/g, ' '))}`;
  for (const paragraph of bodyParagraphs(article)) {
    const here = notes.filter((note) => note.paragraph === paragraph.number).reverse();
    if (here.length === 0) continue;
    lines.push('', `## ¶${paragraph.number}`, '', `> ${markdownFileText(paragraph.text)}`, '');
    lines.push(...here.map(noteLine));
  }
  const detached = notes.filter((note) => note.paragraph === 0).reverse();
  if (detached.length > 0) lines.push('', '## Detached notes', '', 'Their paragraphs left the text when it was imported again.', '', ...detached.map(noteLine));
  return textReply('info', 'Notes exported', [`${counted(notes.length, 'note')} as a Markdown file: only you can see this.`], {
    private: true,
    files: [{ name: `notes-${article.slug}.md`, content: `${lines.join('\n')}\n` }],
  });
}

/** The modal "/note add" opens when no text was given. State: "<paragraph>:<0|1>" (private). */
const noteText: Component<NoteTextAction> = {
  kind: 'note-text',
  key: 'nt',
  version: 1,
  type: 'modal',
  encode: (action) => `${action.paragraph}:${action.private ? 1 : 0}${textSuffix(action)}`,
  decode: (text) => {
    const match = new RegExp(`^(\\d{1,3}):([01])${TEXT_SUFFIX}$`).exec(text);
    return match ? { kind: 'note-text', paragraph: Number(match[1]), private: match[2] === '1', ...textOf(match[3]) } : undefined;
  },
  label: ({ paragraph }) => `Note on ¶${paragraph}`,
  answer: 'public',
  handle: ({ paragraph, private: isPrivate }, { invoker, fields }, context) => addNote(paragraph, fields?.text ?? '', isPrivate, invoker, context),
};

/** "Newer" / "Older" under a list: the page replaces the list. State: "<offset>:<paragraph>:<author>". */
const notesPage: Component<NotesPageAction> = {
  kind: 'notes-page',
  key: 'np',
  version: 1,
  type: 'button',
  style: 'secondary',
  answer: 'update',
  // "n"/"o" for Newer/Older newest first; "N"/"O" most helpful first (ids made before sorting decode as newest first).
  encode: (action) => {
    const letter = action.label === 'Newer' ? 'n' : 'o';
    return `${action.top ? letter.toUpperCase() : letter}:${action.offset}:${action.paragraph}:${action.author}${textSuffix(action)}`;
  },
  decode: (text) => {
    const match = new RegExp(`^([noNO]):(\\d{1,6}):(\\d{1,3}):(\\d{0,20})${TEXT_SUFFIX}$`).exec(text);
    if (!match) return undefined;
    const letter = match[1] as string;
    return {
      kind: 'notes-page',
      label: letter.toLowerCase() === 'n' ? 'Newer' : 'Older',
      offset: Number(match[2]),
      paragraph: Number(match[3]),
      author: match[4] as string,
      ...(letter === letter.toUpperCase() ? { top: true } : {}),
      ...textOf(match[5]),
    };
  },
  label: ({ label }) => label,
  // The list these buttons sit on is already the clicker's alone, and an update keeps it so; a reply marked
  // private would instead be sent as a new message under the old page.
  handle: async ({ offset, paragraph, author, top }, { invoker }, context) => ({ ...(await listNotes(offset, paragraph, author, invoker, context, top === true)), private: false }),
};

/** "Helpful #12 (3)": a member's vote, told privately. State: "<note id>:<count>". */
const noteHelpful: Component<NoteHelpfulAction> = {
  kind: 'note-helpful',
  key: 'nh',
  version: 1,
  type: 'button',
  style: 'secondary',
  encode: ({ note, count }) => `${note}:${count}`,
  decode: (text) => {
    const match = /^(\d{1,15}):(\d{1,6})$/.exec(text);
    return match ? { kind: 'note-helpful', note: Number(match[1]), count: Number(match[2]) } : undefined;
  },
  label: ({ note, count }) => `Helpful #${note}${count > 0 ? ` (${count})` : ''}`,
  handle: async ({ note }, { invoker }, { store, clock }) => {
    let result: Awaited<ReturnType<typeof store.notes.toggleHelpful>>;
    try {
      result = await store.notes.toggleHelpful(scopeFor(invoker), note, { userId: invoker.userId, displayName: invoker.displayName }, clock.now());
    } catch (error) {
      return cannotSave(error, 'record your vote');
    }
    if (result === undefined) throw new StaleComponentError();
    if (result === 'own') return textReply('info', 'Your own note', [`Note #${note} is yours: votes are for others’ notes.`], { private: true });
    return textReply(
      'info',
      result.voted ? `Note #${note}: helpful` : `Note #${note}: vote taken back`,
      [`${result.voted ? 'You marked it helpful' : 'Your vote is taken back'}; ${counted(result.count, 'member')} ${result.count === 1 ? 'finds' : 'find'} it helpful. ${result.voted ? 'Press again to take your vote back.' : ''} /note list sort:top shows the most helpful first.`],
      { private: true },
    );
  },
};

/** "Notes on ¶N (3)" under /passage: that paragraph's notes, for whoever clicked. State: "<paragraph>:<count>". */
const notesOn: Component<NotesOnAction> = {
  kind: 'notes-on',
  key: 'nn',
  version: 1,
  type: 'button',
  style: 'secondary',
  encode: (action) => `${action.paragraph}:${action.count}${textSuffix(action)}`,
  decode: (text) => {
    const match = new RegExp(`^(\\d{1,3}):(\\d{1,6})${TEXT_SUFFIX}$`).exec(text);
    return match ? { kind: 'notes-on', paragraph: Number(match[1]), count: Number(match[2]), ...textOf(match[3]) } : undefined;
  },
  label: ({ paragraph, count }) => `Notes on ¶${paragraph} (${count})`,
  typed: ({ paragraph, article }, { library }) => `/note list paragraph:${paragraph}${article !== undefined && article !== library.mainArticle.slug ? ` article:${article}` : ''}`,
  handle: ({ paragraph }, { invoker }, context) => listNotes(0, paragraph, '', invoker, context),
};

const note: Command = {
  definition: {
    name: 'note',
    description: 'Notes on the article’s paragraphs, shared with your server',
    options: [
      {
        type: OptionType.Subcommand,
        name: 'add',
        description: 'Add a note on a paragraph (without text, a form asks for it)',
        options: [
          { type: OptionType.Integer, name: 'paragraph', description: 'The paragraph, as in ¶5', required: true, min_value: 1, max_value: 999 },
          { type: OptionType.String, name: 'text', description: 'Your note', max_length: MAX_NOTE_CHARS },
          { type: OptionType.Boolean, name: 'private', description: 'Keep the note to yourself' },
          articleOption,
        ],
      },
      {
        type: OptionType.Subcommand,
        name: 'list',
        description: 'The notes of this server, newest or most helpful first',
        options: [
          { type: OptionType.Integer, name: 'paragraph', description: 'Only notes on this paragraph', min_value: 1, max_value: 999 },
          { type: OptionType.User, name: 'user', description: 'Only notes by this member' },
          {
            type: OptionType.String,
            name: 'sort',
            description: 'Newest first (default), or the most Helpful first',
            choices: [
              { name: 'newest first', value: 'newest' },
              { name: 'most helpful first', value: 'top' },
            ],
          },
          articleOption,
        ],
      },
      {
        type: OptionType.Subcommand,
        name: 'delete',
        description: 'Delete a note by its number (your own, or any with Manage Messages)',
        options: [{ type: OptionType.Integer, name: 'id', description: 'The note’s number, as in #12', required: true, min_value: 1 }],
      },
      { type: OptionType.Subcommand, name: 'export', description: 'All notes as a Markdown file, sent to you only' },
    ],
  },
  handle: async ({ subcommand, options, invoker }, context) => {
    const paragraph = typeof options.paragraph === 'number' ? options.paragraph : 0;
    switch (subcommand) {
      case 'add': {
        const wantsPrivate = options.private === true;
        if (typeof options.text === 'string' && options.text.trim() !== '') return addNote(paragraph, options.text, wantsPrivate, invoker, context);
        const found = bodyParagraph(context.library.mainArticle, paragraph);
        if ('kind' in found) return found;
        return {
          ...textReply('info', `Note on ¶${paragraph}`, [], { private: true }),
          modal: {
            action: { kind: 'note-text', paragraph, private: wantsPrivate, article: context.library.mainArticle.slug } satisfies NoteTextAction,
            title: `¶${paragraph}: ${found.text}`,
            fields: [{ id: 'text', label: 'Your note', paragraph: true, maxLength: MAX_NOTE_CHARS, placeholder: 'What strikes you in this paragraph?' }],
            usage: `Type the note: /note add paragraph:${paragraph} text:<your note>`,
          },
        };
      }
      case 'list':
        return listNotes(0, paragraph, typeof options.user === 'string' ? options.user : '', invoker, context, options.sort === 'top');
      case 'delete':
        return deleteNote(Number(options.id), invoker, context);
      case 'export':
        return exportNotes(invoker, context);
      default:
        return textReply('error', 'Which note command?', ['Use /note add, /note list, /note delete or /note export.'], { private: true });
    }
  },
  components: [noteText, notesPage, notesOn, noteHelpful],
};

export default note;
