/** The kinds of quiz, apart from the generator: a command can list them without loading the NLP library the generator needs. */
export type QuizKind = 'cloze' | 'which-paragraph';
export const QUIZ_KINDS: readonly QuizKind[] = ['cloze', 'which-paragraph'];
/** What stands in a sentence for a blanked term. */
export const BLANK = '_____';
