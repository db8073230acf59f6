import { describe, expect, it } from '@jest/globals';
import { ChainVerifier, type ChainEntry, canonicalJson, nextEntry, verifyChain } from './chain.js';

const records = new Map<string, unknown>([
  ['consent/e1', { type: 'ConsentGiven', details: { b: 1, a: [2, { z: 1, y: 2 }] } }],
  ['access/1', { userId: 'u', categories: ['identity'] }],
  ['consent/e2', { type: 'ConsentWithdrawn', details: {} }],
]);
const build = () => {
  const entries: ChainEntry[] = [];
  for (const [key, content] of records) {
    const [kind, ref] = key.split('/') as [string, string];
    entries.push(nextEntry(entries.at(-1), kind, ref, content));
  }
  return entries;
};
const lookup = (store: Map<string, unknown>) => (kind: string, ref: string) => store.get(`${kind}/${ref}`);

describe('the audit hash chain', () => {
  it('hashes content canonically: key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, 2] }, b: 1 }));
  });

  it('verifies an untouched chain and reports its head', () => {
    const entries = build();
    expect(verifyChain(entries, lookup(records))).toEqual({ verified: true, entries: 3, head: entries[2]!.entryHash });
  });

  it('names the first entry whose record was edited', () => {
    const edited = new Map(records).set('access/1', { userId: 'someone else', categories: ['identity'] });
    expect(verifyChain(build(), lookup(edited))).toMatchObject({
      verified: false,
      firstBrokenLink: { seq: 2, kind: 'access', ref: '1', reason: 'record_changed' },
    });
  });

  it('names a deleted record, and a deleted or reordered entry', () => {
    const deleted = new Map(records);
    deleted.delete('consent/e2');
    expect(verifyChain(build(), lookup(deleted))).toMatchObject({ verified: false, firstBrokenLink: { seq: 3, reason: 'record_missing' } });
    const entries = build();
    expect(verifyChain([entries[0]!, entries[2]!], lookup(records))).toMatchObject({
      verified: false,
      firstBrokenLink: { seq: 2, reason: 'missing_entry' },
    });
    const rehashed = { ...entries[1]!, contentHash: entries[0]!.contentHash };
    expect(verifyChain([entries[0]!, rehashed, entries[2]!], lookup(records))).toMatchObject({
      verified: false,
      firstBrokenLink: { seq: 2, reason: 'entry_hash_mismatch' },
    });
  });

  it('names a malformed entry instead of throwing, and the problem found with a record whose content still matches', () => {
    const [first] = build();
    expect(new ChainVerifier().check({ ...first!, seq: 'one' }, { content: {} })).toMatchObject({ seq: 1, reason: 'malformed_entry' });
    expect(new ChainVerifier().check({ ...first!, prevHash: null }, { content: {} })).toMatchObject({ seq: 1, reason: 'malformed_entry' });
    expect(new ChainVerifier().check({ ...first!, kind: undefined }, { content: {} })).toMatchObject({ seq: 1, reason: 'malformed_entry' });
    const problem = { reason: 'event_not_authentic' as const, detail: 'no MAC' };
    expect(new ChainVerifier().check(first!, { content: records.get('consent/e1'), problem })).toEqual({
      seq: 1,
      kind: 'consent',
      ref: 'e1',
      ...problem,
    });
  });

  it('pages: one entry at a time it reaches the same head as the whole chain', () => {
    const entries = build();
    const verifier = new ChainVerifier();
    for (const entry of entries) expect(verifier.check(entry, { content: lookup(records)(entry.kind, entry.ref) })).toBeUndefined();
    expect(verifier.head).toBe(entries[2]!.entryHash);
    expect(verifier.entries).toBe(3);
  });
});
