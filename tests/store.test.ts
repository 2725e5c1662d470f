import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/store/memory.ts';
import { LATEST_VERSION, MIGRATIONS, migrationSql, pendingMigrations, unappliedMigrations } from '../src/store/migrations.ts';
import { openStore } from '../src/store/open.ts';
import { databaseFile, SqliteStore } from '../src/store/sqlite.ts';
import { describePostgres, openInFreshSchema, TEST_DATABASE_URL } from './support/postgres.ts';
import { dmScope, guildScope, StoreOpenError, StoreWriteError, type NewLibraryText, type NewNote, type NewQuiz, type NewReadingPlan, type NewReviewCard, type ReadingClaim, type ReadingPlan, type Scope, type Store } from '../src/store/types.ts';

const GUILD_A = guildScope('111111111111111111');
const GUILD_B = guildScope('222222222222222222');
const DM_ALICE = dmScope('333333333333333333');
const ALICE = '333333333333333333';
const BOB = '444444444444444444';
const CAROL = '555555555555555555';

const temporaryDirs: string[] = [];

function temporaryDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'footnote-store-test-'));
  temporaryDirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of temporaryDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function note(overrides: Partial<NewNote> = {}): NewNote {
  return { scope: GUILD_A, article: 'photosynthesis', paragraph: 1, authorId: ALICE, authorName: 'Alice', text: 'A note.', private: false, ...overrides };
}

