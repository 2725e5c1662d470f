import { OptionType, type Command, type CommandContext, type Invoker } from '../src/commands/types.ts';
import { footerOf } from '../src/reply/compose.ts';
import { textReply, type Reply, type ReplyFile } from '../src/reply/reply.ts';
import { buildReport, reportCsv, reportSummary } from '../src/organizer/report.ts';
import { scopeFor } from '../src/store/types.ts';
import { articleOption } from '../src/texts/run.ts';
import { warnAtMostEveryMinute } from '../src/log.ts';

const PICTURE = 'report.png';

async function report(options: Record<string, unknown>, invoker: Invoker, context: CommandContext): Promise<Reply> {
  // A server's report names members: for its organizers. In DMs and the terminal it is the person's own reading.
  if (invoker.guildId !== undefined && !invoker.permissions.manageGuild) {
    return textReply('error', 'Manage Server needed', ['The reading report names members, so only those with the Manage Server permission can see it. Everyone sees totals on the posts themselves.'], { private: true });
  }
  const { library, clock, logger } = context;
  const article = library.mainArticle;
  const built = await buildReport(context, scopeFor(invoker), clock.now());
  const footer = footerOf(article);
  if (options.export === true) {
    return textReply('info', `Reading report: ${article.title}`, ['One row per paragraph, for a spreadsheet: questions, open questions near it, quiz misses, notes, Helpful votes, confusing flags.'], {
      private: true,
      footer,
      files: [{ name: `report-${article.slug}.csv`, content: reportCsv(built) }],
    });
  }
  let picture: ReplyFile | undefined;
  try {
    // Loaded on the first report: the renderer is not needed to start.
    const { heatmapPng } = await import('../src/organizer/heatmap.ts');
    picture = { name: PICTURE, content: await heatmapPng(built) };
  } catch (error) {
    warnAtMostEveryMinute(logger, error, 'could not draw the report’s picture');
  }
  const lines = reportSummary(built);
  return textReply('info', `Reading report: ${article.title}`, picture ? lines : [...lines, '', 'The picture could not be drawn on this machine; /report export:true gives the same figures as a spreadsheet.'], {
    private: true,
    footer,
    ...(picture ? { files: [picture], image: PICTURE } : {}),
  });
}

const reportCommand: Command = {
  definition: {
    name: 'report',
    description: 'Where the group got stuck, per paragraph, with participation (Manage Server)',
    options: [{ type: OptionType.Boolean, name: 'export', description: 'The figures as a CSV file instead' }, articleOption],
  },
  private: true,
  handle: ({ options, invoker }, context) => report(options, invoker, context),
};

export default reportCommand;
