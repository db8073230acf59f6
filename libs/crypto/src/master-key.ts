import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KEY_BYTES, decodeBase64Url, gcmOpen, gcmSeal } from './aes-gcm.js';
import { canonicalCaseId } from './case-id.js';

/** Prefix of every wrapped data key, so a later format can be told apart from this one. */
const WRAP_FORMAT = 'A256GCM.v1';

/** A stored data key could not be unwrapped: wrong master key, or the row was altered or moved. */
export class KeyUnwrapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyUnwrapError';
  }
}

/**
 * The key that wraps every case's data key. The raw bytes live in a private field, so neither
 * `JSON.stringify` nor `console.log` of a configuration object that holds one can print them.
 */
export class MasterKey {
  readonly #key: Buffer;

  private constructor(
    key: Buffer,
    /** Recorded next to each wrapped key; safe to log. */
    readonly id: string,
  ) {
    this.#key = key;
  }

  /** `id` overrides the derived one, e.g. with a KMS key version. */
  static fromBase64(text: string, id?: string): MasterKey {
    const trimmed = typeof text === 'string' ? text.trim() : '';
    const key = Buffer.from(trimmed, 'base64');
    // Round-tripping rejects what Node's lenient decoder would silently skip or truncate.
    if (key.length !== KEY_BYTES || key.toString('base64') !== trimmed) {
      // Never echo the value: it may be a real key with a typo.
      throw new Error(
        'MASTER_KEY must be 32 random bytes in standard base64 (44 characters ending in "="), ' +
          'for example the output of `openssl rand -base64 32`; the configured value is not.',
      );
    }
    if (id?.trim() === '') throw new Error('master key id must not be empty');
    return new MasterKey(key, id ?? fingerprint(key));
  }

  static generate(): MasterKey {
    const key = randomBytes(KEY_BYTES);
    return new MasterKey(key, fingerprint(key));
  }

  toBase64(): string {
    return this.#key.toString('base64');
  }

  toJSON(): { id: string } {
    return { id: this.id };
  }

  /** The case id is authenticated with the key, so a wrapped key cannot be moved to another case. */
  wrap(dataKey: Buffer, caseId: string): string {
    if (dataKey.length !== KEY_BYTES) throw new TypeError(`a data key must be ${KEY_BYTES} bytes`);
    const { iv, ct, tag } = gcmSeal(this.#key, dataKey, wrapAad(caseId));
    return [WRAP_FORMAT, iv.toString('base64url'), ct.toString('base64url'), tag.toString('base64url')].join('.');
  }

  unwrap(wrapped: string, caseId: string): Buffer {
    const aad = wrapAad(caseId);
    const parts =
      typeof wrapped === 'string' && wrapped.startsWith(`${WRAP_FORMAT}.`) ? wrapped.slice(WRAP_FORMAT.length + 1).split('.') : [];
    const [iv, ct, tag] = parts.map(decodeBase64Url);
    const dataKey = parts.length === 3 && iv && ct && tag ? gcmOpen(this.#key, { iv, ct, tag }, aad) : undefined;
    if (dataKey?.length !== KEY_BYTES) {
      throw new KeyUnwrapError(
        `the data key of case ${canonicalCaseId(caseId)} cannot be unwrapped with master key ${this.id}: ` +
          'wrong master key, or the stored key was altered or belongs to another case',
      );
    }
    return dataKey;
  }
}

/**
 * First 8 hex digits of SHA-256 of the raw key: names a key without revealing it, and an operator
 * can check which key a file holds with `base64 -d < key | sha256sum`.
 */
function fingerprint(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function wrapAad(caseId: string): Buffer {
  return Buffer.from(JSON.stringify(['case-data-key', WRAP_FORMAT, canonicalCaseId(caseId)]));
}

/**
 * Embedded mode keeps its master key in a file next to its data. Losing this file makes every
 * case's personal data unreadable, so a new key is written in full and flushed to disk before it
 * appears under `path`, and an existing file is never overwritten.
 */
export async function loadOrCreateMasterKeyFile(path: string): Promise<{ key: MasterKey; created: boolean }> {
  try {
    return { key: await readKeyFile(path), created: false };
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const key = MasterKey.generate();
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const file = await open(temporary, 'wx', 0o600);
    try {
      await file.writeFile(`${key.toBase64()}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      // link() fails when `path` exists: two processes starting at once end up with one key.
      await link(temporary, path);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
      return { key: await readKeyFile(path), created: false };
    }
    await syncDirectory(directory);
    return { key, created: true };
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function readKeyFile(path: string): Promise<MasterKey> {
  const text = await readFile(path, 'utf8');
  try {
    return MasterKey.fromBase64(text);
  } catch {
    throw new Error(`master key file ${path} must hold 32 random bytes in standard base64; it does not`);
  }
}

/** Makes the new directory entry itself durable, not only the file's contents. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}
