import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { articleFromTexts, loadCorpus } from '../src/corpus/load.ts';
import { bodyParagraphs, type Article } from '../src/corpus/types.ts';
import { bodySentences, outlineOf, thesisOf } from '../src/study/outline.ts';
import { isOverviewQuestion } from '../src/study/overview.ts';
import { findPeople, findPerson, peopleOf, withinOneEdit, type Person } from '../src/study/people.ts';
import { discussionPrompt } from '../src/study/prompt.ts';
import { timelineOf, type TimelineEvent } from '../src/study/timeline.ts';

const CORPUS = join(import.meta.dirname, '..', 'corpus');
const SLUG = 'russian-iranian-relations-troubled-ties';

let article: Article;
let people: Person[];
let timeline: TimelineEvent[];

beforeAll(async () => {
  const found = (await loadCorpus(CORPUS)).find((candidate) => candidate.slug === SLUG);
  if (!found) throw new Error(`${SLUG} missing from ${CORPUS}`);
  article = found;
  people = peopleOf(article);
  timeline = timelineOf(article);
});

function person(name: string): Person {
  const found = people.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`${name} not among ${people.map((candidate) => candidate.name).join(', ')}`);
  return found;
}

describe('outline', () => {
  it('gives each of the 11 body paragraphs its verbatim lead sentence', () => {
    const outline = outlineOf(article);
    expect(outline.map((entry) => entry.paragraph.label)).toEqual(Array.from({ length: 11 }, (_, index) => `¶${index + 1}`));
    for (const { paragraph, lead } of outline) {
      expect(paragraph.role).toBe('body');
      expect(paragraph.text.startsWith(lead)).toBe(true);
      expect(lead.length).toBeLessThan(paragraph.text.length + 1);
    }
    expect(outline[4]?.lead).toMatch(/^In addition, Ali Akbar Velayati \(currently foreign policy adviser.*Hezbollah\.$/);
    expect(outline[8]?.lead).toBe('Despite their numerous anti-Western interests, Russia and Iran are not allies.');
  });

  it('lists every body sentence verbatim, in reading order', () => {
    const sentences = bodySentences(article);
    for (const { paragraph, sentence, start } of sentences) expect(paragraph.text.slice(start, start + sentence.length)).toBe(sentence);
    expect(sentences.map(({ paragraph }) => paragraph.number)).toEqual([...sentences.map(({ paragraph }) => paragraph.number)].sort((a, b) => a - b));
  });
});

describe('thesis', () => {
  it('is the ¶2 sentence saying the relations have been and still are troubled', () => {
    const thesis = thesisOf(article);
    expect(thesis.paragraph.label).toBe('¶2');
    expect(thesis.sentence).toBe(
      'Yet despite this shared antipathy toward the U.S. and other common interests, Russian-Iranian relations have not only been troubled in the past but continue to be so now.',
    );
    expect(thesis.paragraph.text).toContain(thesis.sentence);
  });

  it('follows a hint when one is given and found, ignoring case and quote style', () => {
    expect(thesisOf(article, 'russia and iran are NOT allies').paragraph.label).toBe('¶9');
    expect(thesisOf(article, 'a sentence the article does not contain').paragraph.label).toBe('¶2');
  });

  it('derives the thesis from the title for any article', () => {
    const other = articleFromTexts('tea', 'Green Tea: Overrated Benefits', [
      'Green tea is sold everywhere. Shops praise its benefits.',
      'Yet the benefits of green tea are overrated, as the trials show.',
      'One trial found nothing.',
    ]);
    expect(thesisOf(other).sentence).toBe('Yet the benefits of green tea are overrated, as the trials show.');
  });
});

describe('people', () => {
  it('finds the people named in the body, by full name without titles, in order of first mention', () => {
    // The list, written by hand from reading the article: every person its body names. compromise misses Bijan
    // Zanganeh (unknown names after "Oil Minister") and Assad (a proper noun it cannot place: "the Assad regime"
    // names him), and reads "in Bandar Abbas" as a person; the people module mends all three.
    expect(people.map((candidate) => candidate.name)).toEqual([
      'Dmitry Peskov',
      'Assad',
      'Vladimir Putin',
      'Ali Khamenei',
      'Ahmet Davutoglu',
      'Hassan Rouhani',
      'Ali Akbar Velayati',
      'Bijan Zanganeh',
    ]);
  });

  it('has no titles, places or groups among the names', () => {
    const names = people.flatMap((candidate) => [candidate.name, ...candidate.aliases]);
    for (const word of ['President', 'Supreme', 'Leader', 'Minister', 'secretary', 'Bandar', 'Abbas', 'Iran', 'Russia', 'Moscow', 'Tehran', 'TASS', 'Hezbollah']) {
      expect(names.filter((name) => name.split(' ').includes(word))).toEqual([]);
    }
  });

  it('says who each is in a few of the article’s own words', () => {
    expect(Object.fromEntries(people.map((candidate) => [candidate.name, candidate.role]))).toEqual({
      'Dmitry Peskov': 'Russian presidential press secretary',
      Assad: undefined,
      'Vladimir Putin': 'Russian President',
      'Ali Khamenei': 'Iranian Supreme Leader',
      'Ahmet Davutoglu': 'Turkish Prime Minister',
      'Hassan Rouhani': 'Iranian President',
      'Ali Akbar Velayati': 'currently foreign policy adviser to Iran’s Supreme Leader and previously Iran’s foreign minister',
      'Bijan Zanganeh': 'Iranian Oil Minister',
    });
    for (const { role, identifying } of people) if (role !== undefined) expect(identifying.paragraph.text).toContain(role);
    // Assad's mentions: the regime named after him, and the burden of supporting him.
    expect(person('Assad').mentions.map((mention) => mention.paragraph.number)).toEqual([1, 3]);
  });

  it('identifies each person where the article first gives their role', () => {
    const velayati = person('Ali Akbar Velayati');
    expect(velayati.aliases).toContain('Velayati');
    expect(velayati.identifying.paragraph.label).toBe('¶5');
    expect(velayati.identifying.sentence).toContain('Ali Akbar Velayati (currently foreign policy adviser to Iran’s Supreme Leader');
    expect(person('Vladimir Putin').identifying.paragraph.label).toBe('¶1');
    expect(person('Vladimir Putin').identifying.sentence).toContain('Russian President Vladimir Putin');
    expect(person('Ali Khamenei').identifying.sentence).toContain('Iranian Supreme Leader Ali Khamenei');
    expect(person('Hassan Rouhani').identifying.paragraph.label).toBe('¶4');
    expect(person('Ahmet Davutoglu').identifying.paragraph.label).toBe('¶4');
    expect(person('Dmitry Peskov').identifying.sentence).toContain('press secretary Dmitry Peskov');
    expect(person('Bijan Zanganeh').identifying.paragraph.label).toBe('¶7');
  });

  it('merges surname-only mentions into the full name, one mention per sentence', () => {
    const velayati = person('Ali Akbar Velayati');
    expect(velayati.mentions.map((mention) => mention.paragraph.label)).toEqual(['¶5', '¶5', '¶6', '¶6', '¶6']);
    expect(velayati.mentions[1]?.sentence).toContain('Velayati’s statement as “speculative”');
    expect(person('Dmitry Peskov').mentions.map((mention) => mention.paragraph.label)).toEqual(['¶1', '¶8']);
    for (const candidate of people) {
      for (const mention of candidate.mentions) {
        expect(mention.paragraph.text).toContain(mention.sentence);
        expect([candidate.name, ...candidate.aliases].some((form) => mention.sentence.includes(form))).toBe(true);
      }
      expect(candidate.mentions).toContain(candidate.identifying);
    }
  });

  it('finds a person by any part of the name, any case, with one typo in a long name', () => {
    expect(findPerson(people, 'velayati')?.name).toBe('Ali Akbar Velayati');
    expect(findPerson(people, 'Velayaty')?.name).toBe('Ali Akbar Velayati');
    expect(findPerson(people, 'putin')?.name).toBe('Vladimir Putin');
    expect(findPerson(people, 'PUTIN')?.name).toBe('Vladimir Putin');
    expect(findPerson(people, 'President Putin')?.name).toBe('Vladimir Putin');
    expect(findPerson(people, 'Ali Akbar')?.name).toBe('Ali Akbar Velayati');
    expect(findPerson(people, 'Rohani')?.name).toBe('Hassan Rouhani');
    expect(findPerson(people, 'Davutoğlu')?.name).toBe('Ahmet Davutoglu');
  });

  it('refuses ambiguous, too-short-to-correct and unknown names', () => {
    expect(findPeople(people, 'Ali').map((candidate) => candidate.name)).toEqual(['Ali Khamenei', 'Ali Akbar Velayati']);
    expect(findPerson(people, 'Ali')).toBeUndefined();
    expect(findPerson(people, 'Putn')).toBeUndefined();
    expect(findPerson(people, 'Iran')).toBeUndefined();
    expect(findPerson(people, '')).toBeUndefined();
  });

  it('counts one edit as an insertion, deletion, substitution or swap', () => {
    expect(withinOneEdit('velayati', 'velayaty')).toBe(true);
    expect(withinOneEdit('putin', 'ptuin')).toBe(true);
    expect(withinOneEdit('putin', 'putins')).toBe(true);
    expect(withinOneEdit('putin', 'pputinn')).toBe(false);
    expect(withinOneEdit('rouhani', 'ruohanii')).toBe(false);
  });

  it('keeps a place after "in" out even when its words are known names', () => {
    const other = articleFromTexts('plant', 'A Plant', [
      'Energy Minister Jane Doe visited a power plant in Bandar Abbas. Doe said it would open soon.',
    ]);
    const found = peopleOf(other);
    expect(found.map((candidate) => candidate.name)).toEqual(['Jane Doe']);
    expect(found[0]?.mentions).toHaveLength(2);
  });

  it('writes names as the source does, particles included, and shortens them the usual way', () => {
    const other = articleFromTexts('names', 'Names', [
      'Syrian President Bashar al-Assad met Ludwig van Beethoven. The Assad regime stayed.',
      'German Chancellor Angela Merkel’s office denied it. Merkel later agreed.',
    ]);
    const found = peopleOf(other);
    expect(found.map((candidate) => candidate.name)).toEqual(['Bashar al-Assad', 'Ludwig van Beethoven', 'Angela Merkel']);
    expect(found[0]?.aliases).toContain('Assad');
    expect(found[0]?.mentions.map((mention) => mention.sentence)).toEqual([
      'Syrian President Bashar al-Assad met Ludwig van Beethoven.',
      'The Assad regime stayed.',
    ]);
    expect(found[2]?.mentions).toHaveLength(2);
    expect(findPerson(found, 'assad')?.name).toBe('Bashar al-Assad');
  });
});

describe('timeline', () => {
  it('lists the dated events in calendar order, with the words as written', () => {
    expect(timeline.map((event) => event.text)).toEqual(['November 2015', 'December 2015', 'early February 2016', 'early March', 'March 13', 'March 14']);
    expect(timeline.map((event) => event.paragraph.label)).toEqual(['¶3', '¶3', '¶5', '¶4', '¶7', '¶1']);
    expect(timeline.map((event) => event.date)).toEqual([
      { year: 2015, month: 11 },
      { year: 2015, month: 12 },
      { year: 2016, month: 2 },
      { year: 2016, month: 3 },
      { year: 2016, month: 3, day: 13 },
      { year: 2016, month: 3, day: 14 },
    ]);
    for (const event of timeline) {
      expect(event.sentence).toContain(event.text);
      expect(event.paragraph.text).toContain(event.sentence);
    }
  });

  it('leaves out relative expressions', () => {
    const texts = timeline.map((event) => event.text.toLowerCase());
    for (const relative of ['now', 'last three months', 'the day before', 'two hours']) expect(texts.some((text) => text.includes(relative))).toBe(false);
  });

  it('places month-only dates from the given reference, else the front-matter date', () => {
    const march14 = (events: TimelineEvent[]): TimelineEvent | undefined => events.find((event) => event.text === 'March 14');
    expect(march14(timelineOf(article, new Date(2017, 2, 1)))?.date).toEqual({ year: 2017, month: 3, day: 14 });
    expect(march14(timelineOf({ ...article, date: '2016-03-20' }))?.date).toEqual({ year: 2016, month: 3, day: 14 });
    expect(march14(timelineOf({ ...article, date: '2018' }))?.date).toEqual({ year: 2018, month: 3, day: 14 });
  });

  it('refuses month words that are not dates, and keeps qualifiers', () => {
    const other = articleFromTexts('talks', 'Talks', [
      'Theresa May met them in May 2019. They may march on. May brought rain.',
      'In late March, talks stalled; by mid-April little had changed, and on April 2 the envoy left.',
    ]);
    const events = timelineOf(other);
    expect(events.map((event) => event.text)).toEqual(['late March', 'April 2', 'mid-April', 'May 2019']);
    expect(events.map((event) => event.date.year)).toEqual([2019, 2019, 2019, 2019]);
  });
});

describe('overview questions', () => {
  it.each([
    'Summarise the article',
    'summarize this',
    'what is this about',
    "what's the article about",
    'What’s this article about?',
    'main argument',
    'What is the main point?',
    "What is the author's main argument?",
    'tl;dr',
    'TL;DR?',
    'give me an overview',
    "what's the gist",
    'Can you summarize the article in 3 sentences?',
    'What does the article argue?',
    'sum it up please',
    'key takeaways?',
  ])('"%s" asks for an overview', (question) => {
    expect(isOverviewQuestion(question)).toBe(true);
  });

  it.each([
    // The argument of one party on one subject is a question for the passages, not the article's thesis.
    'What is the main argument Iran makes about Syria?',
    'Why are Russia and Iran not allies?',
    'Who is Velayati?',
    'What is the main point of paragraph 5?',
    'Summarize ¶5',
    'What does the article say about Turkey?',
    'Is this article about Syria?',
    'What happened on March 14?',
    'Why is the main argument weak?',
  ])('"%s" is a specific question', (question) => {
    expect(isOverviewQuestion(question)).toBe(false);
    expect(isOverviewQuestion(question, article.title)).toBe(false);
  });

  it('lets the article be named by its title words', () => {
    expect(isOverviewQuestion('Summarise the article on Russian-Iranian relations', article.title)).toBe(true);
    expect(isOverviewQuestion('Summarise the article on Russian-Iranian relations')).toBe(false);
    expect(isOverviewQuestion('Summarise what the article says about Turkey', article.title)).toBe(false);
  });
});

describe('discussion prompts', () => {
  const quoteOf = (prompt: string): string => prompt.slice(prompt.indexOf('“') + 1, prompt.lastIndexOf('”'));

  it('quotes each paragraph verbatim, names it, and is deterministic', () => {
    const sentences = bodySentences(article).map(({ sentence }) => sentence);
    for (const paragraph of bodyParagraphs(article)) {
      for (const prompt of [discussionPrompt(paragraph), discussionPrompt(paragraph, sentences)]) {
        expect(prompt.startsWith(`${paragraph.label} `)).toBe(true);
        const quote = quoteOf(prompt);
        expect(quote.split(' ').length).toBeGreaterThanOrEqual(6);
        expect(paragraph.text).toContain(quote);
        expect(prompt.endsWith('?')).toBe(true);
      }
      expect(discussionPrompt(paragraph, sentences)).toBe(discussionPrompt(paragraph, sentences));
    }
  });

  it('asks by what the paragraph does: weigh a claim, place a report, test an explanation, trace a conclusion', () => {
    const body = bodyParagraphs(article);
    const moves = body.map((paragraph) => /^¶\d+ (\w+) /.exec(discussionPrompt(paragraph))?.[1]);
    // Read by hand: ¶4 reports a meeting, ¶5 and ¶7 statements, ¶6 weighs two explanations, ¶9 draws the conclusion.
    expect(moves).toEqual(['reports', 'argues', 'reports', 'reports', 'reports', 'explains', 'reports', 'reports', 'concludes', 'argues', 'argues']);
    expect(discussionPrompt(body[5]!)).toBe(
      '¶6 explains “There appear to be two possible explanations for this episode—and neither of them bodes well for the future of Russian-Iranian cooperation” — which explanation do you find more likely, and what in the article points to it?',
    );
    expect(discussionPrompt(body[8]!)).toMatch(/^¶9 concludes “Washington, then, cannot expect that Tehran will consider binding any agreement/);
    expect(discussionPrompt(body[9]!)).toMatch(/^¶10 argues “Iran is definitely not going to gang up with Russia against Turkey” — do you find this convincing\?/);
    expect(discussionPrompt(body[3]!)).not.toContain('convincing');
    // The last paragraph, taking a stance without a marker, concludes.
    expect(discussionPrompt(body[10]!, undefined, true)).toMatch(/^¶11 concludes /);
  });
});
