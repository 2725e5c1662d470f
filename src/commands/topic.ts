/** Topic commands are article data: the front matter's `topics` become slash commands that ask their question. */
import type { Article, Topic } from '../corpus/types.ts';
import type { Command } from './types.ts';

export function topicCommand(topic: Topic): Command {
  return {
    definition: { name: topic.name, description: topic.description },
    answering: true,
    question: topic.question,
    handle: (_input, { library }) => library.ask(topic.question),
  };
}

/** Every article's topics as commands, in the articles' order. */
export function topicCommands(articles: readonly Article[]): Command[] {
  return articles.flatMap((article) => article.topics.map(topicCommand));
}
