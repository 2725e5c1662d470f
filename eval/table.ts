/** The eval report as a Markdown table, ready for the README. */
import type { EvalReport } from './evaluate.ts';

const fixed = (value: number | null, decimals: number) => (value === null || Number.isNaN(value) ? '—' : value.toFixed(decimals));

export function formatTable(report: EvalReport, title = `${report.questions} questions`): string {
  const header = '| system | R@1 % | R@3 % | R@5 % | MRR | answer % | rejected % | p50 ms | p99 ms |';
  const rule = '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
  const rows = Object.entries(report.systems).map(([name, f]) =>
    `| ${name} | ${fixed(f.r1, 1)} | ${fixed(f.r3, 1)} | ${fixed(f.r5, 1)} | ${fixed(f.mrr, 3)} | ${fixed(f.answer, 1)} | ${fixed(f.rejected, 1)} | ${fixed(f.p50_ms, 3)} | ${fixed(f.p99_ms, 3)} |`,
  );
  return [title, '', header, rule, ...rows].join('\n');
}

/** Any rows as a Markdown table; every column after the first is right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const rule = header.map((_, index) => (index === 0 ? '---' : '---:'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
