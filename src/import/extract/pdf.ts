/**
 * PDF files: pdf.js (through unpdf) reads the text off the main thread, so a
 * hostile file cannot stall the gateway; the layout is then turned back into
 * paragraphs by `paragraphsOfPages`.
 */
import { Worker } from 'node:worker_threads';
import { ImportError } from '../errors.ts';
import type { ImportedText } from '../text.ts';
import { optional } from './html.ts';
import { paragraphsOfPages, type TextItem } from './pdf-layout.ts';

const PDF_LIMITS = { pages: 500, parseMs: 15_000, memoryMb: 256 } as const;

interface WorkerReply {
  pages?: TextItem[][];
  title?: string;
  author?: string;
  error?: 'pages' | 'parse';
  message?: string;
}

export async function importPdf(bytes: Uint8Array, limits: { parseMs: number } = PDF_LIMITS): Promise<ImportedText> {
  const reply = await new Promise<WorkerReply>((resolve, reject) => {
    const worker = new Worker(new URL('./pdf-worker.mjs', import.meta.url), {
      workerData: { bytes, maxPages: PDF_LIMITS.pages },
      resourceLimits: { maxOldGenerationSizeMb: PDF_LIMITS.memoryMb },
      // The parent's flags (a TypeScript loader, say) are not needed by plain JavaScript.
      execArgv: [],
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new ImportError(`The PDF took longer than ${limits.parseMs / 1000} s to read.`));
    }, limits.parseMs);
    worker.once('message', (message: WorkerReply) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(message);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(new ImportError(`The PDF could not be read (${error.message}).`));
    });
  });
  if (reply.error === 'pages') throw new ImportError(`The PDF has more than ${PDF_LIMITS.pages} pages, the import limit.`);
  if (reply.error !== undefined || reply.pages === undefined) throw new ImportError(`The PDF is damaged or not really a PDF (${reply.message ?? 'no pages'}).`);
  return { ...optional('title', reply.title), ...optional('author', reply.author), paragraphs: paragraphsOfPages(reply.pages) };
}
