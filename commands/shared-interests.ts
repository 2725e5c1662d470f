import { topicCommand } from '../src/commands/topic.ts';

export default topicCommand({
  name: 'shared-interests',
  description: "What Russia and Iran have in common",
  question: "What interests do Russia and Iran share against America and the West?",
});