/** The same behaviour, asked of every Store implementation. */
function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`${name}: the Store contract`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      await store.close();
    });

    describe('notes', () => {
      it('adds a note and gets it back by id, in its scope only', async () => {
        const added = await store.notes.add(note({ text: 'Chlorophyll <b>absorbs</b> light @everyone' }), 1000);
        expect(added).toEqual({ ...note({ text: 'Chlorophyll <b>absorbs</b> light @everyone' }), id: added.id, createdAt: 1000 });
        expect(await store.notes.get(GUILD_A, added.id)).toEqual(added);
        expect(await store.notes.get(GUILD_B, added.id)).toBeUndefined();
        expect(await store.notes.get(GUILD_A, added.id + 1)).toBeUndefined();
      });

      it('keeps only the note fields, and hands out copies', async () => {
        const added = await store.notes.add({ ...note(), extra: 'not a field' } as NewNote, 1000);
        added.text = 'changed by the caller';
        expect(await store.notes.get(GUILD_A, added.id)).toEqual({ ...note(), id: added.id, createdAt: 1000 });
      });

      it('numbers notes upwards and never reuses a deleted id', async () => {
        const first = await store.notes.add(note(), 1000);
        const second = await store.notes.add(note(), 1000);
        expect(second.id).toBeGreaterThan(first.id);
        expect(await store.notes.delete(GUILD_A, second.id)).toBe(true);
        const third = await store.notes.add(note(), 1000);
        expect(third.id).toBeGreaterThan(second.id);
      });

      it('lists newest first, the later note first among equal times, in pages with the total', async () => {
        const times = [5000, 1000, 3000, 3000, 2000, 4000, 3000];
        const added = [];
        for (const [i, time] of times.entries()) added.push(await store.notes.add(note({ text: `note ${i}` }), time));
        const expected = [...added].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);

        const all = await store.notes.list({ scope: GUILD_A, viewerId: BOB, limit: 100 });
        expect(all).toEqual({ notes: expected, total: 7 });
        const pages = [];
        for (let offset = 0; offset < 7; offset += 3) pages.push(await store.notes.list({ scope: GUILD_A, viewerId: BOB, limit: 3, offset }));
        expect(pages.map((page) => page.total)).toEqual([7, 7, 7]);
        expect(pages.flatMap((page) => page.notes)).toEqual(expected);
        expect(pages.map((page) => page.notes.length)).toEqual([3, 3, 1]);
        expect(await store.notes.list({ scope: GUILD_A, viewerId: BOB, limit: 3, offset: 10 })).toEqual({ notes: [], total: 7 });
        expect(await store.notes.list({ scope: GUILD_A, viewerId: BOB, limit: 0 })).toEqual({ notes: [], total: 7 });
      });

      it('filters by article, paragraph and author, alone and together, totals included', async () => {
        const rows: [string, number, string][] = [
          ['photosynthesis', 1, ALICE],
          ['photosynthesis', 1, BOB],
          ['photosynthesis', 2, ALICE],
          ['photosynthesis', 2, ALICE],
          ['tides', 1, ALICE],
          ['tides', 2, BOB],
        ];
        let time = 1000;
        for (const [article, paragraph, authorId] of rows) await store.notes.add(note({ article, paragraph, authorId }), (time += 1000));
        const list = async (filter: { article?: string; paragraph?: number; authorId?: string }) => {
          const result = await store.notes.list({ scope: GUILD_A, viewerId: CAROL, limit: 2, ...filter });
          for (const found of result.notes) expect(found).toMatchObject(filter);
          return [result.total, result.notes.length];
        };
        expect(await list({})).toEqual([6, 2]);
        expect(await list({ article: 'photosynthesis' })).toEqual([4, 2]);
        expect(await list({ article: 'photosynthesis', paragraph: 2 })).toEqual([2, 2]);
        expect(await list({ article: 'photosynthesis', paragraph: 1, authorId: BOB })).toEqual([1, 1]);
        expect(await list({ article: 'tides', authorId: ALICE })).toEqual([1, 1]);
        expect(await list({ authorId: ALICE })).toEqual([4, 2]);
        expect(await list({ paragraph: 1 })).toEqual([3, 2]);
        expect(await list({ article: 'unknown' })).toEqual([0, 0]);
      });

      it('shows private notes to their author only, in pages, totals and paragraph counts', async () => {
        await store.notes.add(note({ paragraph: 1 }), 1000);
        const secret = await store.notes.add(note({ paragraph: 1, private: true, text: 'mine' }), 2000);
        await store.notes.add(note({ paragraph: 2, private: true, authorId: BOB }), 3000);

        const asAlice = await store.notes.list({ scope: GUILD_A, viewerId: ALICE, limit: 10 });
        expect(asAlice.total).toBe(2);
        expect(asAlice.notes.map((found) => found.id)).toContain(secret.id);
        const asCarol = await store.notes.list({ scope: GUILD_A, viewerId: CAROL, limit: 10 });
        expect(asCarol.total).toBe(1);
        expect(asCarol.notes.every((found) => !found.private)).toBe(true);
        // Filtering by someone else's id does not reveal their private notes.
        expect((await store.notes.list({ scope: GUILD_A, viewerId: CAROL, authorId: ALICE, limit: 10 })).total).toBe(1);
        expect((await store.notes.list({ scope: GUILD_A, viewerId: BOB, article: 'photosynthesis', paragraph: 2, limit: 10 })).total).toBe(1);
        expect((await store.notes.list({ scope: GUILD_A, viewerId: ALICE, article: 'photosynthesis', paragraph: 2, limit: 10 })).total).toBe(0);

        expect(await store.notes.countByParagraph(GUILD_A, ALICE, 'photosynthesis')).toEqual(new Map([[1, 2]]));
        expect(await store.notes.countByParagraph(GUILD_A, BOB, 'photosynthesis')).toEqual(new Map([[1, 1], [2, 1]]));
        expect(await store.notes.countByParagraph(GUILD_A, CAROL, 'photosynthesis')).toEqual(new Map([[1, 1]]));
      });

      it('counts notes per paragraph of one article, in paragraph order', async () => {
        for (const paragraph of [7, 2, 7, 12, 2, 7]) await store.notes.add(note({ paragraph }), 1000);
        await store.notes.add(note({ article: 'tides', paragraph: 3 }), 1000);
        const counts = await store.notes.countByParagraph(GUILD_A, CAROL, 'photosynthesis');
        expect([...counts]).toEqual([
          [2, 2],
          [7, 3],
          [12, 1],
        ]);
        expect(await store.notes.countByParagraph(GUILD_A, CAROL, 'unknown')).toEqual(new Map());
      });

      it('counts an author’s notes since a time across every scope, private ones included', async () => {
        await store.notes.add(note({ scope: GUILD_A }), 1000);
        await store.notes.add(note({ scope: GUILD_B, private: true }), 2000);
        await store.notes.add(note({ scope: DM_ALICE }), 3000);
        await store.notes.add(note({ scope: GUILD_A, authorId: BOB }), 3000);
        expect(await store.notes.countByAuthorSince(ALICE, 0)).toBe(3);
        expect(await store.notes.countByAuthorSince(ALICE, 2000)).toBe(2);
        expect(await store.notes.countByAuthorSince(ALICE, 3001)).toBe(0);
        expect(await store.notes.countByAuthorSince(BOB, 0)).toBe(1);
        expect(await store.notes.countByAuthorSince(CAROL, 0)).toBe(0);
      });

      it('deletes a note only within its scope, and every count follows', async () => {
        const kept = await store.notes.add(note({ paragraph: 4 }), 1000);
        const gone = await store.notes.add(note({ paragraph: 5 }), 2000);
        const secret = await store.notes.add(note({ paragraph: 5, private: true }), 3000);
        expect(await store.notes.delete(GUILD_B, gone.id)).toBe(false);
        expect(await store.notes.delete(DM_ALICE, gone.id)).toBe(false);
        expect(await store.notes.get(GUILD_A, gone.id)).toEqual(gone);

        expect(await store.notes.delete(GUILD_A, gone.id)).toBe(true);
        expect(await store.notes.delete(GUILD_A, gone.id)).toBe(false);
        expect(await store.notes.get(GUILD_A, gone.id)).toBeUndefined();
        expect(await store.notes.countByParagraph(GUILD_A, CAROL, 'photosynthesis')).toEqual(new Map([[4, 1]]));
        expect(await store.notes.countByParagraph(GUILD_A, ALICE, 'photosynthesis')).toEqual(new Map([[4, 1], [5, 1]]));
        expect(await store.notes.list({ scope: GUILD_A, viewerId: CAROL, limit: 10 })).toEqual({ notes: [kept], total: 1 });

        expect(await store.notes.delete(GUILD_A, secret.id)).toBe(true);
        expect(await store.notes.countByParagraph(GUILD_A, ALICE, 'photosynthesis')).toEqual(new Map([[4, 1]]));
        expect((await store.notes.list({ scope: GUILD_A, viewerId: ALICE, article: 'photosynthesis', paragraph: 5, limit: 10 })).total).toBe(0);
        expect(await store.notes.countByAuthorSince(ALICE, 0)).toBe(1);
      });

      it('refuses a negative or fractional page', async () => {
        await expect(store.notes.list({ scope: GUILD_A, viewerId: ALICE, limit: -1 })).rejects.toThrow(RangeError);
        await expect(store.notes.list({ scope: GUILD_A, viewerId: ALICE, limit: 1.5 })).rejects.toThrow(RangeError);
        await expect(store.notes.list({ scope: GUILD_A, viewerId: ALICE, limit: 5, offset: -2 })).rejects.toThrow(RangeError);
      });
    });

    describe('the daily note limit', () => {
      it('adds within the limit, counted across scopes, and refuses past it', async () => {
        expect(await store.notes.addWithinLimit(note(), 1000, { max: 2, since: 0 })).toMatchObject({ text: 'A note.', createdAt: 1000 });
        expect(await store.notes.addWithinLimit(note({ scope: GUILD_B }), 1001, { max: 2, since: 0 })).toBeDefined();
        expect(await store.notes.addWithinLimit(note(), 1002, { max: 2, since: 0 })).toBeUndefined();
        expect(await store.notes.addWithinLimit(note(), 1003, { max: 2, since: 1001 })).toBeDefined();
        expect(await store.notes.countByAuthorSince(ALICE, 0)).toBe(3);
      });
    });

    describe('open questions', () => {
      it('keep only the newest, none older than asked, per scope', async () => {
        const ask = (scope: Scope, i: number) => store.openQuestions.add({ scope, question: `q${i}`, askerId: ALICE, askerName: 'Alice', confidence: 'none' }, 1000 * i, { max: 3, since: 1000 * i - 10_000 });
        for (let i = 1; i <= 5; i += 1) await ask(GUILD_A, i);
        await ask(GUILD_B, 1);
        const { questions, total } = await store.openQuestions.list(GUILD_A, 10);
        expect(total).toBe(3);
        expect(questions.map((q) => q.question)).toEqual(['q5', 'q4', 'q3']);
        await ask(GUILD_A, 20);
        expect((await store.openQuestions.list(GUILD_A, 10)).questions.map((q) => q.question)).toEqual(['q20']);
        expect((await store.openQuestions.list(GUILD_B, 10)).total).toBe(1);
      });

      it('adds, lists most recent first in pages, and clears one scope only', async () => {
        const asked = [];
        for (const [i, time] of [3000, 1000, 2000, 2000].entries()) {
          asked.push(await store.openQuestions.add({ scope: GUILD_A, question: `Why ${i}?`, askerId: ALICE, askerName: 'Alice', confidence: i % 2 ? 'low' : 'none' }, time));
        }
        await store.openQuestions.add({ scope: GUILD_B, question: 'Elsewhere?', askerId: BOB, askerName: 'Bob', confidence: 'none' }, 5000);
        expect(asked[0]).toEqual({ id: asked[0]!.id, scope: GUILD_A, question: 'Why 0?', askerId: ALICE, askerName: 'Alice', confidence: 'none', askedAt: 3000 });

        const expected = [asked[0], asked[3], asked[2], asked[1]];
        expect(await store.openQuestions.list(GUILD_A, 10)).toEqual({ questions: expected, total: 4 });
        expect(await store.openQuestions.list(GUILD_A, 2, 2)).toEqual({ questions: expected.slice(2), total: 4 });
        expect((await store.openQuestions.list(DM_ALICE, 10)).total).toBe(0);

        expect(await store.openQuestions.clear(GUILD_A)).toBe(4);
        expect(await store.openQuestions.clear(GUILD_A)).toBe(0);
        expect(await store.openQuestions.list(GUILD_A, 10)).toEqual({ questions: [], total: 0 });
        expect((await store.openQuestions.list(GUILD_B, 10)).total).toBe(1);
      });
    });

    describe('counters', () => {
      it('start at 0 and add atomically, per scope and name', async () => {
        expect(await store.counters.get(GUILD_A, 'questions')).toBe(0);
        expect(await store.counters.increment(GUILD_A, 'questions')).toBe(1);
        expect(await store.counters.increment(GUILD_A, 'questions', 5)).toBe(6);
        expect(await store.counters.increment(GUILD_A, 'questions', -2)).toBe(4);
        const values = await Promise.all(Array.from({ length: 50 }, () => store.counters.increment(GUILD_A, 'questions')));
        expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => 5 + i));
        expect(await store.counters.get(GUILD_A, 'questions')).toBe(54);
        expect(await store.counters.get(GUILD_B, 'questions')).toBe(0);
        expect(await store.counters.get(GUILD_A, 'answers')).toBe(0);
        await expect(store.counters.increment(GUILD_A, 'questions', 0.5)).rejects.toThrow(RangeError);
      });
    });

    it('keeps two servers and a DM apart in everything', async () => {
      const scopes: Scope[] = [GUILD_A, GUILD_B, DM_ALICE];
      const ids = new Map<Scope, number>();
      for (const [i, scope] of scopes.entries()) {
        for (let n = 0; n <= i; n += 1) {
          const added = await store.notes.add(note({ scope, text: `${scope} ${n}` }), 1000 + n);
          ids.set(scope, added.id);
        }
        await store.notes.add(note({ scope, private: true, text: `${scope} private` }), 5000);
        await store.openQuestions.add({ scope, question: `${scope}?`, askerId: ALICE, askerName: 'Alice', confidence: 'low' }, 1000);
        await store.counters.increment(scope, 'asked', 10 * (i + 1));
      }
      for (const [i, scope] of scopes.entries()) {
        const page = await store.notes.list({ scope, viewerId: ALICE, limit: 100 });
        expect(page.total).toBe(i + 2);
        expect(page.notes.every((found) => found.scope === scope && found.text.startsWith(scope))).toBe(true);
        expect((await store.notes.list({ scope, viewerId: ALICE, article: 'photosynthesis', paragraph: 1, limit: 100 })).total).toBe(i + 2);
        expect((await store.notes.list({ scope, viewerId: ALICE, authorId: ALICE, limit: 100 })).total).toBe(i + 2);
        expect(await store.notes.countByParagraph(scope, ALICE, 'photosynthesis')).toEqual(new Map([[1, i + 2]]));
        expect(await store.openQuestions.list(scope, 10)).toMatchObject({ total: 1, questions: [{ question: `${scope}?` }] });
        expect(await store.counters.get(scope, 'asked')).toBe(10 * (i + 1));
        for (const other of scopes.filter((candidate) => candidate !== scope)) {
          const id = ids.get(other) as number;
          expect(await store.notes.get(scope, id)).toBeUndefined();
          expect(await store.notes.delete(scope, id)).toBe(false);
        }
      }
      expect(await store.openQuestions.clear(GUILD_B)).toBe(1);
      expect((await store.openQuestions.list(GUILD_A, 10)).total).toBe(1);
      expect((await store.openQuestions.list(DM_ALICE, 10)).total).toBe(1);
    });

    describe('discussions', () => {
      it('remembers a thread and its paragraph, in its scope only; a second add replaces the first', async () => {
        const thread = { threadId: '1300000000000000001', article: 'essay', paragraph: 5, startedBy: 'alice' };
        await store.discussions.add({ scope: GUILD_A, ...thread }, 1000);
        expect(await store.discussions.get(GUILD_A, thread.threadId)).toEqual({ scope: GUILD_A, ...thread, createdAt: 1000 });
        expect(await store.discussions.get(GUILD_B, thread.threadId)).toBeUndefined();
        expect(await store.discussions.get(GUILD_A, '1300000000000000002')).toBeUndefined();
        await store.discussions.add({ scope: GUILD_A, ...thread, paragraph: 6 }, 2000);
        expect(await store.discussions.get(GUILD_A, thread.threadId)).toMatchObject({ paragraph: 6, createdAt: 2000 });
      });
    });

    describe('quizzes', () => {
      const quiz = (overrides: Partial<NewQuiz> = {}): NewQuiz => ({
        scope: GUILD_A,
        article: 'photosynthesis',
        kind: 'cloze',
        paragraph: 3,
        sentence: 'Chlorophyll absorbs red light.',
        prompt: 'Chlorophyll absorbs _____ light.',
        options: ['green', 'red', 'blue', 'violet'],
        answer: 1,
        startedBy: ALICE,
        ...overrides,
      });
      const alice = { userId: ALICE, displayName: 'Alice' };
      const bob = { userId: BOB, displayName: 'Bob' };
      const carol = { userId: CAROL, displayName: 'Carol' };

      it('keeps a quiz whole, in its scope only, numbered upwards, and hands out copies', async () => {
        const first = await store.quizzes.create(quiz(), 1000);
        expect(first).toEqual({ ...quiz(), id: first.id, revealed: false, createdAt: 1000 });
        expect(await store.quizzes.get(GUILD_A, first.id)).toEqual(first);
        expect(await store.quizzes.get(GUILD_B, first.id)).toBeUndefined();
        const second = await store.quizzes.create(quiz({ kind: 'which-paragraph', prompt: 'Chlorophyll absorbs red light.', options: ['¶1', '¶2', '¶3', '¶4'], answer: 2 }), 2000);
        expect(second.id).toBeGreaterThan(first.id);
        const read = (await store.quizzes.get(GUILD_A, second.id)) as { options: string[] };
        read.options[0] = 'changed';
        expect((await store.quizzes.get(GUILD_A, second.id))?.options).toEqual(['¶1', '¶2', '¶3', '¶4']);
      });

      it('refuses a quiz whose answer is not one of its options, and a choice that is not one', async () => {
        await expect(store.quizzes.create(quiz({ answer: 4 }), 1000)).rejects.toThrow(RangeError);
        await expect(store.quizzes.create(quiz({ options: ['only'], answer: 0 }), 1000)).rejects.toThrow(RangeError);
        const { id } = await store.quizzes.create(quiz(), 1000);
        await expect(store.quizzes.answer(GUILD_A, id, alice, 4, 2000)).rejects.toThrow(RangeError);
        expect(await store.quizzes.tally(GUILD_A, id)).toEqual({ answered: 0, correct: 0 });
      });

      it('counts each member’s first answer only, with the tally after it', async () => {
        const { id } = await store.quizzes.create(quiz(), 1000);
        const right = await store.quizzes.answer(GUILD_A, id, alice, 1, 2000);
        expect(right).toMatchObject({ status: 'recorded', answer: { quizId: id, userId: ALICE, choice: 1, correct: true, answeredAt: 2000 }, tally: { answered: 1, correct: 1 } });
        const again = await store.quizzes.answer(GUILD_A, id, alice, 0, 3000);
        expect(again).toMatchObject({ status: 'already', answer: { choice: 1, correct: true, answeredAt: 2000 }, tally: { answered: 1, correct: 1 } });
        expect(await store.quizzes.answer(GUILD_A, id, bob, 3, 4000)).toMatchObject({ status: 'recorded', answer: { correct: false }, tally: { answered: 2, correct: 1 } });
        expect(await store.quizzes.tally(GUILD_A, id)).toEqual({ answered: 2, correct: 1 });
        expect(await store.quizzes.leaderboard(GUILD_A, 10)).toEqual([
          { userId: ALICE, displayName: 'Alice', answered: 1, correct: 1 },
          { userId: BOB, displayName: 'Bob', answered: 1, correct: 0 },
        ]);
      });

      it('answers nothing for a quiz of another scope or none at all', async () => {
        const { id } = await store.quizzes.create(quiz(), 1000);
        expect(await store.quizzes.answer(GUILD_B, id, alice, 1, 2000)).toEqual({ status: 'missing' });
        expect(await store.quizzes.answer(GUILD_A, id + 1, alice, 1, 2000)).toEqual({ status: 'missing' });
        expect(await store.quizzes.tally(GUILD_B, id)).toEqual({ answered: 0, correct: 0 });
        expect(await store.quizzes.leaderboard(GUILD_B, 10)).toEqual([]);
        expect(await store.quizzes.reveal(GUILD_B, id)).toBe(false);
        expect((await store.quizzes.get(GUILD_A, id))?.revealed).toBe(false);
      });

      it('after a reveal, answers no longer count', async () => {
        const { id } = await store.quizzes.create(quiz(), 1000);
        await store.quizzes.answer(GUILD_A, id, alice, 1, 2000);
        expect(await store.quizzes.reveal(GUILD_A, id)).toBe(true);
        expect((await store.quizzes.get(GUILD_A, id))?.revealed).toBe(true);
        expect(await store.quizzes.answer(GUILD_A, id, bob, 1, 3000)).toMatchObject({ status: 'revealed', quiz: { id, revealed: true }, tally: { answered: 1, correct: 1 } });
        expect(await store.quizzes.standing(GUILD_A, BOB)).toBeUndefined();
      });

      it('ranks by right answers, then fewer answers; equal records share a rank; the latest name is shown', async () => {
        const ids: number[] = [];
        for (let i = 0; i < 3; i += 1) ids.push((await store.quizzes.create(quiz(), 1000 + i)).id);
        const [q1, q2, q3] = ids as [number, number, number];
        // Alice: 2 of 3 right. Bob: 2 of 2. Carol: 1 of 1, then renamed.
        await store.quizzes.answer(GUILD_A, q1, alice, 1, 2000);
        await store.quizzes.answer(GUILD_A, q2, alice, 1, 2001);
        await store.quizzes.answer(GUILD_A, q3, alice, 0, 2002);
        await store.quizzes.answer(GUILD_A, q1, bob, 1, 2003);
        await store.quizzes.answer(GUILD_A, q2, bob, 1, 2004);
        await store.quizzes.answer(GUILD_A, q1, { userId: CAROL, displayName: 'Caz' }, 1, 2005);
        await store.quizzes.answer(GUILD_A, q2, carol, 2, 2006);
        expect((await store.quizzes.leaderboard(GUILD_A, 10)).map((score) => [score.displayName, score.correct, score.answered])).toEqual([
          ['Bob', 2, 2],
          ['Alice', 2, 3],
          ['Carol', 1, 2],
        ]);
        expect(await store.quizzes.leaderboard(GUILD_A, 1)).toHaveLength(1);
        expect(await store.quizzes.standing(GUILD_A, ALICE)).toEqual({ score: { userId: ALICE, displayName: 'Alice', answered: 3, correct: 2 }, rank: 2 });
        expect(await store.quizzes.standing(GUILD_A, CAROL)).toMatchObject({ rank: 3 });
        expect(await store.quizzes.standing(GUILD_B, ALICE)).toBeUndefined();
        // Carol catches up with Alice exactly: they share second place.
        await store.quizzes.answer(GUILD_A, q3, carol, 1, 2007);
        expect((await store.quizzes.standing(GUILD_A, CAROL))?.rank).toBe(2);
        expect((await store.quizzes.standing(GUILD_A, ALICE))?.rank).toBe(2);
        expect((await store.quizzes.leaderboard(GUILD_A, 10)).map((score) => score.userId)).toEqual([BOB, ...[ALICE, CAROL].sort()]);
      });

      it('forgets a member’s answers and score in one scope only; they may answer again', async () => {
        const here = await store.quizzes.create(quiz(), 1000);
        const there = await store.quizzes.create(quiz({ scope: GUILD_B }), 1000);
        const mine = await store.quizzes.create(quiz({ scope: DM_ALICE }), 1000);
        await store.quizzes.answer(GUILD_A, here.id, alice, 1, 2000);
        await store.quizzes.answer(GUILD_A, here.id, bob, 1, 2000);
        await store.quizzes.answer(GUILD_B, there.id, alice, 1, 2000);
        await store.quizzes.answer(DM_ALICE, mine.id, alice, 1, 2000);
        expect(await store.quizzes.forget(GUILD_A, ALICE)).toBe(1);
        expect(await store.quizzes.standing(GUILD_A, ALICE)).toBeUndefined();
        expect(await store.quizzes.tally(GUILD_A, here.id)).toEqual({ answered: 1, correct: 1 });
        expect((await store.quizzes.leaderboard(GUILD_A, 10)).map((score) => score.userId)).toEqual([BOB]);
        expect(await store.quizzes.standing(GUILD_B, ALICE)).toMatchObject({ rank: 1 });
        expect(await store.quizzes.standing(DM_ALICE, ALICE)).toMatchObject({ score: { answered: 1 } });
        expect(await store.quizzes.forget(GUILD_A, ALICE)).toBe(0);
        expect(await store.quizzes.answer(GUILD_A, here.id, alice, 0, 3000)).toMatchObject({ status: 'recorded', tally: { answered: 2, correct: 1 } });
      });
    });

    describe('reading plans', () => {
      const plan = (overrides: Partial<NewReadingPlan> = {}): NewReadingPlan => ({
        scope: GUILD_A,
        channelId: '1300000000000000010',
        article: 'essay',
        paragraphsPerPart: 3,
        every: 'day',
        at: '09:00',
        timeZone: 'Europe/Berlin',
        weekday: 5,
        startedBy: ALICE,
        startedByName: 'Alice',
        nextDueAt: 10_000,
        ...overrides,
      });
      const claimOf = (overrides: Partial<ReadingClaim> = {}): ReadingClaim => ({ part: 1, from: 1, to: 3, dueAt: 10_000, claimedAt: 10_500, ...overrides });

      it('starts one plan per scope at ¶1, replacing only a finished one, and reads it back in its scope only', async () => {
        const started = await store.readingPlans.start(plan(), 1000);
        const expected: ReadingPlan = { ...plan(), status: 'active', nextParagraph: 1, partsPosted: 0, createdAt: 1000 };
        expect(started).toEqual(expected);
        expect(await store.readingPlans.get(GUILD_A)).toEqual(expected);
        expect(await store.readingPlans.get(GUILD_B)).toBeUndefined();
        expect(await store.readingPlans.start(plan({ channelId: 'other' }), 2000)).toBeUndefined();
        expect(await store.readingPlans.pause(GUILD_A, 'paused by Alice')).toBe(true);
        expect(await store.readingPlans.start(plan({ channelId: 'other' }), 2000)).toBeUndefined();
        expect((await store.readingPlans.get(GUILD_A))?.channelId).toBe('1300000000000000010');

        expect(await store.readingPlans.resume(GUILD_A, 10_000)).toBe(true);
        const last = claimOf({ from: 1, to: 11, part: 1 });
        expect(await store.readingPlans.claim(GUILD_A, last)).toBe(true);
        expect(await store.readingPlans.complete(GUILD_A, last, { partDone: true, finished: true, nextDueAt: 20_000 })).toBe(true);
        expect((await store.readingPlans.get(GUILD_A))?.status).toBe('finished');
        const again = await store.readingPlans.start(plan({ every: 'week', at: '18:30', timeZone: 'America/New_York', weekday: 2 }), 3000);
        expect(again).toEqual({ ...plan({ every: 'week', at: '18:30', timeZone: 'America/New_York', weekday: 2 }), status: 'active', nextParagraph: 1, partsPosted: 0, createdAt: 3000 });
        expect(await store.readingPlans.start(plan({ scope: GUILD_B }), 3000)).toMatchObject({ scope: GUILD_B });
      });

      it('claims the next message once, only when due and active, and only the holder completes or releases it', async () => {
        await store.readingPlans.start(plan(), 1000);
        expect(await store.readingPlans.claim(GUILD_A, claimOf({ claimedAt: 9_999 }))).toBe(false);
        expect(await store.readingPlans.claim(GUILD_A, claimOf({ from: 2 }))).toBe(false);
        const claim = claimOf();
        expect(await store.readingPlans.claim(GUILD_A, claim)).toBe(true);
        expect(await store.readingPlans.claim(GUILD_A, claimOf({ claimedAt: 10_600 }))).toBe(false);
        expect((await store.readingPlans.get(GUILD_A))?.claim).toEqual(claim);

        const other = claimOf({ claimedAt: 10_600 });
        expect(await store.readingPlans.complete(GUILD_A, other, { partDone: true, finished: false, nextDueAt: 50_000 })).toBe(false);
        expect(await store.readingPlans.release(GUILD_A, other, 50_000)).toBe(false);
        expect(await store.readingPlans.complete(GUILD_B, claim, { partDone: true, finished: false, nextDueAt: 50_000 })).toBe(false);

        expect(await store.readingPlans.complete(GUILD_A, claim, { partDone: true, finished: false, nextDueAt: 50_000 })).toBe(true);
        expect(await store.readingPlans.complete(GUILD_A, claim, { partDone: true, finished: false, nextDueAt: 60_000 })).toBe(false);
        const after = await store.readingPlans.get(GUILD_A);
        expect(after).toMatchObject({ nextParagraph: 4, partsPosted: 1, nextDueAt: 50_000, status: 'active' });
        expect(after?.claim).toBeUndefined();
      });

      it('moves the position message by message within a part, and releases a message that was not posted', async () => {
        await store.readingPlans.start(plan({ paragraphsPerPart: 11 }), 1000);
        const first = claimOf({ to: 6 });
        expect(await store.readingPlans.claim(GUILD_A, first)).toBe(true);
        expect(await store.readingPlans.complete(GUILD_A, first, { partDone: false, finished: false, nextDueAt: 10_000 })).toBe(true);
        expect(await store.readingPlans.get(GUILD_A)).toMatchObject({ nextParagraph: 7, partsPosted: 0, nextDueAt: 10_000 });

        const second = claimOf({ from: 7, to: 11, claimedAt: 10_700 });
        expect(await store.readingPlans.claim(GUILD_A, second)).toBe(true);
        expect(await store.readingPlans.release(GUILD_A, second, 70_000)).toBe(true);
        const released = await store.readingPlans.get(GUILD_A);
        expect(released).toMatchObject({ nextParagraph: 7, partsPosted: 0, nextDueAt: 70_000, status: 'active' });
        expect(released?.claim).toBeUndefined();
      });

      it('lists what is due, claimed plans whatever their time or status, and the earliest due time', async () => {
        expect(await store.readingPlans.nextDueAt()).toBeUndefined();
        expect(await store.readingPlans.due(1e12)).toEqual([]);
        await store.readingPlans.start(plan({ scope: GUILD_A, nextDueAt: 30_000 }), 1000);
        await store.readingPlans.start(plan({ scope: GUILD_B, nextDueAt: 20_000 }), 1000);
        await store.readingPlans.start(plan({ scope: DM_ALICE, nextDueAt: 40_000 }), 1000);
        expect(await store.readingPlans.nextDueAt()).toBe(20_000);
        expect((await store.readingPlans.due(19_999)).map((found) => found.scope)).toEqual([]);
        expect((await store.readingPlans.due(30_000)).map((found) => found.scope)).toEqual([GUILD_B, GUILD_A]);

        await store.readingPlans.pause(GUILD_B, 'paused by Bob');
        expect((await store.readingPlans.due(30_000)).map((found) => found.scope)).toEqual([GUILD_A]);
        expect(await store.readingPlans.nextDueAt()).toBe(30_000);

        const claim = claimOf({ dueAt: 40_000, claimedAt: 40_100 });
        expect(await store.readingPlans.claim(DM_ALICE, claim)).toBe(true);
        expect(await store.readingPlans.pause(DM_ALICE, 'paused by Alice')).toBe(true);
        expect((await store.readingPlans.due(0)).map((found) => found.scope)).toEqual([DM_ALICE]);
        expect(await store.readingPlans.nextDueAt()).toBe(30_000);
        // A paused plan's claim can still be settled; it stays paused.
        expect(await store.readingPlans.complete(DM_ALICE, claim, { partDone: true, finished: false, nextDueAt: 90_000 })).toBe(true);
        expect(await store.readingPlans.get(DM_ALICE)).toMatchObject({ status: 'paused', pausedReason: 'paused by Alice', nextParagraph: 4 });
      });

      it('pauses, resumes, posts now and stops only what exists in the right state', async () => {
        expect(await store.readingPlans.pause(GUILD_A, 'x')).toBe(false);
        expect(await store.readingPlans.resume(GUILD_A, 1)).toBe(false);
        expect(await store.readingPlans.postNow(GUILD_A, 1)).toBe(false);
        expect(await store.readingPlans.stop(GUILD_A)).toBe(false);
        await store.readingPlans.start(plan({ nextDueAt: 50_000 }), 1000);
        expect(await store.readingPlans.resume(GUILD_A, 1)).toBe(false);
        expect(await store.readingPlans.postNow(GUILD_A, 60_000)).toBe(true);
        expect((await store.readingPlans.get(GUILD_A))?.nextDueAt).toBe(50_000);
        expect(await store.readingPlans.postNow(GUILD_A, 2_000)).toBe(true);
        expect((await store.readingPlans.get(GUILD_A))?.nextDueAt).toBe(2_000);
        expect(await store.readingPlans.pause(GUILD_A, 'Footnote may not post there')).toBe(true);
        expect(await store.readingPlans.pause(GUILD_A, 'again')).toBe(false);
        expect(await store.readingPlans.postNow(GUILD_A, 1_000)).toBe(false);
        expect(await store.readingPlans.get(GUILD_A)).toMatchObject({ status: 'paused', pausedReason: 'Footnote may not post there' });
        expect(await store.readingPlans.resume(GUILD_A, 80_000)).toBe(true);
        const resumed = await store.readingPlans.get(GUILD_A);
        expect(resumed).toMatchObject({ status: 'active', nextDueAt: 80_000 });
        expect(resumed?.pausedReason).toBeUndefined();
        expect(await store.readingPlans.stop(GUILD_A)).toBe(true);
        expect(await store.readingPlans.get(GUILD_A)).toBeUndefined();
      });

      it('hands out copies', async () => {
        await store.readingPlans.start(plan(), 1000);
        await store.readingPlans.claim(GUILD_A, claimOf());
        const read = (await store.readingPlans.get(GUILD_A)) as ReadingPlan;
        read.nextParagraph = 99;
        (read.claim as ReadingClaim).to = 99;
        expect(await store.readingPlans.get(GUILD_A)).toMatchObject({ nextParagraph: 1, claim: claimOf() });
      });
    });

    describe('rate limits', () => {
      it('allow `limit` requests in any window, then refuse until the oldest leaves it, telling the first refusal once', async () => {
        const take = (now: number) => store.rateLimits.take('cooldown:alice', 3, 10_000, now);
        expect(await take(0)).toEqual({ allowed: true });
        expect(await take(1_000)).toEqual({ allowed: true });
        expect(await take(2_000)).toEqual({ allowed: true });
        expect(await take(5_000)).toEqual({ allowed: false, retryAfterMs: 5_000, firstRefusal: true });
        expect(await take(6_000)).toEqual({ allowed: false, retryAfterMs: 4_000, firstRefusal: false });
        // Sliding: the request at 0 leaves the window at 10 000, the one at 1 000 at 11 000.
        expect(await take(10_000)).toEqual({ allowed: true });
        expect(await take(10_500)).toEqual({ allowed: false, retryAfterMs: 500, firstRefusal: true });
        expect(await take(11_000)).toEqual({ allowed: true });
        expect(await store.rateLimits.take('cooldown:bob', 3, 10_000, 11_000)).toEqual({ allowed: true });
      });

      it('let exactly `limit` of many simultaneous requests through', async () => {
        const verdicts = await Promise.all(Array.from({ length: 20 }, () => store.rateLimits.take('cooldown:carol', 5, 60_000, 1_000)));
        expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(5);
        expect(verdicts.filter((verdict) => !verdict.allowed && verdict.firstRefusal)).toHaveLength(1);
      });

      it('forget keys whose requests have all left their window, and refuse a limit that is not one', async () => {
        await store.rateLimits.take('short', 1, 1_000, 0);
        await store.rateLimits.take('long', 1, 60_000, 0);
        expect(await store.rateLimits.prune(999)).toBe(0);
        expect(await store.rateLimits.prune(1_000)).toBe(1);
        expect(await store.rateLimits.take('long', 1, 60_000, 1_000)).toMatchObject({ allowed: false, retryAfterMs: 59_000 });
        expect(await store.rateLimits.take('short', 1, 1_000, 1_000)).toEqual({ allowed: true });
        await expect(store.rateLimits.take('bad', 0, 1_000, 0)).rejects.toThrow(RangeError);
        await expect(store.rateLimits.take('bad', 1, 0.5, 0)).rejects.toThrow(RangeError);
      });
    });

    describe('conversations', () => {
      it('keep the newest exchange per key, read back only when recent enough, and prune old ones', async () => {
        expect(await store.conversations.get('guild:1:chan:alice', 0)).toBeUndefined();
        await store.conversations.put('guild:1:chan:alice', { data: '{"question":"Why?"}', at: 5_000 });
        await store.conversations.put('guild:1:chan:bob', { data: '{"question":"Who?"}', at: 1_000 });
        expect(await store.conversations.get('guild:1:chan:alice', 5_000)).toEqual({ data: '{"question":"Why?"}', at: 5_000 });
        expect(await store.conversations.get('guild:1:chan:alice', 5_001)).toBeUndefined();
        // A late write of an older exchange (another worker's) does not replace the newer one.
        await store.conversations.put('guild:1:chan:alice', { data: '{"question":"Older?"}', at: 4_000 });
        expect(await store.conversations.get('guild:1:chan:alice', 0)).toMatchObject({ data: '{"question":"Why?"}' });
        await store.conversations.put('guild:1:chan:alice', { data: '{"question":"Newer?"}', at: 6_000 });
        expect(await store.conversations.get('guild:1:chan:alice', 0)).toEqual({ data: '{"question":"Newer?"}', at: 6_000 });
        expect(await store.conversations.prune(2_000)).toBe(1);
        expect(await store.conversations.get('guild:1:chan:bob', 0)).toBeUndefined();
        expect(await store.conversations.get('guild:1:chan:alice', 0)).toMatchObject({ at: 6_000 });
      });
    });

    describe('leases', () => {
      it('go to one holder at a time, are renewed by it, and are taken over once expired or released', async () => {
        expect(await store.leases.acquire('gateway:1', 'a', 1000, 2000)).toBe(true);
        expect(await store.leases.acquire('gateway:1', 'b', 1500, 2500)).toBe(false);
        expect(await store.leases.acquire('gateway:1', 'a', 1500, 3000)).toBe(true);
        expect(await store.leases.acquire('gateway:1', 'b', 2999, 4000)).toBe(false);
        expect(await store.leases.acquire('gateway:1', 'b', 3001, 4000)).toBe(true);
        expect(await store.leases.acquire('gateway:2', 'a', 3001, 4000)).toBe(true);
        await store.leases.release('gateway:1', 'a');
        expect(await store.leases.acquire('gateway:1', 'a', 3002, 4000)).toBe(false);
        await store.leases.release('gateway:1', 'b');
        expect(await store.leases.acquire('gateway:1', 'a', 3002, 4000)).toBe(true);
        expect(await store.leases.holderOf('gateway:1')).toBe('a');
        // A holder known to be dead is replaced before its lease runs out; a live one is not.
        expect(await store.leases.acquire('gateway:1', 'c', 3003, 5000, 'b')).toBe(false);
        expect(await store.leases.acquire('gateway:1', 'c', 3003, 5000, 'a')).toBe(true);
        expect(await store.leases.holderOf('gateway:9')).toBeUndefined();
      });
    });

    describe('texts', () => {
      const text = (slug: string, scope = GUILD_A): NewLibraryText => ({
        scope,
        slug,
        title: `Title ${slug}`,
        author: 'A. Writer',
        source: 'https://example.com/x',
        markdown: `---\ntitle: x\nauthor: y\n---\n\nBody of ${slug}.\n`,
        paragraphs: 1,
        chars: 10,
        addedBy: ALICE,
      });

      it('adds, lists, finds and reads a text in its scope only; a slug is taken once; a full library refuses', async () => {
        const added = await store.texts.add(text('week-1'), 2, 1000);
        expect(added).toEqual({ added: expect.objectContaining({ slug: 'week-1', scope: GUILD_A, addedAt: 1000, paragraphs: 1 }) });
        expect(await store.texts.add(text('week-1'), 2, 1001)).toEqual({ refused: 'taken' });
        expect(await store.texts.add(text('week-1', GUILD_B), 2, 1001)).toHaveProperty('added');
        await store.texts.add(text('week-2'), 2, 1002);
        expect(await store.texts.add(text('week-3'), 2, 1003)).toEqual({ refused: 'full' });
        expect((await store.texts.list(GUILD_A)).map((t) => t.slug)).toEqual(['week-1', 'week-2']);
        const found = await store.texts.find(GUILD_A, 'week-2');
        expect(await store.texts.markdown(found?.id ?? -1)).toContain('Body of week-2.');
        expect(await store.texts.find(GUILD_B, 'week-2')).toBeUndefined();
      });

      it('keeps a default per scope and removes a text with its notes, quizzes, plan and default, in one go', async () => {
        await store.texts.add(text('week-1'), 50, 1000);
        await store.texts.setDefault(GUILD_A, 'week-1');
        expect(await store.texts.getDefault(GUILD_A)).toBe('week-1');
        expect(await store.texts.getDefault(GUILD_B)).toBeUndefined();
        await store.notes.add(note({ article: 'week-1' }), 1000);
        await store.notes.add(note({ article: 'week-1', scope: GUILD_B }), 1000);
        expect(await store.texts.dependents(GUILD_A, 'week-1')).toEqual({ notes: 1, quizzes: 0, plans: 0 });
        expect(await store.texts.remove(GUILD_A, 'week-1')).toEqual({ notes: 1, quizzes: 0, plans: 0 });
        expect(await store.texts.remove(GUILD_A, 'week-1')).toBeUndefined();
        expect(await store.texts.getDefault(GUILD_A)).toBeUndefined();
        expect((await store.notes.list({ scope: GUILD_B, viewerId: ALICE, limit: 10 })).total).toBe(1);
      });
    });

    describe('the organizer’s records', () => {
      const ada = { userId: ALICE, displayName: 'Ada' };
      const bo = { userId: BOB, displayName: 'Bo' };

      it('counts one Helpful vote per member, withdrawable, never on one’s own or an unseen private note', async () => {
        const shared = await store.notes.add(note({ authorId: CAROL, authorName: 'Cy' }), 1000);
        const hidden = await store.notes.add(note({ authorId: CAROL, authorName: 'Cy', private: true }), 1000);
        expect(await store.notes.toggleHelpful(GUILD_A, shared.id, ada, 2000)).toEqual({ voted: true, count: 1 });
        expect(await store.notes.toggleHelpful(GUILD_A, shared.id, bo, 2000)).toEqual({ voted: true, count: 2 });
        expect(await store.notes.toggleHelpful(GUILD_A, shared.id, ada, 2000)).toEqual({ voted: false, count: 1 });
        expect(await store.notes.toggleHelpful(GUILD_A, shared.id, { userId: CAROL, displayName: 'Cy' }, 2000)).toBe('own');
        expect(await store.notes.toggleHelpful(GUILD_A, hidden.id, ada, 2000)).toBeUndefined();
        expect(await store.notes.toggleHelpful(GUILD_B, shared.id, ada, 2000)).toBeUndefined();
        expect(await store.notes.helpfulCounts(GUILD_A, [shared.id, hidden.id])).toEqual(new Map([[shared.id, 1]]));
        const newer = await store.notes.add(note({ authorId: CAROL, authorName: 'Cy', text: 'Newer, no votes' }), 3000);
        const top = await store.notes.list({ scope: GUILD_A, viewerId: ALICE, limit: 10, sort: 'top' });
        expect(top.notes.map((found) => found.id)).toEqual([shared.id, newer.id]);
        expect(top.total).toBe(2);
        expect(await store.notes.delete(GUILD_A, shared.id)).toBe(true);
        expect(await store.notes.helpfulCounts(GUILD_A, [shared.id])).toEqual(new Map());
      });

      it('flags a paragraph once per member, withdrawable, per scope and text', async () => {
        expect(await store.confusion.toggle(GUILD_A, 'a', 6, ada, 1000)).toEqual({ flagged: true, count: 1 });
        expect(await store.confusion.toggle(GUILD_A, 'a', 6, bo, 1000)).toEqual({ flagged: true, count: 2 });
        expect(await store.confusion.toggle(GUILD_A, 'a', 6, ada, 1000)).toEqual({ flagged: false, count: 1 });
        await store.confusion.toggle(GUILD_A, 'b', 6, ada, 1000);
        await store.confusion.toggle(GUILD_B, 'a', 2, ada, 1000);
        expect(await store.confusion.counts(GUILD_A, 'a')).toEqual(new Map([[6, 1]]));
        expect(await store.confusion.counts(GUILD_B, 'a')).toEqual(new Map([[2, 1]]));
      });

      it('keeps assignments with done marks and reminder wishes, and hands their reminders out once', async () => {
        const base = { scope: GUILD_A, article: 'a', from: 1, to: 4, dueAt: 100_000, timeZone: 'UTC', channelId: 'c', createdBy: ALICE, createdByName: 'Ada', remindAt: 50_000 };
        const made = await store.assignments.create({ ...base, source: 'assign:1' }, 1000);
        expect(await store.assignments.create({ ...base, source: 'assign:1', to: 9 }, 2000)).toEqual(made);
        expect(made).toMatchObject({ from: 1, to: 4, reminded: false });
        expect(await store.assignments.toggleDone(GUILD_A, made.id, ada, 3000)).toEqual({ done: true, count: 1 });
        expect(await store.assignments.toggleDone(GUILD_A, made.id, bo, 3000)).toEqual({ done: true, count: 2 });
        expect(await store.assignments.toggleDone(GUILD_A, made.id, bo, 3000)).toEqual({ done: false, count: 1 });
        expect(await store.assignments.toggleDone(GUILD_B, made.id, bo, 3000)).toBeUndefined();
        expect(await store.assignments.toggleReminder(GUILD_A, made.id, bo)).toBe(true);
        expect(await store.assignments.toggleReminder(GUILD_A, made.id, ada)).toBe(true);
        expect(await store.assignments.progress(GUILD_A, made.id, ALICE)).toEqual({ done: 1, mine: true, remindMe: true });
        expect(await store.assignments.progress(GUILD_A, made.id, CAROL)).toEqual({ done: 1, mine: false, remindMe: false });
        expect(await store.assignments.nextReminderAt()).toBe(50_000);
        expect(await store.assignments.dueReminders(40_000, 10)).toEqual([]);
        expect((await store.assignments.dueReminders(60_000, 10)).map((due) => due.id)).toEqual([made.id]);
        // Ada is done: only Bo is reminded; two claims, one winner.
        expect(await store.assignments.toRemind(made.id)).toEqual([BOB]);
        expect((await Promise.all([store.assignments.claimReminders(made.id), store.assignments.claimReminders(made.id)])).filter(Boolean)).toHaveLength(1);
        expect(await store.assignments.dueReminders(60_000, 10)).toEqual([]);
        // Made after its reminder time: no reminder at all.
        expect(await store.assignments.create({ ...base, source: 'assign:2', remindAt: 500 }, 1000)).toMatchObject({ reminded: true });
        expect((await store.assignments.list(GUILD_A, 10)).map((found) => found.source)).toEqual(['assign:2', 'assign:1']);
        expect(await store.assignments.list(GUILD_B, 10)).toEqual([]);
      });

      it('adds answers per paragraph across flushes, and sums every record kind per paragraph and member', async () => {
        store.activity.recordAnswer(GUILD_A, 'a', 6, 'high');
        store.activity.recordAnswer(GUILD_A, 'a', 6, 'high');
        store.activity.recordAnswer(GUILD_A, 'a', 6, 'low');
        await store.activity.flush();
        store.activity.recordAnswer(GUILD_A, 'a', 6, 'high');
        store.activity.recordAnswer(GUILD_B, 'a', 6, 'high');
        const shared = await store.notes.add(note({ article: 'a', paragraph: 6, authorId: CAROL, authorName: 'Cy' }), 1000);
        await store.notes.add(note({ article: 'a', paragraph: 6, private: true }), 1000);
        await store.notes.toggleHelpful(GUILD_A, shared.id, ada, 1000);
        await store.confusion.toggle(GUILD_A, 'a', 6, bo, 1000);
        const quiz = await store.quizzes.create({ scope: GUILD_A, article: 'a', kind: 'cloze', paragraph: 6, sentence: 's', prompt: 'p', options: ['x', 'y'], answer: 0, startedBy: ALICE }, 1000);
        await store.quizzes.answer(GUILD_A, quiz.id, ada, 1, 1000);
        await store.quizzes.answer(GUILD_A, quiz.id, bo, 0, 1000);
        const made = await store.assignments.create({ scope: GUILD_A, source: 's', article: 'a', from: 1, to: 6, dueAt: 9e9, timeZone: 'UTC', channelId: 'c', createdBy: ALICE, createdByName: 'Ada', remindAt: 9e9 }, 1000);
        await store.assignments.toggleDone(GUILD_A, made.id, bo, 1000);
        expect(await store.activity.paragraphs(GUILD_A, 'a')).toEqual([{ paragraph: 6, answered: 3, low: 1, quizAnswers: 2, quizMisses: 1, notes: 1, helpful: 1, confusing: 1 }]);
        expect(await store.activity.paragraphs(GUILD_B, 'a')).toEqual([{ paragraph: 6, answered: 1, low: 0, quizAnswers: 0, quizMisses: 0, notes: 0, helpful: 0, confusing: 0 }]);
        expect(await store.activity.members(GUILD_A)).toEqual([
          { userId: BOB, displayName: 'Bo', notes: 0, quizAnswers: 1, votes: 0, flags: 1, done: 1 },
          { userId: ALICE, displayName: 'Ada', notes: 0, quizAnswers: 1, votes: 1, flags: 0, done: 0 },
          { userId: CAROL, displayName: 'Cy', notes: 1, quizAnswers: 0, votes: 0, flags: 0, done: 0 },
        ]);
        expect(await store.activity.members(GUILD_A, CAROL)).toEqual([{ userId: CAROL, displayName: 'Cy', notes: 1, quizAnswers: 0, votes: 0, flags: 0, done: 0 }]);
        expect(await store.activity.members(GUILD_B, CAROL)).toEqual([]);
        expect(await store.activity.forget(GUILD_A, BOB)).toBe(2);
        expect((await store.activity.members(GUILD_A)).find((member) => member.userId === BOB)).toMatchObject({ flags: 0, done: 0, quizAnswers: 1 });
        expect(await store.notes.forgetAuthor(GUILD_A, CAROL)).toBe(1);
        expect((await store.activity.paragraphs(GUILD_A, 'a'))[0]).toMatchObject({ notes: 0, helpful: 0 });
      });
    });

    describe('review decks', () => {
      const card = (overrides: Partial<NewReviewCard> = {}): NewReviewCard => ({
        scope: GUILD_A,
        userId: ALICE,
        kind: 'sentence',
        sourceKey: 'sentence:a:1:abc',
        article: 'photosynthesis',
        paragraph: 1,
        front: 'What fills the blank?',
        back: 'light',
        sentence: 'Plants use light.',
        schedule: '{}',
        dueAt: 1000,
        reps: 0,
        ...overrides,
      });

      it('adds a card once per source and person, within the deck’s size, and keeps decks apart', async () => {
        const first = await store.reviews.add([card(), card({ sourceKey: 'quiz:1', kind: 'quiz' })], 3, 1000);
        expect(first.added.map((added) => added.sourceKey)).toEqual(['sentence:a:1:abc', 'quiz:1']);
        expect(await store.reviews.get(GUILD_A, ALICE, first.added[0]?.id ?? 0)).toEqual(first.added[0]);
        const again = await store.reviews.add([card(), card({ sourceKey: 'quiz:2' }), card({ sourceKey: 'quiz:3' })], 3, 1000);
        expect(again).toMatchObject({ already: 1, full: true });
        expect(again.added).toHaveLength(1);
        // Bob's deck, and Alice's in another server, are other decks.
        expect((await store.reviews.add([card({ userId: BOB }), card({ scope: GUILD_B })], 3, 1000)).added).toHaveLength(2);
        expect(await store.reviews.get(GUILD_B, ALICE, first.added[0]?.id ?? 0)).toBeUndefined();
        expect(await store.reviews.get(GUILD_A, BOB, first.added[0]?.id ?? 0)).toBeUndefined();
        expect(await store.reviews.deckSummary(GUILD_A, ALICE, 1000)).toEqual({ cards: 3, due: 3 });
        expect(await store.reviews.dueByScope(ALICE, 1000)).toEqual(new Map([[GUILD_A, 3], [GUILD_B, 1]]));
      });

      it('grades a card once per showing, logs it, and finds the next due', async () => {
        const [early, late] = (await store.reviews.add([card({ dueAt: 500 }), card({ sourceKey: 'quiz:1', dueAt: 800 })], 10, 100)).added;
        expect((await store.reviews.nextDue(GUILD_A, ALICE, 400))).toBeUndefined();
        expect((await store.reviews.nextDue(GUILD_A, ALICE, 900))?.id).toBe(early?.id);
        const grade = { expectedReps: 0, schedule: '{"s":1}', dueAt: 5000, rating: 3, state: 0, now: 900 };
        const graded = await store.reviews.grade(GUILD_A, ALICE, early?.id ?? 0, grade);
        expect(graded).toMatchObject({ reps: 1, dueAt: 5000, schedule: '{"s":1}' });
        // A second click on the same showing, here or in another process, changes nothing.
        expect(await store.reviews.grade(GUILD_A, ALICE, early?.id ?? 0, grade)).toBeUndefined();
        expect(await store.reviews.grade(GUILD_A, BOB, late?.id ?? 0, grade)).toBeUndefined();
        expect(await store.reviews.log(GUILD_A, ALICE, 0)).toEqual([{ cardId: early?.id, rating: 3, state: 0, reviewedAt: 900 }]);
        expect((await store.reviews.nextDue(GUILD_A, ALICE, 900))?.id).toBe(late?.id);
        expect(await store.reviews.deckSummary(GUILD_A, ALICE, 900)).toEqual({ cards: 2, due: 1, nextDueAt: 5000 });
        expect((await store.reviews.cards(GUILD_A, ALICE, 1, 1)).map((one) => one.id)).toEqual([late?.id]);
        expect(await store.reviews.forget(GUILD_A, ALICE)).toBe(2);
        expect(await store.reviews.log(GUILD_A, ALICE, 0)).toEqual([]);
        expect(await store.reviews.deckSummary(GUILD_A, ALICE, 900)).toEqual({ cards: 0, due: 0 });
      });

      it('claims a reminder for exactly one caller, and stops it with a reason told once', async () => {
        await store.reviews.setReminder({ userId: ALICE, at: '08:00', timeZone: 'Europe/Berlin', nextAt: 1000 });
        await store.reviews.setReminder({ userId: BOB, at: '09:00', timeZone: 'UTC', nextAt: 3000 });
        expect(await store.reviews.nextReminderAt()).toBe(1000);
        expect((await store.reviews.dueReminders(2000, 10)).map((reminder) => reminder.userId)).toEqual([ALICE]);
        const claims = await Promise.all([store.reviews.claimReminder(ALICE, 1000, 90_000, true), store.reviews.claimReminder(ALICE, 1000, 90_000, true)]);
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await store.reviews.getReminder(ALICE)).toMatchObject({ nextAt: 90_000, lastSentAt: 1000, status: 'active' });
        await store.reviews.stopReminder(ALICE, 'DMs closed');
        expect(await store.reviews.getReminder(ALICE)).toMatchObject({ status: 'stopped', stoppedReason: 'DMs closed' });
        expect(await store.reviews.claimReminder(ALICE, 90_000, 180_000, true)).toBe(false);
        expect(await store.reviews.nextReminderAt()).toBe(3000);
        await store.reviews.clearStoppedReason(ALICE);
        expect((await store.reviews.getReminder(ALICE))?.stoppedReason).toBeUndefined();
        expect(await store.reviews.removeReminder(ALICE)).toBe(true);
        expect(await store.reviews.removeReminder(ALICE)).toBe(false);
      });
    });
  });
}

