/**
 * Why an import was refused or failed, as one sentence a user can act on.
 * Every failure of an import is one of these; nothing is written before the
 * whole text has been read and checked.
 */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}
