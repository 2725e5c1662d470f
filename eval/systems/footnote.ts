/** Footnote's own engine, through the same entry point the bot uses. */
import { Engine } from '../../src/search/engine.ts';
import type { SearchSystem } from './types.ts';

export const footnote: SearchSystem = {
  name: 'footnote',
  build(collection) {
    const engine = new Engine(collection.articles);
    // Paragraphs are identified by article and position, not object identity, so the engine may copy them.
    const ids = new Map(collection.paragraphs.map((paragraph, id) => [`${paragraph.article}#${paragraph.position}`, id]));
    return (question) => {
      const outcome = engine.search(question);
      if (!outcome.answered) return { ranked: [], answer: null };
      const ranked = outcome.passages.map(({ paragraph }) => ids.get(`${paragraph.article}#${paragraph.position}`) ?? -1);
      return { ranked, answer: outcome.answer[0]?.text ?? null };
    };
  },
};
