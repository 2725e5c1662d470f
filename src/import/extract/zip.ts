/**
 * Archives (DOCX and EPUB are zip files) are read within bounds: a zip bomb
 * declares, or inflates to, far more than any text needs, and is refused
 * before it can take the memory.
 */
import { unzipSync, type Unzipped } from 'fflate';
import { ImportError } from '../errors.ts';

const ZIP_LIMITS = { entries: 2_000, totalBytes: 64 * 1024 * 1024, entryBytes: 16 * 1024 * 1024 } as const;

/** The entries a filter wants, inflated, after checking the whole archive's declared sizes. */
export function readZip(bytes: Uint8Array, what: string, wanted: (name: string) => boolean = () => true): Unzipped {
  let entries = 0;
  let total = 0;
  let unpacked: Unzipped;
  try {
    unpacked = unzipSync(bytes, {
      filter: (file) => {
        entries += 1;
        total += file.originalSize;
        if (entries > ZIP_LIMITS.entries || total > ZIP_LIMITS.totalBytes || file.originalSize > ZIP_LIMITS.entryBytes) {
          throw new ImportError(`The ${what} unpacks to more than the import allows (${ZIP_LIMITS.entries} parts, ${ZIP_LIMITS.totalBytes / 1024 / 1024} MB).`);
        }
        return wanted(file.name);
      },
    });
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError(`The ${what} is damaged or not really a ${what} (${error instanceof Error ? error.message : String(error)}).`);
  }
  const inflated = Object.values(unpacked).reduce((sum, data) => sum + data.length, 0);
  if (inflated > ZIP_LIMITS.totalBytes) throw new ImportError(`The ${what} unpacks to more than the import allows.`);
  return unpacked;
}

/** A zip's entry as UTF-8 text. */
export function entryText(entries: Unzipped, name: string): string | undefined {
  const data = entries[name];
  return data === undefined ? undefined : new TextDecoder().decode(data);
}
