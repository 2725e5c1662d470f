/**
 * Turns an article file's bytes into text, refusing what would otherwise slip
 * into quoted passages unseen: bytes that are not UTF-8, and control characters.
 */
import { CorpusError } from './errors.ts';

const NEWLINE = 0x0a;

/**
 * Decodes UTF-8 strictly: a wrong encoding is an error, never U+FFFD in a
 * quotation. A leading byte-order mark is dropped.
 */
export function decodeArticle(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CorpusError(file, `not valid UTF-8${utf16Hint(bytes)}: save the file as UTF-8`, badLine(bytes));
  }
}

/** The 1-based line of the first invalid byte; 0x0A never occurs inside a UTF-8 sequence, so lines decode alone. */
function badLine(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  for (let line = 1; ; line += 1) {
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline === -1 ? bytes.length : newline;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    if (newline === -1) return line;
    start = newline + 1;
  }
}

function utf16Hint(bytes: Uint8Array): string {
  const [first, second] = bytes;
  return (first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff) ? ' (it looks like UTF-16)' : '';
}

const TAB = 0x09;
const CARRIAGE_RETURN = 0x0d;

/**
 * Refuses C0 control characters other than tab, newline and carriage return:
 * they are invisible in an editor and in Discord, yet would sit in a quotation.
 */
export function checkCharacters(text: string, file: string): void {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0x20) continue;
    if (code === NEWLINE) {
      line += 1;
      lineStart = index + 1;
    } else if (code !== TAB && code !== CARRIAGE_RETURN) {
      const name = code === 0 ? ' (NUL)' : '';
      const column = index - lineStart + 1;
      throw new CorpusError(file, `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}${name} at column ${column}`, line);
    }
  }
}
