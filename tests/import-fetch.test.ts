/**
 * The download guard against servers on 127.0.0.1 (allowed by name, as
 * IMPORT_ALLOW_HOSTS does in tests) and 127.0.0.2 (not allowed): sizes,
 * redirects, deadlines and content types.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress, mayConnect, parseAllowHosts } from '../src/import/address.ts';
import { ImportError } from '../src/import/errors.ts';
import { download } from '../src/import/fetch.ts';
import { importText } from '../src/import/import.ts';

const ALLOW = parseAllowHosts('127.0.0.1');
const LIMITS = { allowHosts: ALLOW, timeoutMs: 2_000, maxBytes: 5 * 1024 * 1024 };
let server: Server;
let port = 0;
const hits: string[] = [];
let hidden: Server;
let hiddenPort = 0;
const hiddenHits: string[] = [];

const routes: Record<string, (response: ServerResponse) => void> = {
  '/page.html': (response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><article><p>One paragraph of an article that is long enough to be kept by the reader view, with commas, words and more words.</p></article></body></html>'),
  '/huge': (response) => {
    // 30 MB without a Content-Length: the limit must stop the stream, not trust a header.
    response.writeHead(200, { 'content-type': 'text/html' });
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    const write = (): void => {
      while (sent < 30 && response.write(chunk)) sent += 1;
      if (sent < 30) response.once('drain', write);
      else response.end();
    };
    write();
  },
  '/declared-huge': (response) => response.writeHead(200, { 'content-type': 'text/html', 'content-length': String(30 * 1024 * 1024) }).end(),
  '/slow': () => undefined,
  '/image': (response) => response.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])),
  '/loop': (response) => response.writeHead(302, { location: '/loop' }).end(),
  '/hop': (response) => response.writeHead(301, { location: '/page.html' }).end(),
  '/to-hidden': (response) => response.writeHead(302, { location: `http://127.0.0.2:${hiddenPort}/x` }).end(),
  '/to-file': (response) => response.writeHead(302, { location: 'file:///etc/passwd' }).end(),
};

beforeAll(async () => {
  server = createServer((request, response) => {
    hits.push(request.url ?? '');
    const route = routes[request.url ?? ''];
    if (route) route(response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  hidden = createServer((request, response) => {
    hiddenHits.push(request.url ?? '');
    response.end('secret');
  });
  await new Promise<void>((resolve) => hidden.listen(0, '127.0.0.2', resolve));
  hiddenPort = (hidden.address() as AddressInfo).port;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
  hidden.close();
});

const url = (path: string) => new URL(`http://127.0.0.1:${port}${path}`);

async function refusal(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ImportError);
  return (error as Error).message;
}

describe('which addresses may be reached', () => {
  it('only public unicast addresses, unless allowed by name or address', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', 'fe80::1', 'fc00::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1', '255.255.255.255']) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ['93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8']) expect(isPublicAddress(address), address).toBe(true);
    expect(mayConnect('wiki.internal', '10.0.0.5', parseAllowHosts(' Wiki.Internal , 192.168.0.9'))).toBe(true);
    expect(mayConnect('other', '192.168.0.9', parseAllowHosts('wiki.internal, 192.168.0.9'))).toBe(true);
    expect(mayConnect('other', '192.168.0.10', parseAllowHosts('wiki.internal, 192.168.0.9'))).toBe(false);
  });
});

describe('downloading a user’s URL', () => {
  it('follows a redirect on an allowed host and reads the page', async () => {
    const got = await download(url('/hop'), LIMITS);
    expect(got.contentType).toBe('text/html');
    expect(got.url.pathname).toBe('/page.html');
  });

  it('refuses a loopback address nobody allowed, before connecting', async () => {
    expect(await refusal(download(url('/page.html'), { ...LIMITS, allowHosts: new Set() }))).toMatch(/127\.0\.0\.1 is a private or local address/);
    expect(await refusal(download(new URL('http://localhost:1/'), { ...LIMITS, allowHosts: new Set() }))).toMatch(/private or local/);
  });

  it('refuses a redirect to an address that is not allowed, and to another scheme; the target sees no request', async () => {
    expect(await refusal(download(url('/to-hidden'), LIMITS))).toMatch(/127\.0\.0\.2 is a private or local address/);
    expect(await refusal(download(url('/to-file'), LIMITS))).toMatch(/Only http/);
    expect(hiddenHits).toEqual([]);
  });

  it('stops after 5 redirects', async () => {
    expect(await refusal(download(url('/loop'), LIMITS))).toMatch(/more than 5 times/);
  });

  it('stops a 30 MB page at the 5 MB limit, declared or not', async () => {
    expect(await refusal(download(url('/huge'), LIMITS))).toMatch(/larger than 5 MB/);
    expect(await refusal(download(url('/declared-huge'), LIMITS))).toMatch(/larger than 5 MB/);
  });

  it('gives up on a server that never answers, at the deadline', async () => {
    const started = Date.now();
    expect(await refusal(download(url('/slow'), { ...LIMITS, timeoutMs: 300 }))).toMatch(/longer than 0.3 s/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses content that is not a text, with nothing imported', async () => {
    expect(await refusal(importText({ kind: 'url', url: url('/image').href }, { allowHosts: ALLOW }))).toMatch(/cannot be imported/);
    expect(await refusal(importText({ kind: 'url', url: url('/missing').href }, { allowHosts: ALLOW }))).toMatch(/HTTP 404/);
  });
});
