/**
 * Discord signs every request to an interactions endpoint with the
 * application's Ed25519 key: X-Signature-Ed25519 is the signature of
 * X-Signature-Timestamp followed by the raw body. A request that is unsigned,
 * wrongly signed, or signed too long ago (a replay) is refused before its body
 * is even parsed.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** The DER header of an Ed25519 SubjectPublicKeyInfo; the 32-byte raw key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** How far a request's timestamp may be from our clock: older is a replay, newer a forgery or a wrong clock. */
export const MAX_AGE_S = 5 * 60;
export const MAX_AHEAD_S = 60;

/** The application's public key as the developer portal shows it: 64 hex characters. */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('an Ed25519 public key is 64 hex characters');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

export type Verdict = { ok: true } | { ok: false; reason: 'unsigned' | 'malformed' | 'stale' | 'ahead' | 'forged' };

export interface SignedRequest {
  signature: string | undefined;
  timestamp: string | undefined;
  body: Buffer;
}

/** Checks one request; `nowMs` is our clock. The cheap checks come first, so junk costs no signature check. */
export function verifyRequest(key: KeyObject, request: SignedRequest, nowMs = Date.now()): Verdict {
  const { signature, timestamp, body } = request;
  if (signature === undefined || timestamp === undefined) return { ok: false, reason: 'unsigned' };
  if (!/^[0-9a-fA-F]{128}$/.test(signature) || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed' };
  const ageS = nowMs / 1000 - Number(timestamp);
  if (ageS > MAX_AGE_S) return { ok: false, reason: 'stale' };
  if (ageS < -MAX_AHEAD_S) return { ok: false, reason: 'ahead' };
  const signed = verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signature, 'hex'));
  return signed ? { ok: true } : { ok: false, reason: 'forged' };
}
