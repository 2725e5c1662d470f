import { topicCommand } from '../src/commands/topic.ts';

export default topicCommand({
  name: 'why-not-allies',
  description: "Why are Russia and Iran not allies, despite their shared interests?",
  question: "Why are Russia and Iran not allies?",
});
