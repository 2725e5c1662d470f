/**
 * One import for the CLI and Discord: a web address, a file path, a file's
 * bytes (an attachment) or pasted text becomes an article file. The format is
 * read from the bytes first (a PDF or a zip says what it is), then from the
 * content type and the name.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { ImportError } from './errors.ts';
import { DEFAULT_FETCH_LIMITS, download, parseImportUrl, type FetchLimits } from './fetch.ts';
import { toArticleFile, type ArticleFile } from './article-file.ts';
import type { ImportedText } from './text.ts';

export type ImportSource =
  | { kind: 'url'; url: string }
  /** A file attached to a Discord command: fetched from the attachment's own URL, named by its file name. */
  | { kind: 'attachment'; url: string; name: string; contentType?: string }
  | { kind: 'file'; path: string }
  /** An attachment's bytes: `name` and `contentType` as the sender gave them, `url` where they came from. */
  | { kind: 'bytes'; bytes: Uint8Array; name: string; contentType?: string; url?: string }
  | { kind: 'pasted'; title: string; author?: string; text: string };

export interface ImportOptions {
  allowHosts: ReadonlySet<string>;
  fetch?: Partial<Omit<FetchLimits, 'allowHosts'>>;
  slug?: string;
}

type Format = 'pdf' | 'docx' | 'epub' | 'html' | 'markdown' | 'text';

const FORMAT_BY_EXTENSION: Record<string, Format> = {
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.epub': 'epub',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
};

const FORMAT_BY_TYPE: Record<string, Format> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/epub+zip': 'epub',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/plain': 'text',
};

export const SUPPORTED_FORMATS = 'a web page, PDF, Word (.docx), EPUB, HTML, Markdown or plain text';

export async function importText(source: ImportSource, options: ImportOptions): Promise<ArticleFile> {
  if (source.kind === 'pasted') {
    const { importPlainText } = await import('./extract/markdown.ts');
    return toArticleFile({ title: source.title, ...(source.author ? { author: source.author } : {}), ...importPlainText(source.text) }, 'Pasted text', options.slug);
  }
  if (source.kind === 'url') {
    const url = parseImportUrl(source.url);
    const got = await download(url, { ...DEFAULT_FETCH_LIMITS, ...options.fetch, allowHosts: options.allowHosts });
    const name = decodeURIComponent(basename(got.url.pathname)) || got.url.hostname;
    const text = await extract(got.bytes, name, got.contentType, got.url.href);
    return toArticleFile({ source: got.url.href, ...text }, titleFromName(name) || got.url.hostname, options.slug);
  }
  if (source.kind === 'attachment') {
    const got = await download(parseImportUrl(source.url), { ...DEFAULT_FETCH_LIMITS, ...options.fetch, allowHosts: options.allowHosts });
    return toArticleFile(await extract(got.bytes, source.name, source.contentType ?? got.contentType), titleFromName(source.name), options.slug);
  }
  if (source.kind === 'file') {
    const info = await stat(source.path).catch(() => undefined);
    if (!info?.isFile()) throw new ImportError(`${source.path} is not a file that can be read.`);
    const limit = options.fetch?.maxBytes ?? DEFAULT_FETCH_LIMITS.maxBytes;
    if (info.size > limit) throw new ImportError(`The file is larger than ${Math.round(limit / 1024 / 1024)} MB, the import limit.`);
    const name = basename(source.path);
    return toArticleFile(await extract(new Uint8Array(await readFile(source.path)), name, ''), titleFromName(name), options.slug);
  }
  const text = await extract(source.bytes, source.name, source.contentType ?? '', source.url);
  return toArticleFile(text, titleFromName(source.name), options.slug);
}

/** Each extractor and its libraries (pdf.js, mammoth, Readability, a DOM) load on the first import of their format, not at start-up. */
async function extract(bytes: Uint8Array, name: string, contentType: string, url?: string): Promise<ImportedText> {
  switch (formatOf(bytes, name, contentType)) {
    case 'pdf':
      return (await import('./extract/pdf.ts')).importPdf(bytes);
    case 'docx':
      return (await import('./extract/docx.ts')).importDocx(bytes);
    case 'epub':
      return (await import('./extract/epub.ts')).importEpub(bytes);
    case 'html':
      return (await import('./extract/html.ts')).importWebPage(decode(bytes), url);
    case 'markdown':
      return (await import('./extract/markdown.ts')).importMarkdown(decode(bytes));
    case 'text':
      return (await import('./extract/markdown.ts')).importPlainText(decode(bytes));
  }
}

function formatOf(bytes: Uint8Array, name: string, contentType: string): Format {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (head.startsWith('%PDF-')) return 'pdf';
  if (head.startsWith('PK\u0003\u0004')) {
    if (head.includes('mimetypeapplication/epub+zip')) return 'epub';
    if (head.includes('[Content_Types].xml') || head.includes('word/')) return 'docx';
    const byName = FORMAT_BY_EXTENSION[extname(name).toLowerCase()];
    if (byName === 'docx' || byName === 'epub') return byName;
    throw new ImportError(`That is a zip archive, not a text; Footnote imports ${SUPPORTED_FORMATS}.`);
  }
  const byType = FORMAT_BY_TYPE[contentType];
  const byName = FORMAT_BY_EXTENSION[extname(name).toLowerCase()];
  if (byType === 'pdf' || byName === 'pdf' || byType === 'docx' || byName === 'docx' || byType === 'epub' || byName === 'epub') {
    throw new ImportError(`The file says it is ${(byType ?? byName ?? '').toUpperCase()} but its content is not: it may be truncated or damaged.`);
  }
  if (/\0/.test(head) || /^(image|audio|video|font)\//.test(contentType)) {
    throw new ImportError(`That kind of file (${contentType || extname(name) || 'binary'}) cannot be imported; Footnote imports ${SUPPORTED_FORMATS}.`);
  }
  if (byType === 'html' || (byType === undefined && byName === 'html') || /^\s*(<!doctype html|<html)/i.test(head)) return 'html';
  return byName === 'markdown' || byType === 'markdown' ? 'markdown' : 'text';
}

/** UTF-8 when it is valid UTF-8; otherwise the web's default single-byte encoding. */
function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function titleFromName(name: string): string {
  return name.replace(/\.[a-z0-9]{1,8}$/i, '').replace(/[-_]+/g, ' ').trim();
}
