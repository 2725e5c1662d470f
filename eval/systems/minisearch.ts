/** MiniSearch as a developer would first use it, and with Porter stemming and stop words (plain-terms.ts). */
import MiniSearch, { type Options } from 'minisearch';
import { plainProcessTerm as processTerm, plainTokenize as tokenize } from './plain-terms.ts';
import { answerFromRanking } from './answer-sentence.ts';
import type { SearchSystem } from './types.ts';

function miniSearchSystem(name: string, options: Partial<Options<{ id: number; text: string }>>): SearchSystem {
  return {
    name,
    build(collection) {
      const texts = collection.paragraphs.map((paragraph) => paragraph.text);
      const index = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], ...options });
      index.addAll(texts.map((text, id) => ({ id, text })));
      return (question) => answerFromRanking(question, index.search(question).map((result) => result.id as number), texts);
    },
  };
}

export const miniSearchDefault = miniSearchSystem('minisearch-default', {});
export const miniSearchStem = miniSearchSystem('minisearch-stem', { tokenize, processTerm });
