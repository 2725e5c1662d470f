/**
 * `npm run --silent import -- SOURCE [--slug SLUG] [--json]`: imports a web
 * page (http/https URL) or a file (PDF, Word, EPUB, HTML, Markdown, text) into
 * the corpus folder as `<slug>.md`. Any failure exits 1 with one line and
 * writes nothing; an existing article is never overwritten.
 */
import 'dotenv/config';
import { constants } from 'node:fs';
import { copyFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { SLUG } from '../corpus/load.ts';
import { ImportError } from '../import/errors.ts';
import { importText } from '../import/import.ts';

const USAGE = 'usage: npm run --silent import -- SOURCE [--slug SLUG] [--json]   (SOURCE: an http(s) URL or a file path)';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { slug: { type: 'string' }, json: { type: 'boolean', default: false } }, allowPositionals: true });
  const [source, ...extra] = positionals;
  if (source === undefined || extra.length > 0) throw new ImportError(USAGE);
  if (values.slug !== undefined && !SLUG.test(values.slug)) throw new ImportError('--slug must be lowercase letters, digits and single hyphens.');
  const config = readConfig();
  const isUrl = /^[a-z][a-z0-9+.-]*:/i.test(source) && !/^[a-z]:[\\/]/i.test(source);
  const file = await importText(isUrl ? { kind: 'url', url: source } : { kind: 'file', path: source }, {
    allowHosts: config.IMPORT_ALLOW_HOSTS,
    ...(values.slug === undefined ? {} : { slug: values.slug }),
  });
  const target = join(config.CORPUS_DIR, `${file.slug}.md`);
  // Written beside the target, then linked in without replacing: an existing article stays as it is.
  const temporary = join(config.CORPUS_DIR, `.${file.slug}.${process.pid}.tmp`);
  await writeFile(temporary, file.markdown, { flag: 'wx' });
  try {
    await copyFile(temporary, target, constants.COPYFILE_EXCL);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ImportError(`${target} already exists: choose another name with --slug.`);
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
  const paragraphs = file.article.paragraphs.length;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ slug: file.slug, title: file.article.title, author: file.article.author, paragraphs, file: target })}\n`);
  } else {
    process.stdout.write(`Imported “${file.article.title}” by ${file.article.author}: ${paragraphs} paragraphs, written to ${target}.\n`);
  }
}

main().catch((error: unknown) => {
  const message = error instanceof ImportError ? error.message : error instanceof Error && error.name === 'ConfigError' ? error.message : `import failed: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message.split('\n').join(' ')}\n`);
  process.exitCode = 1;
});
