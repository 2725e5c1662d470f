import type { EvalCollection } from '../dataset.ts';

/** What a system says to one question. */
export interface SystemAnswer {
  /** Paragraph indices of the collection, best first; empty when the system gives no answer. */
  ranked: number[];
  /** The first answer sentence, or null when there is none. */
  answer: string | null;
}

export type Ask = (question: string) => SystemAnswer;

export interface SearchSystem {
  name: string;
  /** Indexes one collection's paragraphs and returns how to ask it. */
  build(collection: EvalCollection): Ask;
}
