import { decodeBase64Url, gcmOpen, gcmSeal } from './aes-gcm.js';
import { canonicalCaseId } from './case-id.js';
import type { DataKeyStore } from './data-key-store.js';

/** One encrypted personal-data value, as it sits inside an event payload. */
export interface EncryptedValue {
  readonly alg: 'A256GCM';
  readonly v: 1;
  /** base64url, 12 bytes */
  readonly iv: string;
  /** base64url */
  readonly ct: string;
  /** base64url, 16 bytes */
  readonly tag: string;
}

export type DecryptedValue = { readonly value: unknown } | { readonly erased: true };

/** Tampered, truncated, or bound to another case or field. The message never holds plaintext. */
export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

const ENCRYPTED_VALUE_KEYS = ['alg', 'ct', 'iv', 'tag', 'v'];

/** Exactly the shape above, so a projection walking a payload cannot mistake other data for it. */
export function isEncryptedValue(x: unknown): x is EncryptedValue {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const record = x as Record<string, unknown>;
  return (
    Object.keys(record).sort().join() === ENCRYPTED_VALUE_KEYS.join() &&
    record.alg === 'A256GCM' &&
    record.v === 1 &&
    [record.iv, record.ct, record.tag].every((part) => typeof part === 'string' && decodeBase64Url(part) !== undefined)
  );
}

/**
 * Encrypts `JSON.stringify(value)` under `key`, authenticating the case id and field name: the
 * result opens only for that case and field. Decryption returns `JSON.parse` of that, so a Date
 * comes back as a string, as it would from any JSON event payload.
 */
export function sealWithKey(key: Buffer, caseId: string, field: string, value: unknown): EncryptedValue {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) throw new TypeError(`personal data field ${field}: the value is not JSON-serialisable`);
  const { iv, ct, tag } = gcmSeal(key, Buffer.from(json, 'utf8'), valueAad(caseId, field));
  return { alg: 'A256GCM', v: 1, iv: iv.toString('base64url'), ct: ct.toString('base64url'), tag: tag.toString('base64url') };
}

export function openWithKey(key: Buffer, caseId: string, field: string, encrypted: EncryptedValue): unknown {
  const aad = valueAad(caseId, field);
  const [iv, ct, tag] = isEncryptedValue(encrypted) ? [encrypted.iv, encrypted.ct, encrypted.tag].map(decodeBase64Url) : [];
  const plaintext = iv && ct && tag ? gcmOpen(key, { iv, ct, tag }, aad) : undefined;
  if (!plaintext) {
    throw new DecryptionError(
      `personal data field ${field} of case ${canonicalCaseId(caseId)} cannot be decrypted: ` +
        'it was altered, or it belongs to another case or field',
    );
  }
  return JSON.parse(plaintext.toString('utf8'));
}

/** JSON of a fixed-length array cannot be confused between cases and fields, whatever they contain. */
function valueAad(caseId: string, field: string): Buffer {
  if (typeof field !== 'string' || field === '') throw new TypeError('a personal data field name must be a non-empty string');
  return Buffer.from(JSON.stringify(['personal-data', 'A256GCM', 1, canonicalCaseId(caseId), field]));
}

/** Encrypts personal data with the case's own key; destroying that key erases it. */
export class PersonalDataCipher {
  constructor(private readonly keys: DataKeyStore) {}

  /** Throws DataKeyDestroyedError for an erased case: nothing new is written there. */
  async encrypt(caseId: string, field: string, value: unknown): Promise<EncryptedValue> {
    return sealWithKey(await this.keys.getOrCreate(caseId), caseId, field, value);
  }

  /** `{ erased: true }` once the case's key is destroyed; a DecryptionError for anything altered or misplaced. */
  async decrypt(caseId: string, field: string, encrypted: EncryptedValue): Promise<DecryptedValue> {
    const key = await this.keys.get(caseId);
    if (key === 'destroyed') return { erased: true };
    if (key === undefined) {
      // Not "erased": a missing key means a lost or mismatched key table, which must not pass silently.
      throw new DecryptionError(`case ${canonicalCaseId(caseId)} has no data key, so its personal data field ${field} cannot be decrypted`);
    }
    return { value: openWithKey(key, caseId, field, encrypted) };
  }
}
