import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_AGE_S, MAX_AHEAD_S, publicKeyFromHex, verifyRequest } from '../src/discord/http/signature.ts';

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const hex = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url').toString('hex');
  return { hex, key: publicKeyFromHex(hex), sign: (timestamp: string, body: string) => sign(null, Buffer.from(timestamp + body), privateKey).toString('hex') };
}

const NOW_MS = 1_800_000_000_000;
const NOW_S = String(NOW_MS / 1000);
const BODY = '{"type":1}';

describe('publicKeyFromHex', () => {
  it('reads a raw Ed25519 key as the developer portal shows it (RFC 8032, test 1)', () => {
    const key = publicKeyFromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const signature = Buffer.from('e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b', 'hex');
    expect(verify(null, Buffer.alloc(0), key, signature)).toBe(true);
    expect(verify(null, Buffer.from('x'), key, signature)).toBe(false);
  });

  it('refuses anything but 64 hex characters', () => {
    for (const bad of ['', 'abc', 'g'.repeat(64), 'a'.repeat(63), 'a'.repeat(66)]) expect(() => publicKeyFromHex(bad)).toThrow(/64 hex/);
  });
});

describe('verifyRequest', () => {
  const pair = keyPair();

  it('accepts a request signed over timestamp + raw body, in either letter case', () => {
    const signature = pair.sign(NOW_S, BODY);
    expect(verifyRequest(pair.key, { signature, timestamp: NOW_S, body: Buffer.from(BODY) }, NOW_MS)).toEqual({ ok: true });
    expect(verifyRequest(pair.key, { signature: signature.toUpperCase(), timestamp: NOW_S, body: Buffer.from(BODY) }, NOW_MS)).toEqual({ ok: true });
  });

  it('refuses a missing header or a malformed signature or timestamp', () => {
    const signature = pair.sign(NOW_S, BODY);
    const body = Buffer.from(BODY);
    expect(verifyRequest(pair.key, { signature: undefined, timestamp: NOW_S, body }, NOW_MS)).toEqual({ ok: false, reason: 'unsigned' });
    expect(verifyRequest(pair.key, { signature, timestamp: undefined, body }, NOW_MS)).toEqual({ ok: false, reason: 'unsigned' });
    expect(verifyRequest(pair.key, { signature: signature.slice(2), timestamp: NOW_S, body }, NOW_MS)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyRequest(pair.key, { signature: `${signature.slice(2)}zz`, timestamp: NOW_S, body }, NOW_MS)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyRequest(pair.key, { signature, timestamp: `${NOW_S}.5`, body }, NOW_MS)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a forged signature, another key, and a changed body or timestamp', () => {
    const signature = pair.sign(NOW_S, BODY);
    const body = Buffer.from(BODY);
    expect(verifyRequest(keyPair().key, { signature, timestamp: NOW_S, body }, NOW_MS)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyRequest(pair.key, { signature, timestamp: NOW_S, body: Buffer.from('{"type":2}') }, NOW_MS)).toEqual({ ok: false, reason: 'forged' });
    const earlier = String(Number(NOW_S) - 1);
    expect(verifyRequest(pair.key, { signature, timestamp: earlier, body }, NOW_MS)).toEqual({ ok: false, reason: 'forged' });
    const flipped = (signature[0] === '0' ? '1' : '0') + signature.slice(1);
    expect(verifyRequest(pair.key, { signature: flipped, timestamp: NOW_S, body }, NOW_MS)).toEqual({ ok: false, reason: 'forged' });
  });

  it('accepts up to 5 minutes old and 1 minute ahead, refuses beyond', () => {
    const at = (offsetS: number) => {
      const timestamp = String(Number(NOW_S) + offsetS);
      return verifyRequest(pair.key, { signature: pair.sign(timestamp, BODY), timestamp, body: Buffer.from(BODY) }, NOW_MS);
    };
    expect(at(-MAX_AGE_S)).toEqual({ ok: true });
    expect(at(-MAX_AGE_S - 1)).toEqual({ ok: false, reason: 'stale' });
    expect(at(MAX_AHEAD_S)).toEqual({ ok: true });
    expect(at(MAX_AHEAD_S + 1)).toEqual({ ok: false, reason: 'ahead' });
    expect(MAX_AGE_S).toBe(300);
  });
});
