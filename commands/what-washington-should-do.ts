import { topicCommand } from '../src/commands/topic.ts';

export default topicCommand({
  name: 'what-washington-should-do',
  description: "What the article says Washington should do",
  question: "What must Washington do to reach a settlement in Syria?",
});
