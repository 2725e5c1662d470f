/**
 * Which text a command reads: the built-in library (the corpus folder) in
 * DMs and wherever a server chose none, or a text the server brought, by the
 * `article:` option or as the server's default. A server's texts live in the
 * store, so every worker sees the same; their indexes are built on first use
 * and kept in a bounded cache (at most MAX_CACHED texts and MAX_CACHED_CHARS
 * characters of text at once, least recently used first out).
 */
import { parseArticle } from '../corpus/load.ts';
import type { Article } from '../corpus/types.ts';
import { Library } from '../library.ts';
import type { LibraryText, Scope, Store } from '../store/types.ts';
import type { OptionChoice } from '../commands/types.ts';

export const MAX_CACHED = 24;
/** An index takes about 36 bytes of heap per character of text (measured: 6.1 MB for a 169,000-character, 360-paragraph PDF), so about 110 MB at most. */
const MAX_CACHED_CHARS = 3 * 1024 * 1024;
/** How long a server's default text is trusted before it is read again (another worker may change it). */
const DEFAULT_TTL_MS = 5_000;

/** `unreachable`: the text is a server's, and the store cannot be read now (and it was not read before). */
export type Resolved = { library: Library; text?: LibraryText } | { unknown: string } | { unreachable: string };

interface Cached {
  library: Promise<Library>;
  chars: number;
}

export class TextCatalog {
  private readonly cache = new Map<string, Cached>();
  private readonly defaults = new Map<Scope, { slug: string | undefined; at: number }>();
  /** A read of a scope's default in flight: callers share it, and are answered in the order they asked. */
  private readonly reading = new Map<Scope, Promise<string | undefined>>();
  private readonly builtInSingles = new Map<string, Library>();
  /** Each text last found, by scope and slug: what an outage of the store falls back on. */
  private readonly found = new Map<string, LibraryText>();

