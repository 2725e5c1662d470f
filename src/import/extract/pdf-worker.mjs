// Parses a PDF off the main thread (a hostile file may take long or take much memory;
// the parent bounds both and terminates this worker). Plain JavaScript, so it runs
// the same from the sources and from the build. Replies with each page's text items.
import { parentPort, workerData } from 'node:worker_threads';
import { getDocumentProxy } from 'unpdf';

const { bytes, maxPages } = workerData;
try {
  // verbosity 0: pdf.js's own warnings ("Indexing all PDF objects" on a damaged file) are not the user's business; the reply says what failed.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, verbosity: 0 });
  if (pdf.numPages > maxPages) {
    parentPort.postMessage({ error: 'pages', pages: pdf.numPages });
  } else {
    const info = await pdf.getMetadata().catch(() => undefined);
    const pages = [];
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      pages.push(
        content.items
          .filter((item) => 'str' in item && item.str.trim() !== '')
          .map((item) => ({ text: item.str, x: item.transform[4], y: item.transform[5], width: item.width, height: item.height || Math.abs(item.transform[3]) })),
      );
      page.cleanup();
    }
    parentPort.postMessage({ pages, title: info?.info?.Title, author: info?.info?.Author });
  }
} catch (error) {
  parentPort.postMessage({ error: 'parse', message: error instanceof Error ? error.message : String(error) });
}
