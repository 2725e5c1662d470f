import { topicCommand } from '../src/commands/topic.ts';

export default topicCommand({
  name: 'what-washington-should-do',
  description: "What the article says Washington should do",
  question: "What should Washington do about Tehran and Moscow?",
});
