import { afterAll, describe, expect, it } from 'vitest';
import { emphasize } from '../src/reply/excerpt.ts';
import { conceptsOf, ANSWER_TYPE_WEIGHT, DERIVED_WEIGHT, type QueryLexicon } from '../src/answer/concepts.ts';
import { answerKindOf } from '../src/answer/question-analysis.ts';
import { paragraphEvidence } from '../src/language/evidence.ts';
import { processTerm, termsOf } from '../src/language/terms.ts';
import { WordNet } from '../src/language/wordnet.ts';

const wordNet = new WordNet();
afterAll(() => wordNet.close());

/** A lexicon over a fixed vocabulary, with the real thesaurus; every unknown word is "close" to the first word. */
function lexiconOf(words: string[]): QueryLexicon {
  const known = new Set(words.map((word) => processTerm(word)));
  const first = words[0] === undefined ? null : processTerm(words[0]);
  return {
    knows: (term) => known.has(term),
    closeTerms: () => (first === null ? [] : [first]),
    isWord: (word) => wordNet.isWord(word),
    isNoun: (word) => wordNet.isNoun(word),
    aliasGroups: [],
    synonyms: (word) => wordNet.synonyms(word),
    derivedForms: (word) => wordNet.derivedForms(word),
    senseCount: (word) => wordNet.senseCount(word),
  };
}

describe('WordNet derived forms', () => {
  it('links words of one root that the stemmer keeps apart', () => {
    expect(wordNet.derivedForms('invent')).toEqual(expect.arrayContaining(['invention', 'inventor']));
    expect(wordNet.derivedForms('death')).toContain('die');
  });

  it('finds the dictionary form of an inflected word first ("destroyed" → "destroy")', () => {
    expect(wordNet.derivedForms('destroyed')).toContain('destruction');
  });

  it('follows "pertains to" from adjectives to nouns', () => {
    expect(wordNet.derivedForms('economic')).toContain('economy');
  });

  it('knows nothing of words it does not have', () => {
    expect(wordNet.derivedForms('xqzvw')).toEqual([]);
  });

  it('tells dictionary words, in any form, from names and typos', () => {
    expect(['readers', 'planes', 'destroyed', 'cities'].map((word) => wordNet.isWord(word))).toEqual([true, true, true, true]);
    expect(['davutoglou', 'velayati', 'xqzvw'].map((word) => wordNet.isWord(word))).toEqual([false, false, false]);
  });
});

describe('question analysis', () => {
  it('lets a derived form the article uses stand in for the asker’s word, a little weaker', () => {
    const { concepts } = conceptsOf('Who invented the telephone?', lexiconOf(['inventor', 'telephone']));
    const invented = concepts.find((concept) => concept.word === 'invented');
    expect(invented?.alternatives).toContainEqual({ term: processTerm('inventor'), weight: DERIVED_WEIGHT, derived: true });
  });

  it('corrects a misspelt name to one the article uses, but never one real word into another', () => {
    const typo = conceptsOf('Is Davutoglou mentioned?', lexiconOf(['davutoglu'])).concepts.find((concept) => concept.word === 'davutoglou');
    expect(typo?.alternatives.map((alternative) => alternative.term)).toContain(processTerm('davutoglu'));
    const real = conceptsOf('What do readers think?', lexiconOf(['leaders'])).concepts.find((concept) => concept.word === 'readers');
    expect(real?.alternatives.map((alternative) => alternative.term)).toEqual([processTerm('readers')]);
  });

  it('counts the word that names the kind of answer ("which country") for less', () => {
    const { concepts } = conceptsOf('Which country sold the most jets?', lexiconOf([]));
    const weights = Object.fromEntries(concepts.map((concept) => [concept.word, concept.weight ?? 1]));
    expect(weights).toEqual({ country: ANSWER_TYPE_WEIGHT, sold: 1, jets: 1 });
  });

  it('leaves a verb after "what" at full weight: "What happened…" asks about the happening', () => {
    const { concepts } = conceptsOf('What happened to the pipeline?', lexiconOf([]));
    expect(concepts.map((concept) => concept.weight ?? 1)).toEqual([1, 1]);
  });

  it('keeps the full weight when that word is all the question has', () => {
    const { concepts } = conceptsOf('Which country?', lexiconOf([]));
    expect(concepts.map((concept) => concept.weight ?? 1)).toEqual([1]);
  });

  it.each([
    ['Where was Genghis Khan buried?', 'name'],
    ['Who signed the treaty?', 'name'],
    ['How many players went to the Pro Bowl?', 'number'],
    ['Why did Moscow refuse?', 'any'],
  ] as const)('reads what "%s" asks for: %s', (question, kind) => {
    expect(answerKindOf(question)).toBe(kind);
  });
});

describe('sentence evidence', () => {
  it('sees numbers written as words, not only digits', () => {
    const paragraph = { article: 'a', position: 0, number: 1, role: 'body', label: '¶1', text: 'Ten players were selected. It was May 2016.', line: 0 } as const;
    const [first, second] = paragraphEvidence(paragraph).sentences;
    expect([...(first?.numbers ?? [])]).toEqual(['ten']);
    expect([...(second?.numbers ?? [])]).toEqual(['may', '2016']);
  });
});

describe('WordNet senses', () => {
  it('counts the senses of a word’s dictionary form: a plural is not a name', () => {
    expect(wordNet.senseCount('players')).toBe(wordNet.senseCount('player'));
    expect(wordNet.senseCount('times')).toBe(wordNet.senseCount('time'));
    expect(wordNet.senseCount('times')).toBeGreaterThan(5);
    expect(wordNet.senseCount('velayati')).toBe(0);
  });
});

describe('negations and pronouns', () => {
  it('reads “won’t” as “will not”, never as winning, and drops “its”', () => {
    expect(termsOf('Why won’t Tehran cap its output?')).toEqual(['not', 'tehran', 'cap', 'output']);
    expect(termsOf('Who won?')).toEqual(['win']);
  });

  it('reads negations the same however they are typed', () => {
    for (const typed of ['won\u2019t', 'won\u200b\'t', 'WON\'T', 'won\uff07t']) expect(termsOf(`Iran ${typed} pay`), typed).toEqual(['iran', 'not', 'pai']);
    expect(termsOf("DON'T")).toEqual(['not']);
  });

  it('leaves no contraction fragments behind', () => {
    expect(termsOf("Aren't they allies? They're not, and we've seen it.")).toEqual(['not', 'alli', 'not', 'see']);
  });
});

describe('emphasis', () => {
  const emphasised = (text: string, question: string) =>
    emphasize(text, new Set(termsOf(question)))
      .filter((span) => span.emphasis)
      .map((span) => span.text);

  it('reads words in a passage the way the index does: “won’t” is not a win', () => {
    expect(emphasised('Iran won’t pay, and Russia won.', 'Who won?')).toEqual(['won']);
    expect(emphasised('The U.S. and Iran', 'What did the U.S. do?')).toEqual(['U.S.']);
  });
});
