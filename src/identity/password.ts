import argon2 from 'argon2';
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * OWASP's argon2id baseline: 19 MiB, two passes, one lane. The native binding (its prebuilt binaries
 * come inside the npm package: nothing is compiled or downloaded at install) hashes on libuv's thread
 * pool, so a sign-in does not hold the event loop for the tens of milliseconds a hash takes.
 */
const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1, hashLength: 32 } as const;

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2);
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  // A stored value that is not a well-formed hash matches no password.
  if (stored.startsWith('$argon2id$')) return argon2.verify(stored, password).catch(() => false);
  if (stored.startsWith('scrypt$')) return verifyScrypt(password, stored);
  return false;
}

/** Hashes from before argon2id (or with other parameters, in whatever order they are written) are replaced at the next successful sign-in. */
export const needsRehash = (stored: string): boolean => {
  if (!stored.startsWith('$argon2id$')) return true;
  try {
    return argon2.needsRehash(stored, ARGON2);
  } catch {
    return true;
  }
};

/** Spent on unknown usernames too, so response time does not tell which usernames exist. */
let dummy: Promise<string> | undefined;
export const dummyHash = (): Promise<string> => (dummy ??= hashPassword(randomBytes(16).toString('hex')));

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, length: number, options: object) => Promise<Buffer>;

/** Demo networks seeded before argon2id used scrypt: still verified, then rehashed. */
async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const [, n, r, p, salt, hash] = stored.split('$');
  if (!salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(actual, expected);
}
