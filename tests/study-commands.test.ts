/**
 * The study-group commands on the real article, through the same text parsing
 * and handlers the chat and Discord use, with invokers in two servers and a
 * DM, against the in-memory store.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { loadApp, type App } from '../src/app.ts';
import { parseTextCommand } from '../src/commands/parse-text.ts';
import { NO_PERMISSIONS, type Invoker } from '../src/commands/types.ts';
import type { Reply } from '../src/reply/reply.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { StoreWriteError } from '../src/store/types.ts';
import { CORPUS_DIR } from './support/app.ts';

let app: App;
let now = Date.UTC(2026, 10, 29, 12);

beforeEach(async () => {
  now = Date.UTC(2026, 10, 29, 12);
  app = await loadApp(CORPUS_DIR, { store: new MemoryStore(), clock: { now: () => now } });
});

function member(userId: string, guildId = 'g1', extra: Partial<Invoker> = {}): Invoker {
  return { userId, displayName: `${userId}-name`, guildId, channelId: `${guildId}-general`, inThread: false, permissions: NO_PERMISSIONS, ...extra };
}

const dm = (userId: string): Invoker => ({ userId, displayName: `${userId}-name`, channelId: `dm-${userId}`, inThread: false, permissions: NO_PERMISSIONS });
const moderator = (userId: string, guildId = 'g1') => member(userId, guildId, { permissions: { ...NO_PERMISSIONS, manageMessages: true } });

async function run(line: string, invoker: Invoker): Promise<Reply> {
  const parsed = parseTextCommand(line, app.commands, invoker);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.command.handle(parsed.input, app.context);
}

const text = (reply: Reply) => reply.notes.join('\n');

describe('/note', () => {
  it('adds a shared note quoting the start of the paragraph, with its id', async () => {
    const reply = await run('/note add paragraph:5 text:Velayati may have been bluffing', member('ada'));
    expect(reply.title).toBe('Note #1 on ¶5');
    expect(reply.private).toBe(false);
    expect(reply.notes[0]).toMatch(/^“In addition, Ali Akbar Velayati .*…” \(¶5\)$/);
    expect(text(reply)).toContain('ada-name: Velayati may have been bluffing');
  });

  it('lists a server’s notes newest first with names, ¶, date and id, and never another server’s', async () => {
    await run('/note add paragraph:5 text:first', member('ada'));
    now += 60_000;
    await run('/note add paragraph:9 text:second', member('bo'));
    await run('/note add paragraph:9 text:elsewhere', member('cy', 'g2'));
    const list = await run('/note list', member('di'));
    expect(list.private).toBe(true);
    expect(list.notes.slice(2)).toEqual(['#2 · ¶9 · bo-name · 29 Nov 2026 — second', '#1 · ¶5 · ada-name · 29 Nov 2026 — first']);
    expect(text(await run('/note list paragraph:9', member('di')))).not.toContain('— first');
    expect(text(await run('/note list', member('ed', 'g2')))).not.toMatch(/— first|— second/);
    expect(text(await run('/note list', dm('ada')))).toContain('No notes yet');
  });

  it('keeps a private note (and every DM note) to its author', async () => {
    const secret = await run('/note add paragraph:3 text:my secret private:true', member('ada'));
    expect(secret.private).toBe(true);
    expect(text(await run('/note list', member('bo')))).not.toContain('my secret');
    expect(text(await run('/note list', member('ada')))).toContain('· private — my secret');
    expect((await run('/note add paragraph:3 text:in a DM', dm('ada'))).private).toBe(true);
    // Someone else's private note does not exist for anyone else, not even to delete.
    expect((await run('/note delete 1', moderator('mo'))).title).toBe('No such note');
  });

  it('deletes your own note; another member’s only with Manage Messages', async () => {
    await run('/note add paragraph:1 text:mine', member('ada'));
    expect((await run('/note delete 1', member('bo'))).title).toBe('Not your note');
    expect((await run('/note delete 1', member('ada', 'g2'))).title).toBe('No such note');
    expect((await run('/note delete 1', moderator('mo'))).title).toBe('Deleted note #1');
    await run('/note add paragraph:1 text:again', member('ada'));
    expect((await run('/note delete 2', member('ada'))).title).toBe('Deleted note #2');
    expect(text(await run('/note list', member('ada')))).toContain('No notes yet');
  });

  it('pages with Newer and Older buttons that carry the filter', async () => {
    for (let i = 1; i <= 10; i += 1) {
      now += 1000;
      await run(`/note add paragraph:${(i % 2) + 4} text:note ${i}`, member('ada'));
    }
    const pages = (reply: Reply) => reply.actions.filter((action) => action.kind === 'notes-page');
    const first = await run('/note list', member('bo'));
    expect(first.notes[0]).toBe('1–8 of 10, newest first');
    expect(pages(first)).toEqual([{ kind: 'notes-page', offset: 8, paragraph: 0, author: '', label: 'Older', article: 'russian-iranian-relations-troubled-ties' }]);
    // One Helpful button per note of someone else on the page.
    expect(first.actions.filter((action) => action.kind === 'note-helpful')).toHaveLength(8);
    const older = app.components.forAction(pages(first)[0]!);
    expect(app.components.encode(pages(first)[0]!)).toBe('fn1:np:o:8:0::russian-iranian-relations-troubled-ties');
    const second = await older!.handle(pages(first)[0]!, { invoker: member('bo') }, app.context);
    expect(second.notes[0]).toBe('9–10 of 10, newest first');
    expect(pages(second).map((action) => action.label)).toEqual(['Newer']);
    const filtered = await run('/note list paragraph:4', member('bo'));
    expect(filtered.notes[0]).toBe('1–5 of 5, newest first');
    expect(pages(filtered)).toEqual([]);
    // Ada's own notes have no Helpful button for her.
    expect((await run('/note list', member('ada'))).actions.filter((action) => action.kind === 'note-helpful')).toEqual([]);
  });

  it('asks for the text in a modal whose title starts with the paragraph, and saves what is submitted', async () => {
    const reply = await run('/note add paragraph:7', member('ada'));
    expect(reply.modal?.title).toMatch(/^¶7: Further, on March 13/);
    expect(reply.modal?.usage).toBe('Type the note: /note add paragraph:7 text:<your note>');
    const modal = app.components.forAction(reply.modal!.action)!;
    expect(app.components.encode(reply.modal!.action)).toBe('fn1:nt:7:0:russian-iranian-relations-troubled-ties');
    const saved = await modal.handle(reply.modal!.action, { invoker: member('ada'), fields: { text: 'from the form' } }, app.context);
    expect(saved.title).toBe('Note #1 on ¶7');
  });

  it('refuses bad input with a clear message: no such paragraph, empty, too long, past the daily limit', async () => {
    expect((await run('/note add paragraph:12 text:x', member('ada'))).title).toBe('No such paragraph');
    expect((await run('/note add paragraph:2 text:   ', member('ada'))).title).toBe('Note on ¶2');
    expect((await run(`/note add paragraph:2 text:${'x'.repeat(1001)}`, member('ada'))).title).toBe('Note too long');
    for (let i = 0; i < 50; i += 1) await app.context.store.notes.add({ scope: 'guild:g9', article: 'a', paragraph: 1, authorId: 'ada', authorName: 'Ada', text: 't', private: false }, now - 1000);
    expect((await run('/note add paragraph:2 text:one more', member('ada'))).title).toBe('That is a lot of notes');
    now += 24 * 60 * 60 * 1000;
    expect((await run('/note add paragraph:2 text:next day', member('ada'))).title).toMatch(/^Note #\d+ on ¶2$/);
  });

  it('says so plainly when the database cannot write, and questions are still answered', async () => {
    app.context.store.notes.addWithinLimit = async () => {
      throw new StoreWriteError('full', 'disk full');
    };
    const reply = await run('/note add paragraph:2 text:x', member('ada'));
    expect(reply).toMatchObject({ kind: 'error', title: 'Could not save the note', private: true });
    expect(text(reply)).toMatch(/out of disk space.*questions are still answered/);
    expect((await run('/ask Why are Russia and Iran not allies?', member('ada'))).answer[0]?.cite.label).toBe('¶9');
  });

  it('exports the notes as Markdown, each under its quoted paragraph, privately', async () => {
    await run('/note add paragraph:9 text:Are they *really* not allies?', member('ada'));
    await run('/note add paragraph:2 text:Thesis here', member('bo'));
    await run('/note add paragraph:2 text:hidden private:true', member('cy'));
    const reply = await run('/note export', member('ada'));
    expect(reply.private).toBe(true);
    const file = reply.files?.[0];
    expect(file?.name).toBe('notes-russian-iranian-relations-troubled-ties.md');
    const markdown = String(file?.content ?? '');
    expect(markdown.indexOf('## ¶2')).toBeLessThan(markdown.indexOf('## ¶9'));
    expect(markdown).toContain('> Despite their numerous anti-Western interests');
    // What a member typed shows as typed: no emphasis, link or HTML of theirs renders in a Markdown viewer.
    expect(markdown).toContain('- **ada-name**, 29 Nov 2026 (#1): Are they \\*really\\* not allies?');
    expect(markdown).not.toContain('hidden');
  });
});

describe('/passage with notes', () => {
  it('says how many notes a paragraph has and offers a "Notes on ¶N" button', async () => {
    await run('/note add paragraph:9 text:one', member('ada'));
    await run('/note add paragraph:9 text:two', member('bo'));
    const reply = await run('/passage 9', member('cy'));
    expect(reply.notes).toContain('2 notes on ¶9.');
    const action = reply.actions.find((candidate) => candidate.kind === 'notes-on')!;
    expect(app.components.forAction(action)?.label(action, reply)).toBe('Notes on ¶9 (2)');
    expect((await run('/passage 9', member('cy', 'g2'))).notes).toContain('No notes on ¶9 yet: add one with /note add paragraph:9.');
  });
});

describe('/outline, /who, /timeline and overview questions', () => {
  it('outlines the article: the thesis, then one verbatim lead per paragraph', async () => {
    const reply = await run('/outline', member('ada'));
    expect(reply.notes[0]).toMatch(/^Thesis: “Yet despite this shared antipathy .*” \(¶2\)$/);
    const leads = reply.notes.filter((line) => /^¶\d+ — /.test(line));
    expect(leads).toHaveLength(11);
    expect(leads[8]).toBe('¶9 — Despite their numerous anti-Western interests, Russia and Iran are not allies.');
    // Whole sentences, not cut mid-list: ¶5 ends its sentence, ¶8 its quotation.
    expect(leads[4]).toMatch(/alliance among Iran, Russia, Syria, and Hezbollah\.$/);
    expect(leads[7]).toMatch(/by setting new price conditions\.”$/);
    expect(leads.some((lead) => lead.endsWith('…'))).toBe(false);
  });

  it('says who the author is from the author notes, by name or as “the author”', async () => {
    for (const asked of ['Katz', 'Mark Katz', 'the author']) {
      const reply = await run(`/who name:${asked}`, member('ada'));
      expect(reply.title, asked).toBe('Mark N. Katz');
      expect(reply.notes[0]).toBe('The author of “Russian-Iranian Relations: Troubled Ties”.');
      expect(reply.answer[0]?.text).toMatch(/^Mark N\. Katz is a professor of government and politics/);
      expect(reply.answer[0]?.cite.label).toBe('author note 1');
    }
    expect((await run('/who name:Mark', member('ada'))).title).not.toBe('Mark N. Katz');
  });

  it('names the people with the sentence that identifies each, and one person’s sentences', async () => {
    const everyone = await run('/who', member('ada'));
    expect(everyone.notes.find((line) => line.startsWith('Ali Akbar Velayati — '))).toMatch(/currently foreign policy adviser.*\(¶5\)$/);
    const velayati = await run('/who name:velayaty', member('ada'));
    expect(velayati.title).toBe('Ali Akbar Velayati');
    expect(velayati.answer.map((sentence) => sentence.cite.label)).toEqual(['¶5', '¶5', '¶6', '¶6', '¶6']);
    expect((await run('/who name:Einstein', member('ada'))).kind).toBe('not-found');
  });

  it('lists dated events in date order, each with its sentence and ¶', async () => {
    const lines = (await run('/timeline', member('ada'))).notes.filter((line) => line.includes(' — “'));
    expect(lines[0]).toMatch(/^November 2015 .*\(¶3\)$/);
    expect(lines.findIndex((line) => line.startsWith('13 March 2016'))).toBeLessThan(lines.findIndex((line) => line.startsWith('14 March 2016')));
  });

  it('answers "summarise the article" from the thesis and the outline instead of refusing', async () => {
    for (const question of ['Summarise the article', 'what is this about?', 'What is the main argument?']) {
      const reply = await run(`/ask ${question}`, member('ada'));
      expect(reply.kind, question).toBe('answer');
      expect(reply.answer[0]?.cite.label, question).toBe('¶2');
      expect(reply.passages, question).toHaveLength(11);
    }
  });
});

describe('/discuss', () => {
  it('posts the paragraph with a prompt and asks for a thread named after it; in a DM it explains', async () => {
    const reply = await run('/discuss paragraph:6', member('ada'));
    expect(reply.thread?.name).toMatch(/^¶6 — There appear to be two possible explanations/);
    expect(reply.thread?.name.length).toBeLessThanOrEqual(100);
    expect(reply.thread?.discussion).toEqual({ article: 'russian-iranian-relations-troubled-ties', paragraph: 6 });
    expect(reply.passages[0]?.full).toMatch(/^There appear to be two/);
    expect(reply.notes[0]).toMatch(/^To discuss: .*“/);
    const own = await run('/discuss paragraph:6 prompt:Which explanation convinces you?', member('ada'));
    expect(own.notes[0]).toBe('ada-name asks: Which explanation convinces you?');
    expect((await run('/discuss paragraph:6', dm('ada'))).title).toBe('Discussions need a server');
  });

  it('in a discussion thread, questions look at the paragraph and its neighbours first', async () => {
    const thread = member('ada', 'g1', { channelId: 'thread-1', inThread: true });
    const question = '/ask What does Moscow want?';
    const outside = await run(question, member('ada'));
    await app.context.store.discussions.add({ scope: 'guild:g1', threadId: 'thread-1', article: 'russian-iranian-relations-troubled-ties', paragraph: 10, startedBy: 'ada' }, now);
    const inside = await run(question, thread);
    expect(['¶9', '¶10', '¶11']).toContain(inside.passages[0]?.cite.label);
    expect(inside.passages[0]?.cite.label).not.toBe(outside.passages[0]?.cite.label);
  });
});

describe('/open-questions', () => {
  it('keeps the questions a server could not get answered, most recent first; moderators clear them', async () => {
    await run('/ask Who won the 2018 World Cup?', member('ada'));
    now += 1000;
    await run('/ask How do vaccines work?', member('bo'));
    await run('/ask What is a good pasta recipe?', member('cy', 'g2'));
    await run('/ask Why are Russia and Iran not allies?', member('ada'));
    const list = await run('/open-questions', member('di'));
    expect(list.notes.slice(2)).toEqual(['“How do vaccines work?” — bo-name, 29 Nov 2026', '“Who won the 2018 World Cup?” — ada-name, 29 Nov 2026']);
    expect(text(await run('/open-questions', member('ed', 'g2')))).toContain('pasta');
    expect((await run('/open-questions clear:true', member('di'))).title).toBe('Not allowed');
    expect(text(await run('/open-questions clear:true', moderator('mo')))).toBe('2 questions removed.');
    expect(text(await run('/open-questions', member('di')))).toMatch(/No open questions/);
  });
});
