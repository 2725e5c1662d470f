/**
 * Tells a request for the whole article's point ("Summarise the article",
 * "tl;dr", "what's the main argument?") from a question about something in it.
 */
import { termsOf } from '../language/terms.ts';

/** Phrases that ask for the article as a whole. Matched on lower-case text with straight apostrophes. */
const OVERVIEW_CUES: readonly RegExp[] = [
  /\b(?:summari[sz]e|summary|summarization|summarisation|synopsis|recap|overview|gist|nutshell|tl\s*;?\s*dr)\b/,
  /\bsum (?:(?:it|this|that|the \w+) )?up\b/,
  /\b(?:main|key|central|core|overall|basic|big|chief|principal) (?:argument|point|idea|claim|message|takeaway|conclusion|theme|thesis|thrust|contention)s?\b/,
  /\b(?:thesis|takeaways?|bottom line|big picture)\b/,
  // "what is this about", "what's the article about", "what is it all about"
  /\bwhat(?:'s| is| was)? (?:this|it|that|the (?:article|piece|text|essay|post|reading)|this (?:article|piece|text|essay|post|reading))(?: \w+)? about\b/,
  /\bwhat (?:does|did|is) (?:the|this) (?:article|piece|text|essay|author|writer)(?:'s)? (?:say|saying|argue|arguing|claim|claiming|conclude|concluding|trying to say)\b/,
  /\b(?:explain|describe) (?:the|this) (?:article|piece|text|essay)\b/,
  /\bpoint of (?:the|this) (?:article|piece|text|essay)\b/,
];

/** "in three sentences", "in 50 words": a requested length is no subject of its own. */
const LENGTH_REQUEST = /\bin (?:\d+|one|two|three|four|five|a few|a couple of) (?:short )?(?:sentences?|words?|lines?|points?|bullets?|bullet points?|paragraphs?)\b/g;

/**
 * Words that can surround an overview request without narrowing it: pronouns,
 * auxiliaries, politeness, and words for the article itself. Anything else
 * left over ("wages", "the union", "paragraph 5", "why") makes the question a
 * specific one even when it contains an overview phrase.
 */
const FILLER: ReadonlySet<string> = new Set([
  ...['a', 'an', 'the', 'this', 'that', 'these', 'it', 'its', 'me', 'us', 'we', 'i', 'you', 'my', 'our', 's'],
  ...['is', 'are', 'was', 'be', 'do', 'does', 'did', 'can', 'could', 'would', 'will', 'should', 'may', 'might', 'pls', 'plz', 'please'],
  ...['what', 'whats', 'give', 'tell', 'show', 'provide', 'write', 'get', 'need', 'want', 'like', 'let', 'know'],
  ...['of', 'in', 'for', 'about', 'on', 'to', 'with', 'from', 'all', 'just', 'so', 'ok', 'okay', 'hey', 'hi', 'again', 'now', 'here', 'there', 'then'],
  ...['quick', 'quickly', 'short', 'shortly', 'brief', 'briefly', 'simple', 'simply', 'plain', 'basically', 'really', 'overall', 'whole', 'entire', 'general', 'generally', 'main', 'mainly'],
  ...['article', 'articles', 'piece', 'text', 'essay', 'post', 'reading', 'author', 'writer', 'content', 'contents', 'everything'],
  ...['argument', 'arguments', 'point', 'points', 'idea', 'ideas', 'claim', 'claims', 'message', 'conclusion', 'takeaway', 'thesis', 'say', 'says', 'saying', 'argue', 'argues', 'arguing', 'make', 'makes', 'making', 'trying'],
]);

function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‘’ʼ`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

const GLOBAL_CUES = OVERVIEW_CUES.map((cue) => new RegExp(cue.source, 'g'));

/**
 * Whether `text` asks for the article as a whole: an overview phrase, and
 * nothing besides it that narrows the question to one subject. "What is the
 * main argument?" is an overview; "What is the main argument the union makes
 * about wages?" asks about one party's argument on one subject, and "Why did
 * the talks fail?" is a question for the passages. Words of the
 * article's `title`, when given, name the article rather than narrow it
 * ("Summarise the article on Arctic shipping routes").
 */
export function isOverviewQuestion(text: string, title?: string): boolean {
  const normal = normalise(text);
  if (!OVERVIEW_CUES.some((cue) => cue.test(normal))) return false;
  let rest = normal.replace(LENGTH_REQUEST, ' ');
  for (const cue of GLOBAL_CUES) rest = rest.replace(cue, ' ');
  const titleTerms = new Set(title === undefined ? [] : termsOf(title));
  const words = rest.match(/[\p{L}\p{N}]+/gu) ?? [];
  const namesTheArticle = (word: string): boolean => {
    const terms = termsOf(word);
    return terms.length > 0 && terms.every((term) => titleTerms.has(term));
  };
  return words.every((word) => FILLER.has(word) || namesTheArticle(word));
}
