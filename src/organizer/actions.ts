/**
 * The buttons a group reads with, wherever a paragraph is shown (passages,
 * discussion posts, reading-plan parts, assignments): their actions, made
 * here so the runner and the commands offer the same ones. The commands that
 * serve them: note.ts (notes-on, note-helpful), confused.ts, assign.ts.
 */
import { warnAtMostEveryMinute, type Logger } from '../log.ts';
import type { ReplyAction } from '../reply/reply.ts';
import type { Scope, Store } from '../store/types.ts';

/** "Notes on ¶N (3)": that paragraph's notes; `count` is for the label only. `article` is the text's slug. */
export interface NotesOnAction extends ReplyAction {
  kind: 'notes-on';
  paragraph: number;
  count: number;
  article?: string;
}

/** "¶N confused me": a member's flag for the organizer, pressed again to take it back. */
export interface ConfusedAction extends ReplyAction {
  kind: 'confused';
  article: string;
  paragraph: number;
}

/** "Done reading" on an assignment (pressed again: not done). */
export interface AssignmentDoneAction extends ReplyAction {
  kind: 'assignment-done';
  assignment: number;
}

/** "Remind me" on an assignment: a direct message before it is due, unless done by then. */
export interface AssignmentRemindAction extends ReplyAction {
  kind: 'assignment-remind';
  assignment: number;
}

export function confusedAction(article: string, paragraph: number): ConfusedAction {
  return { kind: 'confused', article, paragraph };
}

export function assignmentActions(assignment: number): ReplyAction[] {
  return [{ kind: 'assignment-done', assignment } satisfies AssignmentDoneAction, { kind: 'assignment-remind', assignment } satisfies AssignmentRemindAction];
}

/**
 * What a post shows under paragraphs a group reads: each one's note count as
 * a line ("Notes: 2 on ¶6, none yet on ¶7"), a "Notes on ¶N" and a "¶N
 * confused me" button per paragraph. Public notes only (the post is public).
 * Without the store, the buttons alone.
 */
export async function paragraphMarks(store: Store, logger: Logger, scope: Scope, article: string, paragraphs: readonly number[]): Promise<{ lines: string[]; actions: ReplyAction[] }> {
  let counts: Map<number, number> | undefined;
  try {
    counts = await store.notes.countByParagraph(scope, '', article);
  } catch (error) {
    warnAtMostEveryMinute(logger, error, 'could not count the notes of a post’s paragraphs');
  }
  const actions: ReplyAction[] = paragraphs.flatMap((paragraph) => [
    ...(counts ? [{ kind: 'notes-on', paragraph, count: counts.get(paragraph) ?? 0, article } satisfies NotesOnAction] : []),
    confusedAction(article, paragraph),
  ]);
  if (!counts) return { lines: [], actions };
  const said = paragraphs.map((paragraph) => {
    const count = counts.get(paragraph) ?? 0;
    return count === 0 ? `none yet on ¶${paragraph}` : `${count} note${count === 1 ? '' : 's'} on ¶${paragraph}`;
  });
  return { lines: [`Notes: ${said.join(', ')}. Add one with /note add paragraph:N.`], actions };
}
