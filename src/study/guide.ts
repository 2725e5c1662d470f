/**
 * Everything study commands derive from one article, computed once and kept:
 * the outline and thesis at once (cheap), the people and the timeline on
 * first use, since the NLP and date libraries they load cost more at start-up
 * than the whole index.
 */
import { bodyParagraphs, type Article, type Paragraph } from '../corpus/types.ts';
import { outlineOf, thesisOf, type OutlineEntry, type Thesis } from './outline.ts';
import type { Person } from './people.ts';
import { discussionPrompt } from './prompt.ts';
import type { TimelineEvent } from './timeline.ts';

export class StudyGuide {
  readonly outline: OutlineEntry[];
  readonly thesis: Thesis;
  private people_: Promise<Person[]> | undefined;
  private timeline_: Promise<TimelineEvent[]> | undefined;

  constructor(readonly article: Article) {
    this.outline = outlineOf(article);
    this.thesis = thesisOf(article);
  }

  /** The people the article names, in order of first appearance. */
  people(): Promise<Person[]> {
    this.people_ ??= import('./people.ts').then(({ peopleOf }) => peopleOf(this.article));
    return this.people_;
  }

  /** The article's dated events, in calendar order. */
  timeline(): Promise<TimelineEvent[]> {
    this.timeline_ ??= import('./timeline.ts').then(({ timelineOf }) => timelineOf(this.article));
    return this.timeline_;
  }

  /** A question for a group to discuss, chosen by what the paragraph does (claims, reports, explains, concludes). */
  prompt(paragraph: Paragraph): string {
    return discussionPrompt(paragraph, undefined, bodyParagraphs(this.article).at(-1) === paragraph);
  }
}
