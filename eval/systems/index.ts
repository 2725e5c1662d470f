import { footnote } from './footnote.ts';
import { lunrSystem } from './lunr.ts';
import { miniSearchDefault, miniSearchStem } from './minisearch.ts';
import { tfidfCosine } from './tfidf-cosine.ts';
import type { SearchSystem } from './types.ts';
import { winkBm25 } from './wink-bm25.ts';

/** Every system the eval runs, Footnote first; the table keeps this order. */
export const SYSTEMS: readonly SearchSystem[] = [footnote, miniSearchDefault, miniSearchStem, winkBm25, lunrSystem, tfidfCosine];
