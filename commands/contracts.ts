import { topicCommand } from '../src/commands/topic.ts';

export default topicCommand({
  name: 'contracts',
  description: "The power plant and railway contracts Iran is impeding",
  question: "Why is Iran impeding the contracts with Russia on the power plant and railway electrification?",
});
