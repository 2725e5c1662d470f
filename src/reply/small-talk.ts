/**
 * Messages that are not questions about the article: greetings, thanks,
 * "who are you?", and questions in another language. They get a short
 * friendly reply instead of "the article does not cover that".
 */

export type SmallTalk = 'greeting' | 'thanks' | 'identity' | 'other-language';

const GREETING = /^(?:hi|hello|hey|hiya|howdy|yo|good (?:morning|afternoon|evening)|greetings|hi there|hello there|hey there)(?:\s+(?:footnote|bot|there|everyone|all))?[\s!.,]*$/i;
const THANKS = /^(?:thanks?(?: you)?(?: (?:so|very) much)?|thx|ty|cheers|many thanks|great,? thanks?|ok(?:ay)?,? thanks?|perfect,? thanks?)(?:\s+(?:footnote|bot))?[\s!.,]*$/i;
const IDENTITY = /^(?:who|what) are you\??$|^what (?:can|do) you do\??$|^what is (?:this|footnote)\??$|^how (?:do|does) (?:this|it|you|footnote) work\??$|^help(?: me)?[\s!.?]*$/i;

/** Scripts English is not written in: a question mostly in one of them is in another language. */
const OTHER_SCRIPT = /[\p{Script=Cyrillic}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Greek}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Devanagari}\p{Script=Thai}\p{Script=Armenian}\p{Script=Georgian}]/gu;
const LETTER = /\p{L}/gu;

/** Frequent function words of languages written in Latin script; English ones are not among them. */
const FOREIGN_WORDS = new Set(
  (
    'le la les des est une du au aux pourquoi quoi qui que quel quelle sont avec pour dans sur ' +
    'el los las por qué quién cuál cómo dónde son una del con para está ' +
    'der die das und ist nicht warum wie wer was sind mit für ein eine ' +
    'il lo gli perché chi cosa sono della con per ' +
    'o os um uma não porque quem ' +
    'het een niet waarom wie wat zijn'
  ).split(' '),
);
const ENGLISH_WORDS = new Set('the a an is are was were why what who how when where which do does did not and of to in on with for about'.split(' '));

function otherLanguage(text: string): boolean {
  const letters = text.match(LETTER)?.length ?? 0;
  const foreignScript = text.match(OTHER_SCRIPT)?.length ?? 0;
  if (letters > 0 && foreignScript / letters > 0.5) return true;
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const foreign = words.filter((word) => FOREIGN_WORDS.has(word)).length;
  const english = words.filter((word) => ENGLISH_WORDS.has(word)).length;
  return foreign >= 2 && foreign > english;
}

export function smallTalkOf(text: string): SmallTalk | undefined {
  const trimmed = text.trim();
  if (GREETING.test(trimmed)) return 'greeting';
  if (THANKS.test(trimmed)) return 'thanks';
  if (IDENTITY.test(trimmed)) return 'identity';
  if (otherLanguage(trimmed)) return 'other-language';
  return undefined;
}
