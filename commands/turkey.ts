import { topicCommand } from '../src/commands/topic.ts';

export default topicCommand({
  name: 'turkey',
  description: "How Iran and Russia differ over Turkey",
  question: "How do Iran and Russia differ in their relations with Turkey?",
});
