/**
 * lunr with its own English pipeline (trimmer, stop words, stemmer). The
 * question goes through lunr's tokenizer and search pipeline as optional
 * terms, not through its query syntax, where ":", "~", "^", "+", "-" and "*"
 * in a plain question would mean operators or throw.
 */
import lunr from 'lunr';
import { answerFromRanking } from './answer-sentence.ts';
import type { SearchSystem } from './types.ts';

export const lunrSystem: SearchSystem = {
  name: 'lunr',
  build(collection) {
    const texts = collection.paragraphs.map((paragraph) => paragraph.text);
    const index = lunr(function () {
      this.ref('id');
      this.field('text');
      texts.forEach((text, id) => this.add({ id: String(id), text }));
    });
    return (question) => {
      const tokens = lunr.tokenizer(question);
      const results = index.query((query) => {
        for (const token of tokens) query.term(token, { presence: lunr.Query.presence.OPTIONAL, usePipeline: true });
      });
      return answerFromRanking(question, results.map((result) => Number(result.ref)), texts);
    };
  },
};
