/**
 * The YAML block at the top of an article file: who wrote it, what it is
 * called, and which names a reader may use for the same thing.
 */
import { parseDocument, visit, type Document } from 'yaml';
import { z } from 'zod';
import { CorpusError } from './errors.ts';

const nonEmpty = z.string().trim().min(1);

const frontMatterSchema = z
  .object({
    title: nonEmpty,
    author: nonEmpty,
    source: z.url().optional(),
    // YAML reads 2016-03-15 as a string in its core schema, but a number-only year is a number.
    date: z.union([nonEmpty, z.number()]).transform(String).optional(),
    aliases: z.record(nonEmpty, z.array(nonEmpty).min(1)).default({}),
    /** Topic commands: "/name" answers `question`. */
    topics: z
      .array(
        z
          .object({
            name: z.string().regex(/^[a-z0-9-]{1,32}$/, 'must be 1–32 lowercase letters, digits or hyphens'),
            description: z.string().trim().min(1).max(100),
            question: z.string().trim().min(1).max(300),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type FrontMatter = z.infer<typeof frontMatterSchema>;

export interface SplitSource {
  frontMatter: FrontMatter;
  /** Lines after the closing fence. */
  bodyLines: string[];
  /** 1-based line number of the first body line. */
  bodyStartLine: number;
}

const FENCE = '---';
/** The YAML starts on the line after the opening fence. */
const YAML_FIRST_LINE = 2;
/** Real front matter is a few hundred bytes; the cap bounds the parser's time on deeply nested input. */
const MAX_FRONT_MATTER_CHARS = 64 * 1024;
/** Aliases expand on conversion; a low cap stops a "billion laughs" bomb before it takes memory. */
const MAX_ALIAS_COUNT = 100;

/** Separates and validates the front matter; the body is returned untouched. */
export function splitFrontMatter(source: string, file: string): SplitSource {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== FENCE) {
    throw new CorpusError(file, `front matter missing: the file must start with a "${FENCE}" line`, 1);
  }
  const closing = lines.findIndex((line, index) => index > 0 && line.trim() === FENCE);
  if (closing === -1) throw new CorpusError(file, `front matter not closed: no second "${FENCE}" line`, 1);

  const data = parseYaml(lines.slice(1, closing), file);
  const parsed = frontMatterSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'front matter'}: ${issue.message}`);
    throw new CorpusError(file, `invalid front matter (${problems.join('; ')})`, 2);
  }
  return { frontMatter: parsed.data, bodyLines: lines.slice(closing + 1), bodyStartLine: closing + 2 };
}

/** Parses the YAML between the fences; every failure becomes a CorpusError with the file's line. */
function parseYaml(yamlLines: string[], file: string): unknown {
  const text = yamlLines.join('\n');
  const lineAt = (offset: number): number => YAML_FIRST_LINE + (text.slice(0, offset).match(/\n/g)?.length ?? 0);
  if (text.length > MAX_FRONT_MATTER_CHARS) {
    throw new CorpusError(file, `front matter too long (${text.length} characters; the limit is ${MAX_FRONT_MATTER_CHARS})`, YAML_FIRST_LINE);
  }
  // Warnings (an unknown !tag, say) are refused too: front matter is plain keys and text.
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) throw new CorpusError(file, `malformed front matter: ${problem.message}`, lineAt(problem.pos[0]));

  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const aliasAt = error instanceof ReferenceError ? firstAliasOffset(document) : undefined;
    const reason = aliasAt === undefined ? String(error) : `aliases expand too far (the limit is ${MAX_ALIAS_COUNT})`;
    throw new CorpusError(file, `malformed front matter: ${reason}`, aliasAt === undefined ? YAML_FIRST_LINE : lineAt(aliasAt));
  }
}

/** Where the first alias (*name) starts, to point the error at it; undefined if it cannot be found. */
function firstAliasOffset(document: Document): number | undefined {
  let offset: number | undefined;
  try {
    visit(document, {
      Alias(_key, node) {
        offset = node.range?.[0];
        return visit.BREAK;
      },
    });
  } catch {
    // The walk is only for a better line number; the error is reported either way.
  }
  return offset;
}