storeContract('MemoryStore', async () => new MemoryStore());
storeContract('SqliteStore', async () => new SqliteStore(temporaryDir()));
describePostgres('Postgres', (url) => storeContract('PostgresStore', () => openInFreshSchema(url)));

/** A small deterministic generator, so a failing sequence can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('the store in memory, on a file (and on Postgres) answers alike', () => {
  it('for a long random sequence of calls', async () => {
    const memory = new MemoryStore();
    const sqlite = new SqliteStore(temporaryDir());
    // Postgres too when a test database is set (its suites say so when it is not).
    const postgres = TEST_DATABASE_URL === undefined ? undefined : await openInFreshSchema(TEST_DATABASE_URL);
    try {
      const next = random(7);
      const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
      const scopes: Scope[] = [GUILD_A, GUILD_B, DM_ALICE];
      const people = [ALICE, BOB, CAROL];
      const articles = ['photosynthesis', 'tides'];
      let time = 0;
      let lastId = 0;
      const calls: ((store: Store) => Promise<unknown>)[] = [];
      for (let i = 0; i < 600; i += 1) {
        const roll = next();
        // Times repeat, and some notes are back-dated, to exercise the tie-break.
        if (next() < 0.5) time += 1000;
        const now = next() < 0.1 ? time - 5000 : time;
        const scope = pick(scopes);
        const viewerId = pick(people);
        if (roll < 0.45) {
          const added = note({ scope, article: pick(articles), paragraph: 1 + Math.floor(next() * 4), authorId: pick(people), private: next() < 0.3, text: `n${i}` });
          calls.push((store) => store.notes.add(added, now));
          lastId += 1;
        } else if (roll < 0.7) {
          const query = {
            scope,
            viewerId,
            limit: Math.floor(next() * 6),
            offset: Math.floor(next() * 4),
            ...(next() < 0.5 ? { article: pick(articles) } : {}),
            ...(next() < 0.3 ? { paragraph: 1 + Math.floor(next() * 4) } : {}),
            ...(next() < 0.3 ? { authorId: pick(people) } : {}),
          };
          calls.push((store) => store.notes.list(query));
        } else if (roll < 0.8) {
          const article = pick(articles);
          calls.push((store) => store.notes.countByParagraph(scope, viewerId, article));
        } else if (roll < 0.88) {
          const id = 1 + Math.floor(next() * Math.max(1, lastId));
          calls.push((store) => store.notes.delete(scope, id));
          calls.push((store) => store.notes.get(scope, id));
        } else if (roll < 0.92) {
          const since = Math.floor(next() * (time + 1));
          calls.push((store) => store.notes.countByAuthorSince(viewerId, since));
        } else if (roll < 0.96) {
          calls.push((store) => store.openQuestions.add({ scope, question: `q${i}`, askerId: viewerId, askerName: 'Someone', confidence: 'low' }, now));
          calls.push((store) => store.openQuestions.list(scope, 3, 1));
        } else if (roll < 0.98) {
          calls.push((store) => store.openQuestions.clear(scope));
        } else {
          const counter = pick(['a', 'b']);
          calls.push((store) => store.counters.increment(scope, counter));
        }
      }
      for (const [i, call] of calls.entries()) {
        const expected = await call(memory);
        const actual = await call(sqlite);
        expect(actual, `call ${i}: ${call.toString()}`).toEqual(expected);
        if (postgres) expect(await call(postgres), `Postgres, call ${i}: ${call.toString()}`).toEqual(expected);
      }
    } finally {
      await memory.close();
      await sqlite.close();
      await postgres?.close();
    }
  });
});

function filesIn(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));
}

/** A database file of the current schema, with `notes` notes in GUILD_A, closed. */
async function databaseWithNotes(notes: number): Promise<string> {
  const dir = temporaryDir();
  const store = new SqliteStore(dir);
  await store.importNotes(Array.from({ length: notes }, (_, i) => ({ ...note({ paragraph: 1 + (i % 9), text: `note ${i} `.repeat(20) }), createdAt: 1000 + i })));
  await store.close();
  return dir;
}

