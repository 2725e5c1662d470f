/**
 * npm run eval -- --squad FILE [--json]
 * npm run eval -- --article [--questions FILE] [--corpus DIR] [--json]
 * --ablation: Footnote's parts switched on one at a time, above the peers.
 *
 * Table (or one JSON object) on stdout, progress on stderr.
 */
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { loadApp } from '../src/app.ts';
import { answerFigures, formatAnswerFigures } from './answers.ts';
import { loadArticleSet, loadSquad, type ArticleQuestion, type EvalSet } from './dataset.ts';
import { evaluate } from './evaluate.ts';
import { FOOTNOTE_ABLATION } from './systems/footnote.ts';
import { SYSTEMS } from './systems/index.ts';
import { formatTable } from './table.ts';

const USAGE = 'usage: npm run eval -- (--squad FILE | --article [--questions FILE] [--corpus DIR]) [--ablation] [--json]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      squad: { type: 'string' },
      article: { type: 'boolean', default: false },
      questions: { type: 'string', default: 'tests/fixtures/article-questions.json' },
      corpus: { type: 'string', default: 'corpus' },
      json: { type: 'boolean', default: false },
      ablation: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || (values.squad === undefined) === !values.article) {
    console.error(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const set: EvalSet = values.squad !== undefined ? await loadSquad(values.squad) : await loadArticleSet(values.corpus, values.questions);
  const started = Date.now();
  const { report, byKind } = evaluate(set, values.ablation ? [...FOOTNOTE_ABLATION, ...SYSTEMS.slice(1)] : SYSTEMS, (done, total, name) => {
    if (done < total) console.error(`eval: [${done + 1}/${total}] ${name}`);
    else console.error(`eval: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  if (values.json) {
    console.log(JSON.stringify(report));
    return;
  }
  console.log(formatTable(report));
  for (const [kind, kindReport] of byKind) console.log(`\n${formatTable(kindReport, `${kind}: ${kindReport.questions} questions`)}`);
  if (values.article) {
    // What the bot says, not only how it ranks: refusals, low confidence, the reason sentence.
    const { library } = (await loadApp(values.corpus)).context;
    const questions = JSON.parse(await readFile(values.questions, 'utf8')) as ArticleQuestion[];
    console.log(`\nAnswers as the bot gives them (${questions.length} questions)\n${formatAnswerFigures(answerFigures(library, questions))}`);
  }
}

main().catch((error: unknown) => {
  console.error(`eval: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
