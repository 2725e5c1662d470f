/**
 * The report's picture: one row per paragraph, one column per figure, each
 * cell as dark as its figure is high within its column, the number written in
 * it. Drawn as SVG and rendered to PNG by resvg with the DejaVu Sans font
 * shipped in an npm package, so it looks the same on every machine, fonts
 * installed or not. resvg loads on the first report, not at start-up.
 */
import { createRequire } from 'node:module';
import type { ReadingReport, ParagraphRow } from './report.ts';
import { troubleOf } from './report.ts';

const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');

/** A long text shows its most troubled paragraphs (in ¶ order), not hundreds of rows. */
export const MAX_ROWS = 40;

const COLUMNS: { title: string; value: (row: ParagraphRow) => number }[] = [
  { title: 'Questions', value: (row) => row.answered },
  { title: 'Low conf.', value: (row) => row.low },
  { title: 'Open qs.', value: (row) => row.unanswered },
  { title: 'Quiz misses', value: (row) => row.quizMisses },
  { title: 'Notes', value: (row) => row.notes },
  { title: 'Helpful', value: (row) => row.helpful },
  { title: 'Confusing', value: (row) => row.confusing },
];

const EMPTY_CELL = '#f4f4f4';
const LABEL_WIDTH = 70;
const CELL_WIDTH = 96;
const ROW_HEIGHT = 26;
const HEADER_HEIGHT = 70;
const FOOTER_HEIGHT = 34;

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** White to deep orange-red, by share of the column's highest value. */
function shade(share: number): string {
  const t = Math.max(0, Math.min(1, share));
  const mix = (from: number, to: number) => Math.round(from + (to - from) * t);
  return `rgb(${mix(255, 179)},${mix(255, 38)},${mix(255, 30)})`;
}

/** The rows drawn: every paragraph, or for a long text the most troubled (then busiest) ones. */
export function drawnRows(report: ReadingReport): ParagraphRow[] {
  if (report.rows.length <= MAX_ROWS) return report.rows;
  const busy = (row: ParagraphRow) => COLUMNS.reduce((sum, column) => sum + column.value(row), 0);
  return [...report.rows]
    .sort((a, b) => troubleOf(b) - troubleOf(a) || busy(b) - busy(a) || a.paragraph - b.paragraph)
    .slice(0, MAX_ROWS)
    .sort((a, b) => a.paragraph - b.paragraph);
}

export function heatmapSvg(report: ReadingReport): string {
  const rows = drawnRows(report);
  const width = LABEL_WIDTH + CELL_WIDTH * COLUMNS.length + 20;
  const height = HEADER_HEIGHT + ROW_HEIGHT * rows.length + FOOTER_HEIGHT;
  const highest = COLUMNS.map((column) => Math.max(1, ...report.rows.map(column.value)));
  const title = report.article.title.length > 70 ? `${report.article.title.slice(0, 69)}…` : report.article.title;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="24" font-size="16" fill="#222">${escapeXml(`Where the group got stuck: ${title}`)}</text>`,
  ];
  COLUMNS.forEach((column, index) => {
    parts.push(`<text x="${LABEL_WIDTH + CELL_WIDTH * index + CELL_WIDTH / 2}" y="${HEADER_HEIGHT - 10}" font-size="12" text-anchor="middle" fill="#444">${escapeXml(column.title)}</text>`);
  });
  rows.forEach((row, line) => {
    const y = HEADER_HEIGHT + ROW_HEIGHT * line;
    parts.push(`<text x="${LABEL_WIDTH - 10}" y="${y + 18}" font-size="13" text-anchor="end" fill="#222">¶${row.paragraph}</text>`);
    COLUMNS.forEach((column, index) => {
      const value = column.value(row);
      const share = value / (highest[index] as number);
      const x = LABEL_WIDTH + CELL_WIDTH * index;
      // An empty cell is a faint grey, so the grid reads; any figure starts from white.
      parts.push(`<rect x="${x + 1}" y="${y + 1}" width="${CELL_WIDTH - 2}" height="${ROW_HEIGHT - 2}" fill="${value === 0 ? EMPTY_CELL : shade(share)}"/>`);
      if (value > 0) parts.push(`<text x="${x + CELL_WIDTH / 2}" y="${y + 18}" font-size="13" text-anchor="middle" fill="${share > 0.55 ? '#ffffff' : '#222'}">${value}</text>`);
    });
  });
  const shown = rows.length < report.rows.length ? `${rows.length} of ${report.rows.length} paragraphs, the most troubled · ` : '';
  parts.push(`<text x="10" y="${height - 12}" font-size="11" fill="#666">${escapeXml(`${shown}each column shaded against its own highest value`)}</text>`, '</svg>');
  return parts.join('');
}

/** The picture as PNG bytes. */
export async function heatmapPng(report: ReadingReport): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const rendered = new Resvg(heatmapSvg(report), { font: { fontFiles: [FONT], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } }).render();
  return rendered.asPng();
}
