/**
 * A deck as a file Anki imports (File → Import, Anki 2.1.55 or later reads the
 * header lines): tab-separated, one card a line — front, back, tags — with
 * the article and ¶ as tags. Tabs and line breaks inside a field become
 * spaces, so a field can never split a line.
 */
import type { ReviewCard } from '../store/types.ts';

const HEADER = ['#separator:tab', '#html:false', '#notetype:Basic', '#deck:Footnote', '#tags column:3'];

function field(text: string): string {
  return text.replace(/[\t\r\n\u2028\u2029]+/g, ' ').trim();
}

/** Anki tags are single words: the article's slug and "¶N". */
function tags(card: ReviewCard): string {
  return `${card.article} ¶${card.paragraph}`;
}

export function ankiFile(cards: readonly ReviewCard[], titleOf: (slug: string) => string): string {
  const lines = cards.map((card) => {
    const back = `${card.back} — “${card.sentence}” (¶${card.paragraph}, ${titleOf(card.article)})`;
    return [field(card.front), field(back), tags(card)].join('\t');
  });
  return `${[...HEADER, ...lines].join('\n')}\n`;
}
