/**
 * Classic vector-space retrieval, small enough to read: each paragraph and the
 * question become vectors of tf·idf weights over the plain terms (plain-terms.ts), ranked by
 * cosine similarity. tf is the raw count, idf = ln(N / df).
 */
import { plainTerms as termsOf } from './plain-terms.ts';
import { answerFromRanking } from './answer-sentence.ts';
import type { SearchSystem } from './types.ts';

type Vector = Map<string, number>;

function counts(terms: string[]): Vector {
  const vector: Vector = new Map();
  for (const term of terms) vector.set(term, (vector.get(term) ?? 0) + 1);
  return vector;
}

function weigh(termCounts: Vector, idf: ReadonlyMap<string, number>): { weights: Vector; norm: number } {
  const weights: Vector = new Map();
  let squares = 0;
  for (const [term, count] of termCounts) {
    const weight = count * (idf.get(term) ?? 0);
    if (weight === 0) continue;
    weights.set(term, weight);
    squares += weight * weight;
  }
  return { weights, norm: Math.sqrt(squares) };
}

export const tfidfCosine: SearchSystem = {
  name: 'tfidf-cosine',
  build(collection) {
    const texts = collection.paragraphs.map((paragraph) => paragraph.text);
    const termCounts = texts.map((text) => counts(termsOf(text)));
    const documentFrequency = new Map<string, number>();
    for (const vector of termCounts) for (const term of vector.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    const idf = new Map([...documentFrequency].map(([term, df]) => [term, Math.log(texts.length / df)]));
    const documents = termCounts.map((vector) => weigh(vector, idf));
    // Inverted lists, so a question only visits paragraphs that share a term with it.
    const postings = new Map<string, number[]>();
    documents.forEach(({ weights }, id) => {
      for (const term of weights.keys()) {
        const list = postings.get(term);
        if (list) list.push(id);
        else postings.set(term, [id]);
      }
    });

    return (question) => {
      const query = weigh(counts(termsOf(question)), idf);
      const dots = new Map<number, number>();
      for (const [term, weight] of query.weights) {
        for (const id of postings.get(term) ?? []) {
          dots.set(id, (dots.get(id) ?? 0) + weight * (documents[id]?.weights.get(term) ?? 0));
        }
      }
      const ranked = [...dots]
        .map(([id, dot]) => ({ id, cosine: dot / ((documents[id]?.norm ?? 1) * query.norm) }))
        .sort((a, b) => b.cosine - a.cosine || a.id - b.id)
        .map(({ id }) => id);
      return answerFromRanking(question, ranked, texts);
    };
  },
};
