/**
 * A reader who does not read: picks a fill-in-the-blank option from the
 * sentence's grammar alone (written 2026-12-06, before the quiz generator was
 * changed against it, and not tuned to it since). It looks only at the words
 * either side of the blank and at each option's own form:
 *
 * - "a"/"an" before the blank and the option's first sound;
 * - number: a singular determiner ("a", "this", "each") or a plural one
 *   ("two", "these", "several") before the blank, "is"/"are" after it, and
 *   whether the option ends like a plural noun;
 * - a blank that starts the sentence wants a capital;
 * - dates: "on" wants a day ("12 February"), "in" a month or year;
 * - "the"/"its"/"their" before the blank seldom precede a person's name.
 *
 * Each broken rule costs the option points; the best-scoring option is
 * chosen, ties split evenly, so a blank no rule decides scores 1 in 4.
 */

const SINGULAR_DETERMINERS = new Set(['a', 'an', 'this', 'that', 'each', 'every', 'one', 'another', 'either', 'neither']);
const PLURAL_DETERMINERS = new Set(['two', 'three', 'four', 'five', 'several', 'many', 'these', 'those', 'both', 'few', 'various', 'numerous', 'multiple']);
const SINGULAR_VERBS = new Set(['is', 'was', 'has', 'does', 'seems', 'appears', 'remains']);
const PLURAL_VERBS = new Set(['are', 'were', 'have', 'do', 'seem', 'appear', 'remain']);
const POSSESSIVES = new Set(['the', 'its', 'their', 'his', 'her', 'our', 'my', 'your']);
const VOWEL_SOUND = /^(?:[aeiou]|hon|hour|heir)/i;
const CONSONANT_SOUND_VOWEL = /^(?:uni|use|usu|eu|one|once)/i;
const MONTHS = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i;

function lastWord(text: string): string {
  return /([\p{L}\p{N}’'$-]+)[^\p{L}\p{N}]*$/u.exec(text)?.[1]?.toLowerCase() ?? '';
}

function firstWord(text: string): string {
  return /^[^\p{L}\p{N}]*([\p{L}\p{N}’'-]+)/u.exec(text)?.[1]?.toLowerCase() ?? '';
}

function looksPlural(option: string): boolean {
  const word = lastWord(option);
  if (/^\d/.test(word)) return false;
  return /[^s]s$/.test(word) && !/(?:ss|us|is|ics)$/.test(word);
}

function startsWithVowelSound(option: string): boolean {
  return VOWEL_SOUND.test(option) && !CONSONANT_SOUND_VOWEL.test(option);
}

/** Has a day of the month: "12 February 2016", "February 12". */
function namesADay(option: string): boolean {
  return MONTHS.test(option) && /\b\d{1,2}\b/.test(option.replace(/\b\d{4}\b/g, ''));
}

/** How badly `option` fits the blank by grammar alone: 0 fits, more is worse. */
export function grammarPenalty(before: string, after: string, option: string, blankStartsSentence: boolean): number {
  const previous = lastWord(before);
  const next = firstWord(after);
  let penalty = 0;
  if (previous === 'a' && startsWithVowelSound(option)) penalty += 3;
  if (previous === 'an' && !startsWithVowelSound(option)) penalty += 3;
  const plural = looksPlural(option);
  if (SINGULAR_DETERMINERS.has(previous) && plural) penalty += 2;
  if (PLURAL_DETERMINERS.has(previous) && !plural) penalty += 2;
  if (SINGULAR_VERBS.has(next) && plural) penalty += 1;
  if (PLURAL_VERBS.has(next) && !plural && !/\band\b/.test(option)) penalty += 1;
  if (blankStartsSentence && /^\p{Ll}/u.test(option)) penalty += 2;
  if (!blankStartsSentence && POSSESSIVES.has(previous) && /^\p{Lu}\p{Ll}+ \p{Lu}/u.test(option)) penalty += 1;
  if (previous === 'on' && MONTHS.test(option) && !namesADay(option)) penalty += 2;
  if (previous === 'in' && namesADay(option)) penalty += 1;
  return penalty;
}

/** The chance the grammar-only reader picks the right option (ties split evenly). */
export function guesserChance(prompt: string, blank: string, options: readonly string[], answer: number): number {
  const at = prompt.indexOf(blank);
  const before = prompt.slice(0, at);
  const after = prompt.slice(at + blank.length);
  const startsSentence = before.trim() === '' || /["“]$/.test(before.trim());
  const penalties = options.map((option) => grammarPenalty(before, after, option, startsSentence));
  const best = Math.min(...penalties);
  const tied = penalties.filter((penalty) => penalty === best).length;
  return penalties[answer] === best ? 1 / tied : 0;
}
