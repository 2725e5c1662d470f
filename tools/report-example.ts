/**
 * npm run report-example: writes docs/report-example.svg, the organizer's
 * picture for a small made-up group reading the built-in article (the PNG
 * /report attaches is this SVG rendered), so the docs show one.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadApp } from '../src/app.ts';
import { NO_PERMISSIONS } from '../src/commands/types.ts';
import { heatmapSvg } from '../src/organizer/heatmap.ts';
import { buildReport } from '../src/organizer/report.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { guildScope } from '../src/store/types.ts';

const ROOT = join(import.meta.dirname, '..');
const store = new MemoryStore();
const app = await loadApp(join(ROOT, 'corpus'), { store });
const { slug } = app.context.library.mainArticle;
const scope = guildScope('1');
const members = ['ada', 'bo', 'cy', 'di', 'ed'].map((name) => ({ userId: name, displayName: name }));
const ask = app.commands.find((command) => command.definition.name === 'ask');
const questions = [
  'Why are Russia and Iran not allies?',
  'What was the second explanation of the Velayati episode?',
  'Why did Iran refuse to join the oil freeze?',
  'What did Moscow say about the alliance?',
  'which explanation is more likely?',
];
for (const [index, member] of members.entries()) {
  const invoker = { userId: member.userId, displayName: member.displayName, guildId: '1', channelId: '2', inThread: false, permissions: NO_PERMISSIONS };
  for (const question of questions.slice(index % 3)) await ask?.handle({ options: { question }, invoker }, app.context);
  await store.confusion.toggle(scope, slug, 6, member, 0);
  if (index % 2 === 0) await store.confusion.toggle(scope, slug, 5, member, 0);
  const note = await store.notes.add({ scope, article: slug, paragraph: [6, 9, 6, 2, 7][index] as number, authorId: member.userId, authorName: member.displayName, text: 'A note.', private: false }, 0);
  await store.notes.toggleHelpful(scope, note.id, members[(index + 1) % members.length] as (typeof members)[number], 0);
}
const report = await buildReport(app.context, scope, Date.UTC(2026, 11, 6));
writeFileSync(join(ROOT, 'docs', 'report-example.svg'), `${heatmapSvg(report)}\n`);
await store.close();
console.log('wrote docs/report-example.svg');
