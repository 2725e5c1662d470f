/**
 * Autocomplete suggestions for a question being typed: the topic questions and
 * "What does the article say about …?" for the names the article mentions.
 */
import { splitSentences } from './language/sentences.ts';
import { truncate } from './truncate.ts';
import { normalizeText } from './language/terms.ts';
import type { Article } from './corpus/types.ts';

export const MAX_SUGGESTIONS = 25;
export const MAX_SUGGESTION_CHARS = 100;

const NAME_RUN = /\p{Lu}[\p{L}’'-]*(?:\s+\p{Lu}[\p{L}’'-]*)*/gu;

/**
 * Capitalised word runs that do not open a sentence: people, places, agencies.
 * Possessive endings are dropped ("Moscow’s" → "Moscow").
 */
export function namesIn(articles: readonly Article[]): string[] {
  const counts = new Map<string, number>();
  for (const article of articles) {
    for (const paragraph of article.paragraphs) {
      if (paragraph.role !== 'body') continue;
      for (const sentence of splitSentences(paragraph.text)) {
        for (const match of sentence.text.matchAll(NAME_RUN)) {
          if (match.index === 0) continue;
          const name = match[0].replace(/[’']s$/u, '');
          if (name.length < 3) continue;
          counts.set(name, (counts.get(name) ?? 0) + 1);
        }
      }
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
}

function matches(candidate: string, words: string[]): boolean {
  const candidateWords = normalizeText(candidate).split(/[^\p{L}\p{N}]+/u);
  return words.every((word) => candidateWords.some((candidateWord) => candidateWord.startsWith(word)));
}

/** Up to 25 suggestions whose words start with the words typed so far, what was typed first. */
export function suggestQuestions(partial: string, topicQuestions: readonly string[], names: readonly string[]): { name: string; value: string }[] {
  const typed = partial.replace(/\s+/g, ' ').trim();
  const words = normalizeText(typed).split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0);
  const candidates = [...topicQuestions, ...names.map((name) => `What does the article say about ${name}?`)];
  const chosen = words.length === 0 ? candidates : candidates.filter((candidate) => matches(candidate, words));
  const clip = (text: string) => truncate(text, MAX_SUGGESTION_CHARS);
  const all = typed.length > 0 ? [typed, ...chosen.filter((candidate) => candidate !== typed)] : chosen;
  return all.slice(0, MAX_SUGGESTIONS).map((text) => ({ name: clip(text), value: clip(text) }));
}