/** Opening must fail with one line naming the file, and leave every byte of the folder as it was. */
function expectRefused(dir: string, pattern: RegExp): void {
  const before = filesIn(dir);
  let thrown: unknown;
  try {
    new SqliteStore(dir);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(StoreOpenError);
  const message = (thrown as Error).message;
  expect(message).toMatch(pattern);
  expect(message).toContain(databaseFile(dir));
  expect(message).not.toContain('\n');
  expect(filesIn(dir)).toEqual(before);
}

describe('SqliteStore: the file', () => {
  it('creates the data folder and keeps notes across close and reopen', async () => {
    const dir = join(temporaryDir(), 'nested', 'data');
    const store = new SqliteStore(dir);
    expect(store.description).toBe(`sqlite:${databaseFile(dir)}`);
    const added = await store.notes.add(note({ private: true }), 1000);
    await store.openQuestions.add({ scope: GUILD_A, question: 'Why?', askerId: BOB, askerName: 'Bob', confidence: 'none' }, 2000);
    await store.counters.increment(GUILD_A, 'asked', 3);
    await store.close();

    const reopened = new SqliteStore(dir);
    expect(await reopened.notes.get(GUILD_A, added.id)).toEqual(added);
    expect((await reopened.notes.list({ scope: GUILD_A, viewerId: ALICE, limit: 10 })).total).toBe(1);
    expect((await reopened.openQuestions.list(GUILD_A, 10)).total).toBe(1);
    expect(await reopened.counters.get(GUILD_A, 'asked')).toBe(3);
    await reopened.close();
  });

  it('counts correctly through two connections to one file', async () => {
    const dir = temporaryDir();
    const one = new SqliteStore(dir);
    const two = new SqliteStore(dir);
    const values = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? one : two).counters.increment(GUILD_A, 'asked')));
    expect(new Set(values).size).toBe(100);
    expect(await one.counters.get(GUILD_A, 'asked')).toBe(100);
    await Promise.all([one.close(), two.close()]);
  });

  it('applies each migration once: reopening changes nothing', async () => {
    const dir = await databaseWithNotes(3);
    for (let i = 0; i < 2; i += 1) {
      const store = new SqliteStore(dir);
      expect(store.schemaVersion()).toBe(LATEST_VERSION);
      expect((await store.notes.list({ scope: GUILD_A, viewerId: ALICE, limit: 1 })).total).toBe(3);
      await store.close();
    }
    const db = new Database(databaseFile(dir), { readonly: true });
    expect(db.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all()).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('lists migrations in order, each version once, with the id column filled in per database', () => {
    const versions = MIGRATIONS.map((migration) => migration.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    expect(pendingMigrations(0)).toEqual(MIGRATIONS);
    expect(pendingMigrations(LATEST_VERSION)).toEqual([]);
    for (const migration of MIGRATIONS) {
      expect(migrationSql(migration, 'sqlite')).not.toContain('{{');
      expect(migrationSql(migration, 'postgres')).not.toContain('AUTOINCREMENT');
    }
  });

  it('runs a migration numbered below one already applied (features merged in either order)', async () => {
    const dir = await databaseWithNotes(2);
    // As if version 2 had been merged after the file reached a higher version.
    const db = new Database(databaseFile(dir));
    db.exec('DROP TABLE discussions; DELETE FROM schema_version WHERE version = 2');
    db.close();
    expect(unappliedMigrations(new Set(MIGRATIONS.map((migration) => migration.version).filter((version) => version !== 2))).map((migration) => migration.version)).toEqual([2]);

    const store = new SqliteStore(dir);
    await store.discussions.add({ scope: GUILD_A, threadId: '1300000000000000001', article: 'essay', paragraph: 2, startedBy: ALICE }, 1000);
    expect(await store.discussions.get(GUILD_A, '1300000000000000001')).toMatchObject({ paragraph: 2 });
    expect((await store.notes.list({ scope: GUILD_A, viewerId: ALICE, limit: 1 })).total).toBe(2);
    await store.close();
    const check = new Database(databaseFile(dir), { readonly: true });
    expect(check.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all()).toEqual(MIGRATIONS.map((migration) => migration.version));
    check.close();
  });

  it('refuses a file of random bytes without touching it', () => {
    const dir = temporaryDir();
    writeFileSync(databaseFile(dir), randomBytes(4096));
    expectRefused(dir, /not a database.*backup/);
  });

  it('refuses a truncated database without touching it', async () => {
    const dir = await databaseWithNotes(300);
    const file = databaseFile(dir);
    truncateSync(file, Math.floor(readFileSync(file).length / 2));
    expectRefused(dir, /damaged.*backup/);
  });

  it('refuses a database with a damaged page without touching it', async () => {
    const dir = await databaseWithNotes(300);
    const file = databaseFile(dir);
    const bytes = readFileSync(file);
    // Garbage over the third page onwards (page 1 holds the header and schema).
    randomBytes(4096 * 4).copy(bytes, 4096 * 2);
    writeFileSync(file, bytes);
    expectRefused(dir, /damaged.*backup/);
  });

  it('refuses a database written by a newer Footnote without touching it', async () => {
    const dir = await databaseWithNotes(1);
    const db = new Database(databaseFile(dir));
    db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(LATEST_VERSION + 1, Date.now());
    db.close();
    expectRefused(dir, /was written by a newer Footnote/);
  });

  it('refuses a SQLite database that is not Footnote’s without touching it', () => {
    const dir = temporaryDir();
    const db = new Database(databaseFile(dir));
    db.exec('CREATE TABLE recipes (name TEXT)');
    db.close();
    expectRefused(dir, /not Footnote's/);
  });

  it('refuses a database path that is a folder, and a data folder it cannot create', () => {
    const dir = temporaryDir();
    mkdirSync(databaseFile(dir));
    expect(() => new SqliteStore(dir)).toThrow(StoreOpenError);
    const file = join(temporaryDir(), 'a-file');
    writeFileSync(file, 'not a folder');
    expect(() => new SqliteStore(join(file, 'data'))).toThrow(/Cannot create the data folder/);
  });

  it('opens through openStore: a folder is SQLite, ":memory:" is memory', async () => {
    const dir = temporaryDir();
    const sqlite = await openStore({ dataDir: dir });
    expect(sqlite.description).toBe(`sqlite:${databaseFile(dir)}`);
    await sqlite.close();
    for (const options of [{ memory: true as const }, { dataDir: ':memory:' }]) {
      const memory = await openStore(options);
      expect(memory.description).toBe('memory');
      await memory.close();
    }
    expect(existsSync(':memory:')).toBe(false);
  });
});

describe('SqliteStore: writes that fail', () => {
  it('a full disk fails writes as "full", keeps what was saved, and reads still work', async () => {
    const dir = await databaseWithNotes(5);
    const db = new Database(databaseFile(dir), { readonly: true });
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.close();
    const store = new SqliteStore(dir, { maxPageCount: pages + 2 });
    let failure: unknown;
    let saved = 5;
    for (let i = 0; i < 100 && failure === undefined; i += 1) {
      try {
        await store.notes.add(note({ text: 'x'.repeat(2000) }), 5000 + i);
        saved += 1;
      } catch (error) {
        failure = error;
      }
    }
    expect(failure).toBeInstanceOf(StoreWriteError);
    expect(failure).toMatchObject({ reason: 'full' });
    await expect(store.counters.increment(GUILD_B, 'a-new-row-on-a-new-page'.repeat(200))).rejects.toMatchObject({ reason: 'full' });
    const page = await store.notes.list({ scope: GUILD_A, viewerId: ALICE, limit: 100 });
    expect(page.total).toBe(saved);
    expect(page.notes).toHaveLength(saved);
    expect(await store.notes.countByParagraph(GUILD_A, ALICE, 'photosynthesis')).toBeInstanceOf(Map);
    await store.close();
  });

  it('a read-only database fails every write as "read-only" and still answers reads', async () => {
    const dir = await databaseWithNotes(2);
    const store = new SqliteStore(dir, { readonly: true });
    await expect(store.notes.add(note(), 1000)).rejects.toMatchObject({ name: 'StoreWriteError', reason: 'read-only' });
    await expect(store.notes.delete(GUILD_A, 1)).rejects.toMatchObject({ reason: 'read-only' });
    await expect(store.openQuestions.add({ scope: GUILD_A, question: 'Why?', askerId: BOB, askerName: 'Bob', confidence: 'low' }, 1)).rejects.toMatchObject({
      reason: 'read-only',
    });
    await expect(store.openQuestions.clear(GUILD_A)).rejects.toMatchObject({ reason: 'read-only' });
    await expect(store.counters.increment(GUILD_A, 'asked')).rejects.toMatchObject({ reason: 'read-only' });
    expect((await store.notes.list({ scope: GUILD_A, viewerId: ALICE, limit: 10 })).total).toBe(2);
    await store.close();
  });

  it('a read-only open of a missing database is refused, and creates nothing', () => {
    const dir = temporaryDir();
    expect(() => new SqliteStore(dir, { readonly: true })).toThrow(StoreOpenError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a database locked by another process fails writes as "busy"', async () => {
    const dir = await databaseWithNotes(1);
    const store = new SqliteStore(dir);
    const other = new Database(databaseFile(dir), { timeout: 0 });
    other.exec('BEGIN IMMEDIATE');
    try {
      await expect(store.notes.add(note(), 1000)).rejects.toMatchObject({ reason: 'busy' });
      expect((await store.notes.list({ scope: GUILD_A, viewerId: ALICE, limit: 10 })).total).toBe(1);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await store.notes.add(note(), 2000);
    await store.close();
  });
});

describe('SqliteStore: backups', () => {
  it('copies the database while it is open, into a file that opens and holds the notes', async () => {
    const dir = temporaryDir();
    const store = new SqliteStore(dir);
    const added = await store.notes.add(note({ text: 'before the backup' }), 1000);
    const copyDir = temporaryDir();
    await store.backup(databaseFile(copyDir));
    await store.notes.add(note({ text: 'after the backup' }), 2000);
    await store.close();

    const copy = new SqliteStore(copyDir);
    expect(await copy.notes.list({ scope: GUILD_A, viewerId: ALICE, limit: 10 })).toEqual({ notes: [added], total: 1 });
    await copy.close();
  });

  it('finishes while another connection keeps writing, with a copy that opens cleanly', async () => {
    const dir = await databaseWithNotes(5000);
    const store = new SqliteStore(dir);
    const writer = new SqliteStore(dir);
    let writes = 0;
    let copying = true;
    const keepWriting = async () => {
      while (copying) {
        await writer.notes.add(note({ text: 'meanwhile' }), 9000 + writes);
        writes += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const writing = keepWriting();
    const copyDir = temporaryDir();
    await store.backup(databaseFile(copyDir));
    copying = false;
    await writing;
    expect(writes).toBeGreaterThan(0);
    await Promise.all([store.close(), writer.close()]);

    const copy = new SqliteStore(copyDir);
    const { total } = await copy.notes.list({ scope: GUILD_A, viewerId: ALICE, limit: 1 });
    expect(total).toBeGreaterThanOrEqual(5000);
    expect(total).toBeLessThanOrEqual(5000 + writes);
    await copy.close();
  });
});
