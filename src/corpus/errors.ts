/** A corpus problem, named by file and (where known) line, so the fix is one edit away. */
export class CorpusError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${detail}`);
    this.name = 'CorpusError';
  }
}
