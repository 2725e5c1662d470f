/**
 * The YAML block at the top of an article file: who wrote it, what it is
 * called, and which names a reader may use for the same thing.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
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

/** Separates and validates the front matter; the body is returned untouched. */
export function splitFrontMatter(source: string, file: string): SplitSource {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== FENCE) {
    throw new CorpusError(file, `front matter missing: the file must start with a "${FENCE}" line`, 1);
  }
  const closing = lines.findIndex((line, index) => index > 0 && line.trim() === FENCE);
  if (closing === -1) throw new CorpusError(file, `front matter not closed: no second "${FENCE}" line`, 1);

  let data: unknown;
  try {
    data = parseYaml(lines.slice(1, closing).join('\n'));
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const line = error.linePos?.[0].line;
      throw new CorpusError(file, `malformed front matter: ${error.message.split('\n')[0]}`, line === undefined ? undefined : line + 1);
    }
    throw error;
  }
  const parsed = frontMatterSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'front matter'}: ${issue.message}`);
    throw new CorpusError(file, `invalid front matter (${problems.join('; ')})`, 2);
  }
  return { frontMatter: parsed.data, bodyLines: lines.slice(closing + 1), bodyStartLine: closing + 2 };
}
