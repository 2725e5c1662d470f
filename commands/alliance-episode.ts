import { topicCommand } from '../src/commands/topic.ts';

export default topicCommand({
  name: 'alliance-episode',
  description: "Velayati's alliance announcement and Moscow's denial",
  question: "What happened when Velayati announced an alliance of Iran, Russia, Syria and Hezbollah?",
});
