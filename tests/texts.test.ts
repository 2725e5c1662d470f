/**
 * Which text a command reads: the catalog (built-in and server texts, the
 * default, the bounded cache) and the scoping step every command, button and
 * typed line goes through; /text in the terminal chat.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApp, type App } from '../src/app.ts';
import { parseTextCommand } from '../src/commands/parse-text.ts';
import { NO_PERMISSIONS, type Invoker } from '../src/commands/types.ts';
import { toArticleFile } from '../src/import/article-file.ts';
import type { Reply } from '../src/reply/reply.ts';
import { guildScope, type NewLibraryText } from '../src/store/types.ts';
import { MAX_CACHED, TextCatalog } from '../src/texts/catalog.ts';
import { anchorOf, reanchor } from '../src/texts/reanchor.ts';
import { answerLine, type ChatState } from '../src/terminal/chat.ts';
import { CORPUS_DIR } from './support/app.ts';

const GUILD = '111111111111111111';
const OTHER = '222222222222222222';
const admin: Invoker = { userId: '900000000000000001', displayName: 'Ada', guildId: GUILD, channelId: '1', inThread: false, permissions: { ...NO_PERMISSIONS, manageGuild: true } };
const member: Invoker = { ...admin, userId: '900000000000000002', displayName: 'Ben', permissions: NO_PERMISSIONS };

function stored(slug: string, paragraphs: string[], scope = guildScope(GUILD)): NewLibraryText {
  const file = toArticleFile({ title: slug, author: 'A. Writer', paragraphs }, slug, slug);
  return { scope, slug, title: slug, author: 'A. Writer', source: 'pasted', markdown: file.markdown, paragraphs: paragraphs.length, chars: paragraphs.join('').length, addedBy: admin.userId };
}

const linesOf = (reply: Reply) => [reply.title, ...reply.answer.map((sentence) => sentence.text), ...reply.passages.map((passage) => passage.full), ...reply.notes].join('\n');

let app: App;
let dir: string;

beforeAll(async () => {
  app = await loadApp(CORPUS_DIR);
  dir = await mkdtemp(join(tmpdir(), 'footnote-texts-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the catalog', () => {
  it('reads the built-in library by default, a server’s text by name or as its default, and no other server’s', async () => {
    const { store, texts } = app.context;
    await store.texts.add(stored('tides', ['The Moon pulls the oceans into two bulges.', 'Spring tides come at new and full moon.']), 50, 1000);
    expect(await texts.resolve(guildScope(GUILD))).toEqual({ library: texts.builtIn });
    const byName = await texts.resolve(guildScope(GUILD), 'Tides ');
    expect('library' in byName && byName.library.mainArticle.slug).toBe('tides');
    expect(await texts.resolve(guildScope(OTHER), 'tides')).toEqual({ unknown: 'tides' });
    await store.texts.setDefault(guildScope(GUILD), 'tides');
    texts.forget(guildScope(GUILD));
    const chosen = await texts.resolve(guildScope(GUILD));
    expect('library' in chosen && chosen.library.mainArticle.slug).toBe('tides');
    expect(await texts.resolve(guildScope(OTHER))).toEqual({ library: texts.builtIn });
    // The built-in article stays reachable by name.
    const builtIn = await texts.resolve(guildScope(GUILD), texts.builtIn.mainArticle.slug);
    expect('library' in builtIn && builtIn.library).toBe(texts.builtIn);
  });

  it('builds each text’s index once, and keeps at most MAX_CACHED of them', async () => {
    const catalog = new TextCatalog(app.context.texts.builtIn, app.context.store);
    const scope = guildScope('333333333333333333');
    for (let i = 0; i < MAX_CACHED + 3; i += 1) await app.context.store.texts.add(stored(`t-${i}`, [`Paragraph about topic number ${i}.`], scope), 100, 1000 + i);
    const first = await catalog.resolve(scope, 't-0');
    const again = await catalog.resolve(scope, 't-0');
    expect('library' in first && 'library' in again && first.library === again.library).toBe(true);
    for (let i = 1; i < MAX_CACHED + 3; i += 1) await catalog.resolve(scope, `t-${i}`);
    expect(catalog.cachedCount).toBe(MAX_CACHED);
    // The least recently used went first: t-0 is built anew.
    const rebuilt = await catalog.resolve(scope, 't-0');
    expect('library' in first && 'library' in rebuilt && first.library !== rebuilt.library).toBe(true);
  });

  it('offers at most 25 choices, the server’s texts and the built-in ones, filtered by what was typed', async () => {
    const choices = await app.context.texts.choices(guildScope(GUILD), 'tid');
    expect(choices).toEqual([{ name: 'tides', value: 'tides' }]);
    expect((await app.context.texts.choices(guildScope('333333333333333333'), '')).length).toBe(25);
  });
});

describe('typed commands name a text with article:', () => {
  it('at the end of a question, and "article:" inside a question stays part of it', () => {
    const named = parseTextCommand('/ask Why do tides happen? article:tides', app.commands);
    expect('input' in named && named.input.options).toEqual({ question: 'Why do tides happen?', article: 'tides' });
    const inside = parseTextCommand('/ask What does the article: say about Syria?', app.commands);
    expect('input' in inside && inside.input.options).toEqual({ question: 'What does the article: say about Syria?' });
  });
});

describe('/text in the terminal chat', () => {
  it('adds a file from this machine, reads it by name and as the default, and removes it with /press', async () => {
    const local = await loadApp(CORPUS_DIR);
    const file = join(dir, 'water-cycle.md');
    await writeFile(file, '# The Water Cycle\n\nWater evaporates from the sea and rises as vapour.\n\nThe vapour cools into clouds and falls again as rain.\n');
    const state: ChatState = { actions: [] };
    expect(linesOf(await answerLine(`/text add file:${file}`, local, state))).toMatch(/Text added[\s\S]*“The Water Cycle” is in the library as “the-water-cycle”: 2 paragraphs/);
    expect(linesOf(await answerLine('/ask How does vapour become rain? article:the-water-cycle', local, state))).toContain('The vapour cools into clouds and falls again as rain.');
    expect(linesOf(await answerLine('/text use name:the-water-cycle', local, state))).toMatch(/Text chosen/);
    expect(linesOf(await answerLine('/passage 1', local, state))).toContain('Water evaporates from the sea');
    const asked = await answerLine('/text remove name:the-water-cycle', local, state);
    expect(linesOf(asked)).toMatch(/Remove this text\?/);
    state.actions = asked.actions;
    expect(linesOf(await answerLine('/press 1', local, state))).toMatch(/is gone/);
    expect(linesOf(await answerLine('/passage 1', local, state))).toContain('On March 14');
  });

  it('refuses a member without Manage Server, and a DM', async () => {
    expect(linesOf(await answerLine('/text use name:tides', app, { actions: [] }, member))).toMatch(/Manage Server needed/);
    const dm: Invoker = { userId: '900000000000000003', displayName: 'Cy', channelId: '5', inThread: false, permissions: NO_PERMISSIONS };
    expect(linesOf(await answerLine('/text add url:https://example.com/', app, { actions: [] }, dm))).toMatch(/Texts belong to a server/);
  });
});

describe('re-importing a text moves its notes with their paragraphs', () => {
  const version = (paragraphs: string[]) => toArticleFile({ title: 'v', paragraphs }, 'v', 'v').article;
  const A = 'The Moon pulls the oceans into two bulges, one facing it and one on the far side.';
  const B = 'Spring tides come at new and full moon, when the Sun and the Moon pull together.';
  const C = 'Neap tides come at the quarter moons, when their pulls work against each other.';

  it('keeps, moves, follows a rewording, and detaches what left the text', () => {
    const before = version([A, B, C]);
    const after = version(['A new opening paragraph.', A, 'Spring tides come at new and full moon, when the Sun and Moon pull together strongly.']);
    const notes = [
      { id: 1, paragraph: 1, anchor: anchorOf(A) },
      { id: 2, paragraph: 2, anchor: anchorOf(B) },
      { id: 3, paragraph: 3, anchor: anchorOf(C) },
      // Written before anchors were kept: read against the old version.
      { id: 4, paragraph: 1, anchor: '' },
    ];
    const result = reanchor(notes, before, after);
    expect([...result.moves]).toEqual([
      [1, 2],
      [2, 3],
      [3, 0],
      [4, 2],
    ]);
    expect(result).toMatchObject({ kept: 0, moved: 3, detached: 1 });
    expect(reanchor([{ id: 5, paragraph: 2, anchor: anchorOf(A) }], before, after)).toMatchObject({ kept: 1, moved: 0, detached: 0 });
  });

  it('in the store: the new version, the notes where they now are, and the counts recounted, in one go', async () => {
    const { store } = (await loadApp(CORPUS_DIR)).context;
    const scope = guildScope(GUILD);
    await store.texts.add(stored('tides-2', [A, B, C]), 50, 1000);
    const note = (paragraph: number, anchor: string) => store.notes.add({ scope, article: 'tides-2', paragraph, authorId: admin.userId, authorName: 'Ada', text: 'n', private: false, anchor }, 1000);
    const [first, second] = [await note(1, anchorOf(A)), await note(3, anchorOf(C))];
    expect(await store.notes.anchors(scope, 'tides-2')).toEqual([
      { id: first.id, paragraph: 1, anchor: anchorOf(A) },
      { id: second.id, paragraph: 3, anchor: anchorOf(C) },
    ]);
    const next = stored('tides-2', ['Intro.', A]);
    const replaced = await store.texts.replace(scope, 'tides-2', { text: next, moves: new Map([[first.id, 2], [second.id, 0]]) }, 5000);
    expect(replaced).toMatchObject({ slug: 'tides-2', paragraphs: 2, updatedAt: 5000, addedAt: 1000 });
    expect(await store.texts.markdown(replaced?.id ?? 0)).toContain('Intro.');
    expect([...(await store.notes.countByParagraph(scope, admin.userId, 'tides-2'))].sort()).toEqual([
      [0, 1],
      [2, 1],
    ]);
    expect(await store.texts.replace(scope, 'no-such', { text: next, moves: new Map() }, 5000)).toBeUndefined();
  });

  it('/text update in the terminal chat: notes follow their paragraphs, and the answer says how many', async () => {
    const local = await loadApp(CORPUS_DIR);
    const first = join(dir, 'tides-v1.md');
    const second = join(dir, 'tides-v2.md');
    await writeFile(first, `# Tides\n\n${A}\n\n${B}\n\n${C}\n`);
    await writeFile(second, `# Tides\n\nA new opening paragraph.\n\n${A}\n\n${B}\n`);
    const state: ChatState = { actions: [] };
    await answerLine(`/text add file:${first}`, local, state);
    await answerLine('/note add paragraph:1 text:Two bulges! article:tides', local, state);
    await answerLine('/note add paragraph:3 text:Neap tides article:tides', local, state);
    const updated = linesOf(await answerLine(`/text update name:tides file:${second}`, local, state));
    expect(updated).toMatch(/“Tides” \(“tides”\) now has 3 paragraphs; it had 3\.[\s\S]*Its 2 notes: 0 on the same paragraph, 1 moved to the paragraph that still says what theirs said, 1 detached/);
    const listed = linesOf(await answerLine('/note list article:tides', local, state));
    expect(listed).toMatch(/¶2 · you .* Two bulges!/);
    expect(listed).toMatch(/detached \(its paragraph left the text\) · you .* Neap tides/);
  });
});

describe('when the store cannot be reached', () => {
  it('questions go on: the last known default (or the built-in text), a text read before, and a plain message for one never read', async () => {
    const { store } = (await loadApp(CORPUS_DIR)).context;
    const scope = guildScope('444444444444444444');
    await store.texts.add(stored('waves', ['Waves carry energy across the sea, not water.'], scope), 50, 1000);
    await store.texts.add(stored('currents', ['Currents move water around the globe.'], scope), 50, 1000);
    await store.texts.setDefault(scope, 'waves');
    let down = false;
    const failing = new Proxy(store.texts, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (...args: unknown[]) => (down ? Promise.reject(new Error('connection refused')) : (value as (...a: unknown[]) => unknown).apply(target, args)) : value;
      },
    });
    let now = 0;
    const catalog = new TextCatalog(app.context.texts.builtIn, { ...store, texts: failing }, () => now);
    const before = await catalog.resolve(scope);
    expect('library' in before && before.library.mainArticle.slug).toBe('waves');
    down = true;
    now = 60_000;
    const during = await catalog.resolve(scope);
    expect('library' in during && during.library.mainArticle.slug).toBe('waves');
    expect(await catalog.resolve(scope, 'currents')).toEqual({ unreachable: 'currents' });
    expect(await catalog.resolve(guildScope('555555555555555555'))).toEqual({ library: app.context.texts.builtIn });
  });
});

describe('note buttons carry their text', () => {
  it('a “Notes on ¶N” button under a passage of a text that is not the default lists that text’s notes', async () => {
    const local = await loadApp(CORPUS_DIR);
    const file = join(dir, 'currents.md');
    await writeFile(file, '# Ocean Currents\n\nThe Gulf Stream carries warm water north.\n\nCold water sinks near Greenland.\n');
    const state: ChatState = { actions: [] };
    await answerLine(`/text add file:${file}`, local, state);
    await answerLine('/note add paragraph:2 text:Sinking drives the conveyor article:ocean-currents', local, state);
    const passage = await answerLine('/passage 2 article:ocean-currents', local, state);
    const button = passage.actions.find((action) => action.kind === 'notes-on');
    expect(button).toMatchObject({ paragraph: 2, count: 1, article: 'ocean-currents' });
    const customId = local.components.encode(button!);
    expect(customId).toBe('fn1:nn:2:1:ocean-currents');
    const decoded = local.components.decode(customId as string);
    expect(decoded.ok && decoded.action).toEqual(button);
    // Pressed where the default is the built-in article: it still reads the notes of “Ocean Currents”.
    state.actions = passage.actions;
    const listed = await answerLine(`/press ${passage.actions.indexOf(button!) + 1}`, local, state);
    expect(linesOf(listed)).toContain('Sinking drives the conveyor');
    // A button made before texts had names (no slug) still works, on the default text.
    expect(local.components.decode('fn1:nn:2:1')).toMatchObject({ ok: true, action: { kind: 'notes-on', paragraph: 2, count: 1 } });
  });
});

describe('/outline of a long text', () => {
  it('shortens each opening at a pause when the whole ones would not fit one message', async () => {
    const local = await loadApp(CORPUS_DIR);
    const opening = (i: number) =>
      `Paragraph ${i} opens with a long clause about the history of the region and its many peoples, and then it goes on for a good while more with further detail about trade routes, rivers, mountains and the cities along them, and the ports on the coast where the caravans met the ships that came from far away across the sea, until it finally ends here.`;
    const file = join(dir, 'long-history.md');
    await writeFile(file, `# A Long History\n\n${Array.from({ length: 30 }, (_, i) => `${opening(i + 1)} A second sentence.`).join('\n\n')}\n`);
    const state: ChatState = { actions: [] };
    await answerLine(`/text add file:${file}`, local, state);
    const outline = await answerLine('/outline article:a-long-history', local, state);
    const leads = outline.notes.filter((line) => /^¶\d+ — /.test(line));
    expect(leads).toHaveLength(30);
    // Cut at the last comma before 280 characters, with "…": "…the cities along them, and the ports…" keeps its point.
    expect(leads[0]).toBe(`¶1 — ${opening(1).slice(0, opening(1).lastIndexOf(', ', 280))}…`);
    expect(leads[0]?.length).toBeLessThan(290);
  });
});
