/** wink-bm25-text-search (BM25, k1 = 1.2, b = 0.75) fed the plain terms (plain-terms.ts). */
import bm25 from 'wink-bm25-text-search';
import { plainTerms as termsOf } from './plain-terms.ts';
import { answerFromRanking } from './answer-sentence.ts';
import type { SearchSystem } from './types.ts';

/** wink refuses to consolidate fewer documents than this. */
const WINK_MIN_DOCUMENTS = 3;

export const winkBm25: SearchSystem = {
  name: 'wink-bm25',
  build(collection) {
    const texts = collection.paragraphs.map((paragraph) => paragraph.text);
    const engine = bm25();
    engine.defineConfig({ fldWeights: { text: 1 } });
    engine.definePrepTasks([termsOf]);
    texts.forEach((text, id) => engine.addDoc({ text }, id));
    // Empty padding documents only make the collection big enough; they match nothing.
    for (let pad = texts.length; pad < WINK_MIN_DOCUMENTS; pad++) engine.addDoc({ text: '' }, pad);
    engine.consolidate();
    return (question) => {
      const ranked = engine
        .search(question, texts.length)
        .map(([id]) => Number(id))
        .filter((id) => id < texts.length);
      return answerFromRanking(question, ranked, texts);
    };
  },
};
