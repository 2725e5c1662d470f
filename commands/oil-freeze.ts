import { topicCommand } from '../src/commands/topic.ts';

export default topicCommand({
  name: 'oil-freeze',
  description: "Why Iran would not join the oil production freeze",
  question: "Why did Iran refuse to join the agreement to freeze oil production?",
});
