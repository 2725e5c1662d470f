/** Folders of the install, found from this file, so Footnote runs from any working directory (and from the build). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder above this module holding package.json: the source tree, or the tree the build sits in. */
function findInstallRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Footnote install (no package.json above src/)');
    dir = parent;
  }
  return dir;
}

export const INSTALL_ROOT = findInstallRoot();
export const DEFAULT_CORPUS_DIR = join(INSTALL_ROOT, 'corpus');
export const DEFAULT_DATA_DIR = join(INSTALL_ROOT, 'data');
