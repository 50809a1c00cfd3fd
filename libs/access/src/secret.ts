import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every generated key starts with this, so a leaked one is easy to recognise (secret scanners, logs). */
export const KEY_PREFIX = 'mnl_';
const KEY_BYTES = 32;
/** `mnl_` and 256 random bits in base64url (43 characters). */
const KEY_PATTERN = /^mnl_[A-Za-z0-9_-]{43}$/;

export function generateKey(): string {
  return KEY_PREFIX + randomBytes(KEY_BYTES).toString('base64url');
}

export function looksLikeGeneratedKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/**
 * SHA-256, not a slow password hash: a key carries 256 random bits, so no dictionary or brute force
 * can reach it from its digest, and a fast digest keeps the per-request lookup cheap.
 */
export function hashKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Constant-time comparison of two digests of equal length. */
export function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
