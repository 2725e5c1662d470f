/**
 * Documents of the kinds users bring, made from text in the tests: a news
 * page with navigation, sidebar, ad and footer; a multi-page PDF laid out
 * line by line (indented first lines, words hyphenated at line ends, running
 * header and page numbers); a Word file; an EPUB.
 */
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { strToU8, zipSync } from 'fflate';
import PDFDocument from 'pdfkit';

export interface SourceText {
  title: string;
  author: string;
  paragraphs: readonly string[];
}

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function newsPage({ title, author, paragraphs }: SourceText): string {
  const body = paragraphs.map((paragraph, index) => `<p>${escapeHtml(paragraph)}</p>${index === 2 ? '<div class="ad-slot advertisement">Advertisement: Subscribe today and save 50%!</div>' : ''}`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} | The Daily Example</title>
<meta property="og:title" content="${escapeHtml(title)}"><meta name="author" content="${escapeHtml(author)}">
<meta property="article:published_time" content="2016-04-01T09:00:00Z"></head><body>
<header class="site-header"><nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>
<main><article><h1>${escapeHtml(title)}</h1><p class="byline">By <a rel="author" href="/authors/x">${escapeHtml(author)}</a></p>
${body}
</article>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Celebrity chef opens new restaurant downtown</a></li><li><a href="/b">Ten tips for a better night's sleep</a></li></ul></aside></main>
<footer class="site-footer"><p>© 2016 The Daily Example. All rights reserved. <a href="/privacy">Privacy policy</a> · <a href="/terms">Terms of use</a></p></footer>
</body></html>`;
}

/** Boilerplate the news page carries; none of it may reach an imported paragraph. */
export const PAGE_BOILERPLATE = ['Advertisement', 'Most read', 'Celebrity chef', 'All rights reserved', 'Privacy policy', 'Politics'];

/**
 * `font`: a TrueType file for text beyond the standard PDF fonts' Latin set (Greek, Chinese…); without it,
 * Helvetica, which cannot typeset such characters.
 */
export async function pdfOf({ title, author, paragraphs }: SourceText, pages = 0, font?: string): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', margin: 0, info: { Title: title, Author: author } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => doc.on('end', resolve));
  const left = 72;
  const width = 400;
  const top = 90;
  const bottom = 760;
  const leading = 14;
  let page = 1;
  let y = top;
  const decorate = (): void => {
    doc.font(face).fontSize(9).text('Troubled Ties — a study text', left, 40, { lineBreak: false });
    doc.text(String(page), 290, 800, { lineBreak: false });
    doc.fontSize(11);
  };
  const newLine = (): void => {
    y += leading;
    if (y > bottom) {
      doc.addPage();
      page += 1;
      decorate();
      y = top;
    }
  };
  const face = font ?? 'Helvetica';
  doc.font(face).fontSize(11);
  decorate();
  // For a long document the text is repeated until the last page is nearly full.
  const all = pages > 0 ? Array.from({ length: pages * 2 }, () => paragraphs).flat() : paragraphs;
  for (const paragraph of all) {
    if (pages > 0 && page === pages && y > bottom - 120) break;
    let line = '';
    let indent = 18;
    const flush = (): void => {
      doc.text(line, left + indent, y, { lineBreak: false });
      newLine();
      line = '';
      indent = 0;
    };
    for (const word of paragraph.split(' ')) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (doc.widthOfString(candidate) <= width - indent) {
        line = candidate;
        continue;
      }
      // A long lowercase word is hyphenated at the line end, as typesetters do.
      const cut = /^\p{Ll}{9,}$/u.test(word) ? Math.floor(word.length / 2) : 0;
      if (cut > 0 && doc.widthOfString(`${line} ${word.slice(0, cut)}-`) <= width - indent) {
        line = `${line} ${word.slice(0, cut)}-`;
        flush();
        line = word.slice(cut);
      } else {
        flush();
        line = word;
      }
    }
    if (line !== '') flush();
  }
  doc.end();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}

export async function docxOf({ title, author, paragraphs }: SourceText): Promise<Uint8Array> {
  const document = new Document({
    title,
    creator: author,
    sections: [{ children: [new Paragraph({ text: title, heading: HeadingLevel.TITLE }), ...paragraphs.map((text) => new Paragraph({ text, alignment: AlignmentType.JUSTIFIED }))] }],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

export function epubOf({ title, author, paragraphs }: SourceText): Uint8Array {
  const half = Math.ceil(paragraphs.length / 2);
  const chapter = (part: readonly string[], n: number): Uint8Array =>
    strToU8(`<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>Part ${n}</title></head><body><h2>Part ${n}</h2>${part.map((text) => `<p>${escapeHtml(text)}</p>`).join('')}</body></html>`);
  return zipSync({
    mimetype: [strToU8('application/epub+zip'), { level: 0 }],
    'META-INF/container.xml': strToU8('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>'),
    'OEBPS/content.opf': strToU8(
      `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${escapeHtml(title)}</dc:title><dc:creator>${escapeHtml(author)}</dc:creator><dc:date>2016-04-01</dc:date></metadata><manifest><item id="c1" href="text/one.xhtml" media-type="application/xhtml+xml"/><item id="c2" href="text/two.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/><itemref idref="c2"/></spine></package>`,
    ),
    'OEBPS/text/one.xhtml': chapter(paragraphs.slice(0, half), 1),
    'OEBPS/text/two.xhtml': chapter(paragraphs.slice(half), 2),
  });
}
