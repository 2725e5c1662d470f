/**
 * Web pages, HTML files, Word documents (through mammoth's HTML), EPUB
 * chapters and Markdown (through marked's HTML) all end as HTML; this reads
 * its paragraphs. A web page first goes through Readability, the extractor
 * of Firefox's Reader View, which drops navigation, sidebars, ads and footers.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { keptParagraphs, type ImportedText } from '../text.ts';

/** Elements whose text is one paragraph of the text. Headings are left out, as corpus files leave them out. */
const BLOCKS = 'p, li, blockquote, pre, dd, figcaption';

/**
 * Page furniture that Readability may keep when it sits inside the article
 * element: ads, share bars, newsletter boxes, related links; and what is never
 * text (scripts, forms, hidden elements).
 */
const BOILERPLATE = [
  'script, style, noscript, template, iframe, form, button, svg, nav, aside, footer',
  '[hidden], [aria-hidden="true"], [role="navigation"], [role="complementary"], [role="contentinfo"]',
  ...['ad', 'ads', 'advert', 'advertisement', 'ad-slot', 'sponsored', 'promo', 'newsletter', 'subscribe', 'share', 'social', 'related', 'comments', 'cookie'].map(
    (name) => `.${name}, #${name}, [class*="${name}-"], [class*="-${name}"]`,
  ),
].join(', ');

/** A "By Jane Roe" line that opens the text is the byline, which the front matter already carries. */
function withoutByline(paragraphs: string[], byline: string | null | undefined): string[] {
  const first = paragraphs[0];
  return first !== undefined && first.length < 120 && /^by\s/i.test(first) && (!byline || first.includes(byline.replace(/^by\s+/i, ''))) ? paragraphs.slice(1) : paragraphs;
}

type Root = ReturnType<typeof parseHTML>['document'];

/** The paragraphs of a fragment or document: each block's text, a block inside another counted once (the inner one). */
export function paragraphsOfHtml(html: string): string[] {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return blockTexts(document);
}

function blockTexts(document: Root): string[] {
  const blocks = [...document.querySelectorAll(BLOCKS)].filter((element) => element.querySelector(BLOCKS) === null);
  return keptParagraphs(blocks.map((element) => element.textContent ?? ''));
}

/** A web page's article: its main text, with title, author and date from the page's metadata when present. */
export function importWebPage(html: string, url?: string): ImportedText {
  const { document } = parseHTML(html);
  const title = meta(document, ['og:title', 'twitter:title']) ?? document.querySelector('title')?.textContent ?? undefined;
  const date = meta(document, ['article:published_time', 'date', 'dc.date', 'pubdate'])?.slice(0, 10);
  for (const element of document.querySelectorAll(BOILERPLATE)) element.remove();
  // Readability changes the document it reads, so metadata is read first.
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], { charThreshold: 200 }).parse();
  const paragraphs = withoutByline(article?.content ? paragraphsOfHtml(article.content) : [], article?.byline);
  return {
    ...optional('title', article?.title ?? title),
    ...optional('author', article?.byline ?? meta(document, ['author', 'article:author'])),
    ...optional('date', article?.publishedTime?.slice(0, 10) ?? date),
    ...optional('source', url),
    paragraphs: paragraphs.length > 0 ? paragraphs : blockTexts(parseHTML(html).document),
  };
}

function meta(document: Root, names: string[]): string | undefined {
  for (const name of names) {
    const content = document.querySelector(`meta[name="${name}" i], meta[property="${name}" i]`)?.getAttribute('content')?.trim();
    if (content) return content;
  }
  return undefined;
}

/** `{ key: value }` when the value has text, `{}` otherwise, so optional fields stay absent rather than undefined. */
export function optional<K extends string>(key: K, value: string | null | undefined): Partial<Record<K, string>> {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text ? ({ [key]: text } as Record<K, string>) : {};
}
