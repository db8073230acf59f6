import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface GcmSealed {
  readonly iv: Buffer;
  readonly ct: Buffer;
  readonly tag: Buffer;
}

/** AES-256-GCM with a fresh random 96-bit IV per call, so no (key, IV) pair is ever reused. */
export function gcmSeal(key: Buffer, plaintext: Buffer, aad: Buffer): GcmSealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ct, tag: cipher.getAuthTag() };
}

/** The plaintext, or undefined when anything (key, IV, ciphertext, tag, AAD) does not match. */
export function gcmOpen(key: Buffer, sealed: GcmSealed, aad: Buffer): Buffer | undefined {
  // A short tag would be accepted by Node for GCM and weaken authentication: insist on the full 16 bytes.
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ct), decipher.final()]);
  } catch {
    return undefined;
  }
}

/**
 * Strict: Node's decoder skips characters it does not know, so only text that encodes back to
 * itself is accepted.
 */
export function decodeBase64Url(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
