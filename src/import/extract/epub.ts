/**
 * EPUB books: the container names the package file, whose spine lists the
 * chapters in reading order; each chapter is XHTML.
 */
import { posix } from 'node:path';
import { DOMParser } from 'linkedom';
import { ImportError } from '../errors.ts';
import type { ImportedText } from '../text.ts';
import { optional, paragraphsOfHtml } from './html.ts';
import { entryText, readZip } from './zip.ts';

export function importEpub(bytes: Uint8Array): ImportedText {
  const entries = readZip(bytes, 'EPUB file', (name) => /\.(xml|opf|x?html?)$/i.test(name));
  const container = entryText(entries, 'META-INF/container.xml');
  const packagePath = container && xml(container).querySelector('rootfile')?.getAttribute('full-path');
  const packageText = packagePath ? entryText(entries, packagePath) : undefined;
  if (!packagePath || packageText === undefined) throw new ImportError('The EPUB file has no table of contents (META-INF/container.xml or its package file is missing).');
  const opf = xml(packageText);
  const hrefs = new Map([...opf.querySelectorAll('manifest > item')].map((item) => [item.getAttribute('id') ?? '', item.getAttribute('href') ?? '']));
  const base = posix.dirname(packagePath);
  const paragraphs = [...opf.querySelectorAll('spine > itemref')].flatMap((itemref) => {
    const href = hrefs.get(itemref.getAttribute('idref') ?? '');
    const chapter = href ? entryText(entries, posix.normalize(posix.join(base, decodeURIComponent(href)))) : undefined;
    if (chapter === undefined) return [];
    const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(chapter)?.[1] ?? chapter;
    return paragraphsOfHtml(body);
  });
  const field = (tag: string): string | undefined => opf.getElementsByTagName(tag)[0]?.textContent ?? undefined;
  return { ...optional('title', field('dc:title')), ...optional('author', field('dc:creator')), ...optional('date', field('dc:date')?.slice(0, 10)), paragraphs };
}

function xml(text: string): ReturnType<DOMParser['parseFromString']> {
  return new DOMParser().parseFromString(text, 'text/xml');
}
