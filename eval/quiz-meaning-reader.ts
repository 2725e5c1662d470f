/**
 * A reader who has not read the article but knows what words mean (written
 * 2026-12-07, before the quiz generator's wrong options were chosen by
 * meaning, and not tuned to it since): picks the fill-in-the-blank option
 * whose words are closest in meaning (GloVe) to the rest of the sentence. A
 * wrong option from another field ("oil production" beside "military
 * cooperation") is then easy to rule out; options close to one another leave
 * it at chance. Ties split evenly; an option the table knows nothing of scores
 * zero.
 */
import { phraseMeaning } from '../src/language/phrase-meaning.ts';
import { cosine, type WordVectors } from '../src/language/word-vectors.ts';

/** The reader's chance of choosing the right option (1, 0 or a share of a tie). */
export function meaningReaderChance(prompt: string, blank: string, options: readonly string[], answer: number, vectors: WordVectors): number {
  const context = phraseMeaning(prompt.replace(blank, ' '), vectors);
  const scores = options.map((option) => {
    const meaning = phraseMeaning(option, vectors);
    return context === undefined || meaning === undefined ? 0 : cosine(context, meaning);
  });
  const best = Math.max(...scores);
  const winners = scores.flatMap((score, i) => (score >= best - 1e-9 ? [i] : []));
  return winners.includes(answer) ? 1 / winners.length : 0;
}
