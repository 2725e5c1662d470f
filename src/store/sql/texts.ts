/**
 * A server's library: the texts it brought, each kept as its corpus-format
 * file, and which one its commands read by default.
 */
import type { LibraryText, NewLibraryText, RemovedText, Scope, TextReplacement, TextStore } from '../types.ts';
import type { SqlDriver, SqlRunner } from './driver.ts';

interface TextRow {
  id: number;
  scope: string;
  slug: string;
  title: string;
  author: string;
  source: string;
  paragraphs: number;
  chars: number;
  added_by: string;
  added_at: number;
  updated_at: number;
}

const COLUMNS = 'id, scope, slug, title, author, source, paragraphs, chars, added_by, added_at, updated_at';

function toText(row: TextRow): LibraryText {
  return {
    id: Number(row.id),
    scope: row.scope as Scope,
    slug: row.slug,
    title: row.title,
    author: row.author,
    source: row.source,
    paragraphs: Number(row.paragraphs),
    chars: Number(row.chars),
    addedBy: row.added_by,
    addedAt: Number(row.added_at),
    updatedAt: Number(row.updated_at),
  };
}

export class SqlTexts implements TextStore {
  constructor(private readonly db: SqlDriver) {}

  async add(text: NewLibraryText, maxTexts: number, now: number): Promise<{ added: LibraryText } | { refused: 'full' | 'taken' }> {
    return this.db.transaction(async (tx) => {
      // Writing the scope's lock row first makes two adds to one scope take turns on Postgres too, so the count below stays true.
      await tx.run(
        "INSERT INTO counters (scope, name, value) VALUES (@scope, 'texts-lock', 0) ON CONFLICT (scope, name) DO UPDATE SET value = counters.value + 1",
        { scope: text.scope },
      );
      const count = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM texts WHERE scope = @scope', { scope: text.scope });
      if (Number(count?.n ?? 0) >= maxTexts) return { refused: 'full' as const };
      const row = await tx.get<TextRow>(
        'INSERT INTO texts (scope, slug, title, author, source, markdown, paragraphs, chars, added_by, added_at, updated_at)' +
          ' VALUES (@scope, @slug, @title, @author, @source, @markdown, @paragraphs, @chars, @addedBy, @now, @now)' +
          ` ON CONFLICT (scope, slug) DO NOTHING RETURNING ${COLUMNS}`,
        { ...text, now },
      );
      return row === undefined ? { refused: 'taken' as const } : { added: toText(row) };
    });
  }

  async list(scope: Scope): Promise<LibraryText[]> {
    return (await this.db.all<TextRow>(`SELECT ${COLUMNS} FROM texts WHERE scope = @scope ORDER BY added_at, id`, { scope })).map(toText);
  }

  async find(scope: Scope, slug: string): Promise<LibraryText | undefined> {
    const row = await this.db.get<TextRow>(`SELECT ${COLUMNS} FROM texts WHERE scope = @scope AND slug = @slug`, { scope, slug });
    return row === undefined ? undefined : toText(row);
  }

  async markdown(id: number): Promise<string | undefined> {
    return (await this.db.get<{ markdown: string }>('SELECT markdown FROM texts WHERE id = @id', { id }))?.markdown;
  }

  async replace(scope: Scope, slug: string, { text, moves }: TextReplacement, now: number): Promise<LibraryText | undefined> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<TextRow>(
        'UPDATE texts SET title = @title, author = @author, source = @source, markdown = @markdown, paragraphs = @paragraphs, chars = @chars,' +
          ` updated_at = @now WHERE scope = @scope AND slug = @slug RETURNING ${COLUMNS}`,
        { ...text, scope, slug, now },
      );
      if (row === undefined) return undefined;
      for (const [id, paragraph] of moves) {
        await tx.run('UPDATE notes SET paragraph = @paragraph WHERE id = @id AND scope = @scope AND article = @slug', { id, paragraph, scope, slug });
      }
      // Each paragraph's public count, counted again from the notes where they now are.
      await tx.run('DELETE FROM note_counts WHERE scope = @scope AND article = @slug', { scope, slug });
      await tx.run(
        'INSERT INTO note_counts (scope, article, paragraph, public_notes)' +
          ' SELECT scope, article, paragraph, COUNT(*) FROM notes WHERE scope = @scope AND article = @slug AND private = 0 GROUP BY scope, article, paragraph',
        { scope, slug },
      );
      return toText(row);
    });
  }

  dependents(scope: Scope, slug: string): Promise<RemovedText> {
    return countDependents(this.db, scope, slug);
  }

  async remove(scope: Scope, slug: string): Promise<RemovedText | undefined> {
    return this.db.transaction(async (tx) => {
      const counted = await countDependents(tx, scope, slug);
      const removed = await tx.run('DELETE FROM texts WHERE scope = @scope AND slug = @slug', { scope, slug });
      if (removed === 0) return undefined;
      const where = { scope, slug };
      await tx.run('DELETE FROM note_votes WHERE note_id IN (SELECT id FROM notes WHERE scope = @scope AND article = @slug)', where);
      await tx.run('DELETE FROM notes WHERE scope = @scope AND article = @slug', where);
      await tx.run('DELETE FROM confusion_flags WHERE scope = @scope AND article = @slug', where);
      await tx.run('DELETE FROM assignment_members WHERE assignment_id IN (SELECT id FROM assignments WHERE scope = @scope AND article = @slug)', where);
      await tx.run('DELETE FROM assignments WHERE scope = @scope AND article = @slug', where);
      await tx.run('DELETE FROM paragraph_answers WHERE scope = @scope AND article = @slug', where);
      await tx.run('DELETE FROM note_counts WHERE scope = @scope AND article = @slug', where);
      await tx.run('DELETE FROM quiz_answers WHERE quiz_id IN (SELECT id FROM quizzes WHERE scope = @scope AND article = @slug)', where);
      await tx.run('DELETE FROM quizzes WHERE scope = @scope AND article = @slug', where);
      await tx.run('DELETE FROM reading_plans WHERE scope = @scope AND article = @slug', where);
      await tx.run('DELETE FROM discussions WHERE scope = @scope AND article = @slug', where);
      await tx.run('DELETE FROM text_defaults WHERE scope = @scope AND slug = @slug', where);
      return counted;
    });
  }

  async setDefault(scope: Scope, slug: string | undefined): Promise<void> {
    if (slug === undefined) await this.db.run('DELETE FROM text_defaults WHERE scope = @scope', { scope });
    else await this.db.run('INSERT INTO text_defaults (scope, slug) VALUES (@scope, @slug) ON CONFLICT (scope) DO UPDATE SET slug = excluded.slug', { scope, slug });
  }

  async getDefault(scope: Scope): Promise<string | undefined> {
    return (await this.db.get<{ slug: string }>('SELECT slug FROM text_defaults WHERE scope = @scope', { scope }))?.slug;
  }
}

async function countDependents(db: SqlRunner, scope: Scope, slug: string): Promise<RemovedText> {
  const row = await db.get<{ notes: number; quizzes: number; plans: number }>(
    'SELECT (SELECT COUNT(*) FROM notes WHERE scope = @scope AND article = @slug) AS notes,' +
      ' (SELECT COUNT(*) FROM quizzes WHERE scope = @scope AND article = @slug) AS quizzes,' +
      ' (SELECT COUNT(*) FROM reading_plans WHERE scope = @scope AND article = @slug) AS plans',
    { scope, slug },
  );
  return { notes: Number(row?.notes ?? 0), quizzes: Number(row?.quizzes ?? 0), plans: Number(row?.plans ?? 0) };
}