  constructor(
    /** Every article of the corpus folder: what DMs read, and servers until they choose a text. */
    readonly builtIn: Library,
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The library for `slug` (or the scope's default) in `scope`; `{ unknown }`
   * names a slug that is not there. `builtIn` is the library that stands for
   * the built-in texts (the catalog's own unless a caller's context has another).
   */
  async resolve(scope: Scope | undefined, slug?: string, builtIn: Library = this.builtIn): Promise<Resolved> {
    const wanted = slug?.trim().toLowerCase() || (scope === undefined ? undefined : await this.defaultOf(scope));
    if (wanted === undefined || wanted === '') return { library: builtIn };
    const single = this.builtInLibrary(wanted, builtIn);
    if (single) return { library: single };
    let text: LibraryText | undefined;
    if (scope !== undefined) {
      const key = `${scope}\u0000${wanted}`;
      try {
        text = await this.store.texts.find(scope, wanted);
        if (text) this.found.set(key, text);
        else this.found.delete(key);
      } catch {
        // The store is out of reach: a text read before is still here (its index likely cached); any other cannot be read.
        text = this.found.get(key);
        if (!text) return { unreachable: wanted };
      }
    }
    if (!text) {
      // A default whose text was removed elsewhere reads the built-in library, as if none were chosen.
      if (slug === undefined || slug.trim() === '') return { library: builtIn };
      return { unknown: wanted };
    }
    return { library: await this.libraryOf(text), text };
  }

  /**
   * The same answer as `resolve` when it needs no store read (a built-in text
   * by name, or a default known to be built-in or none), without waiting:
   * most commands in most servers, which should not queue behind a promise.
   */
  resolveKnown(scope: Scope | undefined, slug: string | undefined, builtIn: Library = this.builtIn): Resolved | undefined {
    const named = slug?.trim().toLowerCase();
    if (named) {
      const single = this.builtInLibrary(named, builtIn);
      return single ? { library: single } : undefined;
    }
    if (scope === undefined) return { library: builtIn };
    const known = this.defaults.get(scope);
    if (!known) return undefined;
    // A default read a while ago still answers now (a burst must not queue behind the store); it is read again behind.
    if (this.now() - known.at >= DEFAULT_TTL_MS) void this.readDefault(scope);
    if (known.slug === undefined) return { library: builtIn };
    const single = this.builtInLibrary(known.slug, builtIn);
    return single ? { library: single } : undefined;
  }

  /** The scope's default text, read at most every few seconds, once at a time however many ask. */
  async defaultOf(scope: Scope): Promise<string | undefined> {
    const known = this.defaults.get(scope);
    if (known && this.now() - known.at < DEFAULT_TTL_MS) return known.slug;
    return this.readDefault(scope);
  }

  private readDefault(scope: Scope): Promise<string | undefined> {
    let reading = this.reading.get(scope);
    if (!reading) {
      reading = this.store.texts.getDefault(scope).then(
        (slug) => {
          this.defaults.set(scope, { slug, at: this.now() });
          return slug;
        },
        // The store is out of reach: the last default known here, or none (the built-in library) — questions go on.
        () => this.defaults.get(scope)?.slug,
      );
      this.reading.set(scope, reading);
      void reading.finally(() => this.reading.delete(scope));
    }
    return reading;
  }

  /** Call after changing a scope's default or texts here, so this worker sees it at once. */
  forget(scope: Scope, id?: number): void {
    this.defaults.delete(scope);
    this.reading.delete(scope);
    if (id !== undefined) for (const key of this.cache.keys()) if (key.startsWith(`${id}:`)) this.cache.delete(key);
  }

  isBuiltIn(slug: string): boolean {
    return slug !== '' && this.builtIn.article(slug) !== undefined;
  }

  /** Autocomplete of a text's name: the scope's texts and the built-in ones, at most 25. */
  async choices(scope: Scope | undefined, partial: string): Promise<OptionChoice[]> {
    const texts = scope === undefined ? [] : await this.store.texts.list(scope);
    const all = [...texts.map((text) => ({ slug: text.slug, title: text.title })), ...this.builtIn.articles.map((article) => ({ slug: article.slug, title: `${article.title} (built in)` }))];
    const needle = partial.trim().toLowerCase();
    return all
      .filter(({ slug, title }) => needle === '' || slug.includes(needle) || title.toLowerCase().includes(needle))
      .slice(0, 25)
      .map(({ slug, title }) => ({ name: `${title}`.slice(0, 100), value: slug }));
  }

  private builtInLibrary(slug: string, builtIn: Library): Library | undefined {
    const article = builtIn.article(slug);
    if (!article) return undefined;
    if (builtIn.articles.length === 1) return builtIn;
    let single = this.builtInSingles.get(slug);
    if (!single) {
      single = new Library([article]);
      this.builtInSingles.set(slug, single);
    }
    return single;
  }

  private libraryOf(text: LibraryText): Promise<Library> {
    // A re-import keeps the id and changes updatedAt: the older version's index is not reused.
    const key = `${text.id}:${text.updatedAt}`;
    const cached = this.cache.get(key);
    if (cached) {
      // Most recently used last: eviction takes from the front.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached.library;
    }
    const library = this.build(text);
    this.cache.set(key, { library, chars: text.chars });
    library.catch(() => this.cache.delete(key));
    this.evict();
    return library;
  }

  private async build(text: LibraryText): Promise<Library> {
    const markdown = await this.store.texts.markdown(text.id);
    if (markdown === undefined) throw new Error(`text ${text.slug} vanished while it was being read`);
    const article: Article = { ...parseArticle(markdown, `${text.slug}.md`), file: `(${text.scope} ${text.slug})` };
    return new Library([article]);
  }

  private evict(): void {
    let chars = [...this.cache.values()].reduce((sum, entry) => sum + entry.chars, 0);
    for (const [key, entry] of this.cache) {
      if (this.cache.size <= MAX_CACHED && chars <= MAX_CACHED_CHARS) break;
      this.cache.delete(key);
      chars -= entry.chars;
    }
  }

  /** How many texts' indexes are held now (for tests and /healthz). */
  get cachedCount(): number {
    return this.cache.size;
  }
}
