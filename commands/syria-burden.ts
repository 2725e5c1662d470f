import { topicCommand } from '../src/commands/topic.ts';

export default topicCommand({
  name: 'syria-burden',
  description: "Who carries the burden of supporting Assad in Syria?",
  question: "How did Iran shift the burden of supporting Assad in Syria onto Moscow?",
});
