/** One loaded app for all tests in a file: the corpus and commands load once. */
import { join } from 'node:path';
import { loadApp, type App } from '../../src/app.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CORPUS_DIR = join(ROOT, 'corpus');

let cached: Promise<App> | undefined;

export function testApp(): Promise<App> {
  cached ??= loadApp(CORPUS_DIR);
  return cached;
}
