import { randomBytes } from 'node:crypto';
import type { SqlDatabase } from '../../sql/index.js';
import { KEY_BYTES } from './aes-gcm.js';
import { canonicalCaseId } from './case-id.js';
import { KeyUnwrapError, type MasterKey } from './master-key.js';

/**
 * Per-case data keys. Destroying a case's key is how personal data is erased from immutable
 * events: every ciphertext of that case, in the store, in replays and in backups of the event
 * store, becomes unreadable.
 */
export interface DataKeyStore {
  /** Creates the key table when missing. */
  migrate(): Promise<void>;
  /** The case's key, created on first use. Throws DataKeyDestroyedError for an erased case. */
  getOrCreate(caseId: string): Promise<Buffer>;
  /** `undefined` when the case never had a key. */
  get(caseId: string): Promise<Buffer | 'destroyed' | undefined>;
  /** Irreversible and idempotent; also bars a key from ever being created for this case. */
  destroy(caseId: string): Promise<void>;
}

export const DATA_KEY_STORE = Symbol('DataKeyStore');

/** New personal data must not be written to an erased case. */
export class DataKeyDestroyedError extends Error {
  constructor(readonly caseId: string) {
    super(`the data key of case ${caseId} has been destroyed: its personal data is erased`);
    this.name = 'DataKeyDestroyedError';
  }
}

/** Unwrapped keys kept in memory; enough for the cases being worked on at once. */
const MAX_CACHED_KEYS = 1000;

interface KeyRow {
  wrapped_key: string;
  master_key_id: string;
  destroyed_at: Date | null;
}

// A live key has wrapped bytes and no destroyed_at; a destroyed one has neither bytes nor a way back.
export const DATA_KEY_SCHEMA = `
CREATE TABLE IF NOT EXISTS case_data_keys (
  case_id uuid PRIMARY KEY,
  wrapped_key text NOT NULL,
  master_key_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  destroyed_at timestamptz,
  CONSTRAINT case_data_keys_destroyed_has_no_key CHECK ((destroyed_at IS NULL) = (wrapped_key <> ''))
);`;

/**
 * Keys live in `case_data_keys`, wrapped by the master key with the case id authenticated, so the
 * table alone (or a copy of it) reveals nothing and a row moved to another case fails to unwrap.
 *
 * The cache is per instance: `destroy` clears this instance's entry only. Another process (or
 * another instance) keeps serving a cached key until it is evicted, so erasure in a multi-process
 * deployment must also reach those caches; that belongs to the erasure work, not here.
 */
export class SqlDataKeyStore implements DataKeyStore {
  private readonly cache = new Map<string, Buffer>();
  private readonly creating = new Map<string, Promise<Buffer>>();
  /** Bumped by every destroy, so a read that raced a destroy does not put the key back in the cache. */
  private destroys = 0;

  constructor(
    private readonly db: SqlDatabase,
    private readonly masterKey: MasterKey,
  ) {}

  async migrate(): Promise<void> {
    await this.db.exec(DATA_KEY_SCHEMA);
  }

  async getOrCreate(caseId: string): Promise<Buffer> {
    const id = canonicalCaseId(caseId);
    const cached = this.cached(id);
    if (cached) return cached;
    // A command sealing several fields of a new case asks for its key several times at once: one
    // statement answers them all (each caller gets its own copy).
    let creating = this.creating.get(id);
    if (!creating) {
      creating = this.create(id).finally(() => this.creating.delete(id));
      this.creating.set(id, creating);
    }
    return Buffer.from(await creating);
  }

  private async create(id: string): Promise<Buffer> {
    const destroysBefore = this.destroys;
    // Racing creators each offer a key; the first insert wins and keeps its own. The others read the
    // winner in a second statement, whose fresh snapshot sees it (one statement with a CTE would not).
    const offered = randomBytes(KEY_BYTES);
    const inserted = await this.db.query(
      `INSERT INTO case_data_keys (case_id, wrapped_key, master_key_id) VALUES ($1, $2, $3)
       ON CONFLICT (case_id) DO NOTHING RETURNING case_id`,
      [id, this.masterKey.wrap(offered, id), this.masterKey.id],
    );
    if (inserted.length > 0) return this.remember(id, offered, destroysBefore);
    const key = this.unwrapRow(id, await this.readRow(id));
    if (key === undefined) throw new Error(`the data key of case ${id} vanished right after it was stored`);
    if (key === 'destroyed') throw new DataKeyDestroyedError(id);
    return this.remember(id, key, destroysBefore);
  }

  async get(caseId: string): Promise<Buffer | 'destroyed' | undefined> {
    const id = canonicalCaseId(caseId);
    const cached = this.cached(id);
    if (cached) return cached;
    const destroysBefore = this.destroys;
    const key = this.unwrapRow(id, await this.readRow(id));
    return Buffer.isBuffer(key) ? this.remember(id, key, destroysBefore) : key;
  }

  async destroy(caseId: string): Promise<void> {
    const id = canonicalCaseId(caseId);
    try {
      // A case that never had a key still gets a destroyed row, so none can be created for it later.
      await this.db.query(
        `INSERT INTO case_data_keys (case_id, wrapped_key, master_key_id, destroyed_at) VALUES ($1, '', $2, now())
         ON CONFLICT (case_id) DO UPDATE SET wrapped_key = '', destroyed_at = coalesce(case_data_keys.destroyed_at, now())`,
        [id, this.masterKey.id],
      );
    } finally {
      // After the statement, not before: a read that started earlier may still be under way.
      this.destroys++;
      this.cache.delete(id);
    }
  }

  private async readRow(id: string): Promise<KeyRow | undefined> {
    const [row] = await this.db.query<KeyRow>('SELECT wrapped_key, master_key_id, destroyed_at FROM case_data_keys WHERE case_id = $1', [
      id,
    ]);
    return row;
  }

  private unwrapRow(id: string, row: KeyRow | undefined): Buffer | 'destroyed' | undefined {
    if (!row) return undefined;
    if (row.destroyed_at !== null || row.wrapped_key === '') return 'destroyed';
    if (row.master_key_id !== this.masterKey.id) {
      // Names both ids (never key material) so a misconfigured MASTER_KEY is obvious.
      throw new KeyUnwrapError(
        `the data key of case ${id} is wrapped by master key ${row.master_key_id}, but the configured MASTER_KEY is ${this.masterKey.id}`,
      );
    }
    return this.masterKey.unwrap(row.wrapped_key, id);
  }

  /** Copies out, so a caller that overwrites its buffer cannot corrupt the cached key. */
  private cached(id: string): Buffer | undefined {
    const key = this.cache.get(id);
    if (!key) return undefined;
    this.cache.delete(id);
    this.cache.set(id, key);
    return Buffer.from(key);
  }

  private remember(id: string, key: Buffer, destroysBefore: number): Buffer {
    if (this.destroys === destroysBefore) {
      this.cache.set(id, Buffer.from(key));
      if (this.cache.size > MAX_CACHED_KEYS) this.cache.delete(this.cache.keys().next().value!);
    }
    return key;
  }
}
