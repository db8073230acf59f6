import { randomUUID } from 'node:crypto';
import type { SqlDatabase } from '../../sql/index.js';
import { testDatabases } from '../../testing/index.js';
import { DataKeyDestroyedError, SqlDataKeyStore } from './data-key-store.js';
import { KeyUnwrapError, MasterKey } from './master-key.js';
import { DecryptionError, PersonalDataCipher } from './personal-data-cipher.js';

describe.each(testDatabases())('SqlDataKeyStore on $name', (database) => {
  let db: SqlDatabase;
  const master = MasterKey.generate();
  /** A new instance has an empty cache, so what it returns came from the table. */
  const freshStore = () => new SqlDataKeyStore(db, master);

  // One database per leg (opening PGlite takes seconds); every test uses its own random case ids.
  beforeAll(async () => {
    db = await database.open();
    await freshStore().migrate();
  });
  afterAll(() => db.close());

  it('migrates more than once without harm', async () => {
    await freshStore().migrate();
  });

  it('creates a key once and returns the same key from the table to a new instance', async () => {
    const caseId = randomUUID();
    const store = freshStore();
    expect(await store.get(caseId)).toBeUndefined();
    const key = await store.getOrCreate(caseId);
    expect(key).toHaveLength(32);
    expect(await store.getOrCreate(caseId)).toEqual(key);
    expect(await freshStore().get(caseId)).toEqual(key);
    expect(await freshStore().getOrCreate(caseId)).toEqual(key);
    expect(await freshStore().getOrCreate(caseId.toUpperCase())).toEqual(key);
    expect(await db.query('SELECT case_id FROM case_data_keys WHERE case_id = $1', [caseId])).toHaveLength(1);
  });

  it('answers several requests at once for a new case with one statement, the same key to each', async () => {
    const caseId = randomUUID();
    let statements = 0;
    const counted: SqlDatabase = Object.create(db, {
      query: { value: (sql: string, params?: readonly unknown[]) => (statements++, db.query(sql, params)) },
    }) as SqlDatabase;
    const store = new SqlDataKeyStore(counted, master);
    const asked = await Promise.all([store.getOrCreate(caseId), store.getOrCreate(caseId), store.getOrCreate(caseId)]);
    expect(statements).toBe(1);
    expect(asked[1]).toEqual(asked[0]);
    expect(asked[2]).toEqual(asked[0]);
    asked[0].fill(0); // each caller's own copy
    expect(asked[1]).toEqual(await freshStore().get(caseId));
  });

  it('gives each case its own key', async () => {
    const store = freshStore();
    expect(await store.getOrCreate(randomUUID())).not.toEqual(await store.getOrCreate(randomUUID()));
  });

  it('stores the key only wrapped, with the id of the master key that wrapped it', async () => {
    const caseId = randomUUID();
    const key = await freshStore().getOrCreate(caseId);
    const row = (
      await db.query<{ wrapped_key: string; master_key_id: string }>(
        'SELECT wrapped_key, master_key_id FROM case_data_keys WHERE case_id = $1',
        [caseId],
      )
    )[0]!;
    for (const encoding of ['hex', 'base64', 'base64url'] as const) expect(row.wrapped_key).not.toContain(key.toString(encoding));
    expect(row.master_key_id).toBe(master.id);
  });

  it('hands out copies, so a caller scribbling on its key cannot corrupt the cache', async () => {
    const caseId = randomUUID();
    const store = freshStore();
    const key = await store.getOrCreate(caseId);
    const original = Buffer.from(key);
    key.fill(0);
    expect(await store.getOrCreate(caseId)).toEqual(original);
  });

  it('yields one key when many callers race for the same case', async () => {
    const caseId = randomUUID();
    const stores = Array.from({ length: 8 }, freshStore);
    const keys = await Promise.all(stores.flatMap((store) => [store.getOrCreate(caseId), store.getOrCreate(caseId)]));
    for (const key of keys) expect(key).toEqual(keys[0]);
    expect(await freshStore().get(caseId)).toEqual(keys[0]);
  });

  it('after destroy, reports the key destroyed and personal data erased, also to a new instance', async () => {
    const caseId = randomUUID();
    const store = freshStore();
    const cipher = new PersonalDataCipher(store);
    const encrypted = await cipher.encrypt(caseId, 'identity', { name: 'Amina Konaté' });
    expect(await cipher.decrypt(caseId, 'identity', encrypted)).toEqual({ value: { name: 'Amina Konaté' } });

    await store.destroy(caseId);

    expect(await store.get(caseId)).toBe('destroyed');
    expect(await cipher.decrypt(caseId, 'identity', encrypted)).toEqual({ erased: true });
    expect(await freshStore().get(caseId)).toBe('destroyed');
    expect(await new PersonalDataCipher(freshStore()).decrypt(caseId, 'identity', encrypted)).toEqual({ erased: true });
    const row = (
      await db.query<{ wrapped_key: string; destroyed_at: Date | null }>(
        'SELECT wrapped_key, destroyed_at FROM case_data_keys WHERE case_id = $1',
        [caseId],
      )
    )[0]!;
    expect(row.wrapped_key).toBe('');
    // A Date, whichever realm made it: PGlite's rows come from its own thread, not from jest's context.
    expect(Object.prototype.toString.call(row.destroyed_at)).toBe('[object Date]');
  });

  it('refuses new personal data for an erased case, and destroy is idempotent', async () => {
    const caseId = randomUUID();
    const store = freshStore();
    await store.getOrCreate(caseId);
    await store.destroy(caseId);
    await store.destroy(caseId);
    await expect(store.getOrCreate(caseId)).rejects.toBeInstanceOf(DataKeyDestroyedError);
    await expect(new PersonalDataCipher(freshStore()).encrypt(caseId, 'identity', 'Amina')).rejects.toBeInstanceOf(DataKeyDestroyedError);
  });

  it('bars a key from ever being created for a case destroyed before it had one', async () => {
    const caseId = randomUUID();
    await freshStore().destroy(caseId);
    expect(await freshStore().get(caseId)).toBe('destroyed');
    await expect(freshStore().getOrCreate(caseId)).rejects.toBeInstanceOf(DataKeyDestroyedError);
  });

  it('does not cache a key whose read finished only after a destroy', async () => {
    const caseId = randomUUID();
    await freshStore().getOrCreate(caseId);
    // The same real database, with one SELECT's rows held back until the destroy is done: an
    // interleaving a connection pool can produce at any time, made certain here.
    let rowsRead!: () => void;
    const read = new Promise<void>((resolve) => (rowsRead = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding = true;
    // Everything but query() is db's own, through the prototype.
    const heldReads: SqlDatabase = Object.assign(Object.create(db) as SqlDatabase, {
      query: async <Row>(sql: string, params?: readonly unknown[]) => {
        const rows = await db.query<Row>(sql, params);
        if (holding && sql.trimStart().startsWith('SELECT')) {
          holding = false;
          rowsRead();
          await released;
        }
        return rows;
      },
    });
    const store = new SqlDataKeyStore(heldReads, master);

    const racingRead = store.get(caseId);
    await read;
    await store.destroy(caseId);
    release();

    expect(Buffer.isBuffer(await racingRead)).toBe(true);
    expect(await store.get(caseId)).toBe('destroyed');
  });

  it('refuses the database a destroyed row with a key left in it', async () => {
    const caseId = randomUUID();
    await freshStore().getOrCreate(caseId);
    await expect(db.query('UPDATE case_data_keys SET destroyed_at = now() WHERE case_id = $1', [caseId])).rejects.toThrow();
  });

  it('fails to unwrap a key row moved to another case', async () => {
    const from = randomUUID();
    const to = randomUUID();
    await freshStore().getOrCreate(from);
    await db.query('UPDATE case_data_keys SET case_id = $2 WHERE case_id = $1', [from, to]);
    await expect(freshStore().get(to)).rejects.toBeInstanceOf(KeyUnwrapError);
    await expect(freshStore().getOrCreate(to)).rejects.toBeInstanceOf(KeyUnwrapError);
  });

  it('fails to unwrap with another master key, naming both key ids', async () => {
    const caseId = randomUUID();
    await freshStore().getOrCreate(caseId);
    const other = MasterKey.generate();
    await expect(new SqlDataKeyStore(db, other).get(caseId)).rejects.toThrow(new RegExp(`${master.id}.*${other.id}`));
    const sameIdOtherKey = MasterKey.fromBase64(other.toBase64(), master.id);
    await expect(new SqlDataKeyStore(db, sameIdOtherKey).get(caseId)).rejects.toBeInstanceOf(KeyUnwrapError);
  });

  it('rejects ciphertext of a case that has no key, rather than calling it erased', async () => {
    const caseId = randomUUID();
    const encrypted = await new PersonalDataCipher(freshStore()).encrypt(caseId, 'identity', 'Amina');
    await expect(new PersonalDataCipher(freshStore()).decrypt(randomUUID(), 'identity', encrypted)).rejects.toBeInstanceOf(DecryptionError);
  });

  it('rejects ciphertext moved to another case or field, even though both cases have keys', async () => {
    const cipher = new PersonalDataCipher(freshStore());
    const caseId = randomUUID();
    const otherCase = randomUUID();
    const encrypted = await cipher.encrypt(caseId, 'identity', 'Amina');
    await cipher.encrypt(otherCase, 'identity', 'someone else');
    await expect(cipher.decrypt(otherCase, 'identity', encrypted)).rejects.toBeInstanceOf(DecryptionError);
    await expect(cipher.decrypt(caseId, 'contact', encrypted)).rejects.toBeInstanceOf(DecryptionError);
  });
});
