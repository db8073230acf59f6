import { randomBytes, randomUUID } from 'node:crypto';
import { DecryptionError, isEncryptedValue, openWithKey, sealWithKey, type EncryptedValue } from './personal-data-cipher.js';

const key = randomBytes(32);
const caseId = randomUUID();

/** Flips one bit in the middle of a base64url part, keeping it valid base64url of the same length. */
function flipBit(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[bytes.length >> 1]! ^= 0x01;
  return bytes.toString('base64url');
}

describe('sealWithKey / openWithKey', () => {
  it.each([
    ['a string', 'Amina K.'],
    ['unicode', 'Łucja Ğül 李小龍 🙂 ‏עברית'],
    ['an empty string', ''],
    ['an object', { name: 'Amina', born: '2009-04-01', phones: ['+31 6 1234'], notes: null, age: 15 }],
    ['a number', 0],
    ['a boolean', false],
    ['null', null],
  ])('round-trips %s', (_, value) => {
    expect(openWithKey(key, caseId, 'identity', sealWithKey(key, caseId, 'identity', value))).toEqual(value);
  });

  it('uses a fresh IV each time, so equal values do not look equal', () => {
    const a = sealWithKey(key, caseId, 'identity', 'Amina');
    const b = sealWithKey(key, caseId, 'identity', 'Amina');
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
    expect(Buffer.from(a.iv, 'base64url')).toHaveLength(12);
    expect(Buffer.from(a.tag, 'base64url')).toHaveLength(16);
  });

  it('produces a small JSON object that does not contain the plaintext', () => {
    const secret = 'Amina Konaté, Rue 12, Lyon';
    const encrypted = sealWithKey(key, caseId, 'identity', { name: secret });
    const json = JSON.stringify(encrypted);
    expect(Object.keys(encrypted).sort()).toEqual(['alg', 'ct', 'iv', 'tag', 'v']);
    expect(json).not.toContain('Amina');
    expect(json).not.toContain(Buffer.from(secret).toString('base64url').slice(0, 12));
    expect(isEncryptedValue(JSON.parse(json))).toBe(true);
    expect(openWithKey(key, caseId, 'identity', JSON.parse(json))).toEqual({ name: secret });
  });

  it.each(['ct', 'tag', 'iv'] as const)('rejects an altered %s', (part) => {
    const encrypted = sealWithKey(key, caseId, 'identity', 'Amina Konaté');
    expect(() => openWithKey(key, caseId, 'identity', { ...encrypted, [part]: flipBit(encrypted[part]) })).toThrow(DecryptionError);
  });

  // GCM in Node accepts a tag prefix as short as 4 bytes unless told the length, and a prefix of the real tag verifies.
  it.each(['ct', 'tag', 'iv'] as const)('rejects a truncated %s', (part) => {
    const encrypted = sealWithKey(key, caseId, 'identity', 'Amina Konaté');
    const truncated = Buffer.from(encrypted[part], 'base64url').subarray(0, 4).toString('base64url');
    expect(() => openWithKey(key, caseId, 'identity', { ...encrypted, [part]: truncated })).toThrow(DecryptionError);
  });

  it('rejects a value sealed for another case or another field', () => {
    const encrypted = sealWithKey(key, caseId, 'identity', 'Amina Konaté');
    expect(() => openWithKey(key, randomUUID(), 'identity', encrypted)).toThrow(DecryptionError);
    expect(() => openWithKey(key, caseId, 'contact', encrypted)).toThrow(DecryptionError);
    expect(() => openWithKey(randomBytes(32), caseId, 'identity', encrypted)).toThrow(DecryptionError);
  });

  it('treats two spellings of one case id as the same case, as PostgreSQL does', () => {
    const encrypted = sealWithKey(key, caseId.toUpperCase(), 'identity', 'Amina');
    expect(openWithKey(key, caseId, 'identity', encrypted)).toBe('Amina');
  });

  it('keeps plaintext out of the error message', () => {
    const encrypted = sealWithKey(key, caseId, 'identity', 'Amina Konaté');
    let error: unknown;
    try {
      openWithKey(key, randomUUID(), 'identity', encrypted);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DecryptionError);
    expect((error as Error).message).not.toContain('Amina');
    expect(JSON.stringify(error)).not.toContain('Amina');
  });

  it('rejects what is not an encrypted value', () => {
    const bad = [null, 'text', { alg: 'A256GCM', v: 2, iv: 'AA', ct: 'AA', tag: 'AA' }] as unknown as EncryptedValue[];
    for (const value of bad) expect(() => openWithKey(key, caseId, 'identity', value)).toThrow(DecryptionError);
  });

  it('refuses a value JSON cannot carry, and an empty field name', () => {
    expect(() => sealWithKey(key, caseId, 'identity', undefined)).toThrow(TypeError);
    expect(() => sealWithKey(key, caseId, '', 'Amina')).toThrow(TypeError);
    expect(() => sealWithKey(key, 'not-a-uuid', 'identity', 'Amina')).toThrow(TypeError);
  });
});

describe('isEncryptedValue', () => {
  const valid = sealWithKey(key, caseId, 'identity', 'x');

  it('accepts exactly the encrypted value shape', () => {
    expect(isEncryptedValue(valid)).toBe(true);
    expect(isEncryptedValue({ ...valid, extra: 1 })).toBe(false);
    expect(isEncryptedValue({ ...valid, alg: 'A128GCM' })).toBe(false);
    expect(isEncryptedValue({ ...valid, v: '1' })).toBe(false);
    expect(isEncryptedValue({ ...valid, ct: 'not base64url!' })).toBe(false);
    expect(isEncryptedValue({ ...valid, iv: 1 })).toBe(false);
    expect(isEncryptedValue([valid])).toBe(false);
    expect(isEncryptedValue('x')).toBe(false);
    expect(isEncryptedValue(null)).toBe(false);
  });
});
