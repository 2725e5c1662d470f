/** Topic commands are data: a name, a description and the question they stand for. */
import type { Command } from './types.ts';

export interface Topic {
  /** Discord command name: lowercase letters, digits and hyphens, at most 32. */
  name: string;
  /** At most 100 characters. */
  description: string;
  question: string;
}

export function topicCommand(topic: Topic): Command {
  return {
    definition: { name: topic.name, description: topic.description },
    answering: true,
    question: topic.question,
    handle: (_input, { library }) => library.ask(topic.question),
  };
}
