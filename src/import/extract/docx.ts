/** Word documents: mammoth turns the body into HTML; title and author come from the document's properties. */
import mammoth from 'mammoth';
import { DOMParser } from 'linkedom';
import { ImportError } from '../errors.ts';
import type { ImportedText } from '../text.ts';
import { optional, paragraphsOfHtml } from './html.ts';
import { entryText, readZip } from './zip.ts';

/** Word's title and subtitle styles are headings, not paragraphs of the text (mammoth maps only Heading 1–6 by default). */
const TITLE_STYLES = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"];

export async function importDocx(bytes: Uint8Array): Promise<ImportedText> {
  // Checked (and the properties read) before mammoth inflates anything itself.
  const properties = entryText(readZip(bytes, 'Word file', (name) => name === 'docProps/core.xml'), 'docProps/core.xml');
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }, { styleMap: TITLE_STYLES })).value;
  } catch (error) {
    throw new ImportError(`The Word file could not be read (${error instanceof Error ? error.message : String(error)}).`);
  }
  const core = properties === undefined ? undefined : new DOMParser().parseFromString(properties, 'text/xml');
  const field = (tag: string): string | undefined => core?.getElementsByTagName(tag)[0]?.textContent ?? undefined;
  return { ...optional('title', field('dc:title')), ...optional('author', field('dc:creator')), paragraphs: paragraphsOfHtml(html) };
}
