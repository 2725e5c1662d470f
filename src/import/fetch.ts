/**
 * Downloads what a user's URL points to, as hostile input: http and https
 * only; every hop's host is resolved and refused unless public (or named in
 * IMPORT_ALLOW_HOSTS), and the socket connects to the very address that was
 * checked, so a DNS answer that changes between check and connect cannot
 * slip through; at most 5 redirects, each checked the same way; one deadline
 * and one byte limit for the whole download.
 */
import { lookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { ImportError } from './errors.ts';
import { mayConnect } from './address.ts';

export interface FetchLimits {
  allowHosts: ReadonlySet<string>;
  /** The whole download, redirects included. */
  timeoutMs: number;
  maxBytes: number;
}

export interface Downloaded {
  bytes: Uint8Array;
  /** The media type without parameters, lowercased ("" when absent). */
  contentType: string;
  /** Where the bytes came from after redirects. */
  url: URL;
}

export const DEFAULT_FETCH_LIMITS: Omit<FetchLimits, 'allowHosts'> = { timeoutMs: 10_000, maxBytes: 5 * 1024 * 1024 };
const MAX_REDIRECTS = 5;

/** Parses a URL a user typed, refusing anything but http(s). */
export function parseImportUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ImportError('That is not a web address: give a full URL starting with https://.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ImportError(`Only http:// and https:// addresses can be imported (not ${url.protocol}).`);
  }
  if (url.username !== '' || url.password !== '') throw new ImportError('Addresses with a user name or password cannot be imported.');
  return url;
}

export async function download(start: URL, limits: FetchLimits): Promise<Downloaded> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  try {
    let url = start;
    for (let hop = 0; ; hop += 1) {
      const response = await request(url, limits, controller.signal);
      if (response.redirect === undefined) return { ...response.body, url };
      if (hop === MAX_REDIRECTS) throw new ImportError(`The address redirected more than ${MAX_REDIRECTS} times.`);
      url = parseImportUrl(new URL(response.redirect, url).href);
    }
  } catch (error) {
    if (controller.signal.aborted) throw new ImportError(`The download took longer than ${limits.timeoutMs / 1000} s.`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

type Hop = { redirect: string; body?: undefined } | { redirect?: undefined; body: Omit<Downloaded, 'url'> };

function request(url: URL, limits: FetchLimits, signal: AbortSignal): Promise<Hop> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  // A literal address is never looked up, so it is checked here; names are checked in `guardedLookup`.
  if (isIP(host) !== 0 && !mayConnect(host, host, limits.allowHosts)) return Promise.reject(refused(url));
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Hop>((resolve, reject) => {
    const outgoing = client.get(
      url,
      { signal, lookup: guardedLookup(url, limits.allowHosts), headers: { 'accept-encoding': 'identity', 'user-agent': 'Footnote (study bot; text import)' } },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400 && response.headers.location) {
          response.resume();
          resolve({ redirect: response.headers.location });
          return;
        }
        if (status !== 200) {
          response.resume();
          reject(new ImportError(`The address answered HTTP ${status}${status === 404 ? ' (not found)' : ''}.`));
          return;
        }
        const declared = Number(response.headers['content-length'] ?? NaN);
        if (declared > limits.maxBytes) {
          response.destroy();
          reject(tooLarge(limits));
          return;
        }
        const chunks: Buffer[] = [];
        let length = 0;
        response.on('data', (chunk: Buffer) => {
          length += chunk.length;
          if (length > limits.maxBytes) {
            response.destroy();
            reject(tooLarge(limits));
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => {
          const contentType = (response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
          resolve({ body: { bytes: new Uint8Array(Buffer.concat(chunks)), contentType } });
        });
      },
    );
    outgoing.on('error', (error) => reject(error instanceof ImportError ? error : unreachable(url, error)));
  });
}

/** Resolves a name and hands the socket only addresses that may be reached, so the checked address is the one connected to. */
function guardedLookup(url: URL, allowHosts: ReadonlySet<string>): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses) => {
      if (error) {
        callback(error, '', 4);
        return;
      }
      const allowed = addresses.filter(({ address }) => mayConnect(hostname, address, allowHosts));
      if (allowed.length === 0) {
        callback(refused(url), '', 4);
        return;
      }
      if (options.all) callback(null, allowed);
      else callback(null, (allowed[0] as { address: string }).address, (allowed[0] as { family: number }).family);
    });
  };
}

function refused(url: URL): ImportError {
  return new ImportError(`${url.hostname} is a private or local address, which imports may not reach.`);
}

function tooLarge(limits: FetchLimits): ImportError {
  return new ImportError(`The file is larger than ${Math.round(limits.maxBytes / 1024 / 1024)} MB, the import limit.`);
}

function unreachable(url: URL, error: Error): ImportError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ImportError(`${url.hostname} could not be found.`);
  if (code === 'ABORT_ERR') return new ImportError('The download was stopped.');
  return new ImportError(`${url.hostname} could not be reached (${code ?? error.message}).`);
}
