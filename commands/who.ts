import { OptionType, type Command } from '../src/commands/types.ts';
import { citationOf, footerOf } from '../src/reply/compose.ts';
import { textReply } from '../src/reply/reply.ts';
import { truncate } from '../src/truncate.ts';
import { articleOption } from '../src/texts/run.ts';

/** The identifying sentence is cut past this in the list; one person's own page quotes whole sentences. */
const LIST_SENTENCE_CHARS = 220;
const MAX_LISTED = 25;

/** "the author", "author", the author's name or surname ("Katz", "Mark Katz"). */
function isAuthor(asked: string, author: string): boolean {
  const words = (text: string) => text.toLowerCase().replace(/[^\p{L}\s]/gu, ' ').split(/\s+/).filter((word) => word.length > 1);
  const wanted = words(asked).filter((word) => word !== 'the');
  if (wanted.length === 0) return false;
  if (wanted.join(' ') === 'author' || wanted.join(' ') === 'writer') return true;
  const authorWords = new Set(words(author));
  return wanted.every((word) => authorWords.has(word)) && wanted.includes(words(author).at(-1) ?? '');
}

const who: Command = {
  definition: {
    name: 'who',
    description: 'The people the article names, and who each is in its own words',
    options: [{ type: OptionType.String, name: 'name', description: 'A person, e.g. a surname; leave out to list everyone', max_length: 100, autocomplete: true }, articleOption],
  },
  handle: async ({ options }, { library }) => {
    const article = library.mainArticle;
    const people = await library.guide(article).people();
    const footer = footerOf(article);
    const name = typeof options.name === 'string' ? options.name.trim() : '';
    if (name === '') {
      if (people.length === 0) return textReply('not-found', 'People in the article', ['The article names no people.'], { footer });
      return textReply(
        'info',
        'People in the article',
        [
          // A role in the text's own words when it gives one; else the sentence that names them.
          ...people
            .slice(0, MAX_LISTED)
            .map(({ name: full, identifying, role }) => `${full} — ${role === undefined ? `“${truncate(identifying.sentence, LIST_SENTENCE_CHARS)}”` : `“${role}”`} (${citationOf(identifying.paragraph).label})`),
          '',
          'For everything the article says of one of them: /who name:<name>.',
        ],
        { footer },
      );
    }
    if (isAuthor(name, article.author)) {
      // The author is who wrote the text, not someone it names: their own notes say who they are.
      const notes = article.paragraphs.filter((paragraph) => paragraph.role === 'bio');
      return {
        ...textReply('answer', article.author, [`The author of “${article.title}”.`], { footer }),
        answer: notes.map((paragraph) => ({ text: paragraph.text, cite: citationOf(paragraph) })),
      };
    }
    // Loaded with the people themselves (guide.people()), not at start-up: the NLP library under it is slow to load.
    const { findPeople } = await import('../src/study/people.ts');
    const found = findPeople(people, name);
    if (found.length !== 1) {
      const known = people.map((person) => person.name).join(', ');
      const lead = found.length > 1 ? `“${name}” could be ${found.map((person) => person.name).join(' or ')}.` : `The article names nobody called “${name}”.`;
      return textReply('not-found', `Who is ${name}?`, [lead, `People it names: ${known}.`], { footer });
    }
    const person = found[0] as (typeof found)[number];
    return {
      ...textReply('answer', person.name, person.aliases.length > 0 ? [`Also called: ${person.aliases.join(', ')}.`] : [], { footer }),
      answer: person.mentions.map((mention) => ({ text: mention.sentence, cite: citationOf(mention.paragraph) })),
    };
  },
  autocomplete: async (_option, partial, { library }) => {
    const people = await library.guide().people();
    const typed = partial.trim().toLowerCase();
    return people
      .filter((person) => typed === '' || [person.name, ...person.aliases].some((form) => form.toLowerCase().includes(typed)))
      .map((person) => ({ name: person.name, value: person.name }));
  },
};

export default who;
