import { createHash } from 'node:crypto';

/**
 * A hash chain over audit records (consent events, personal-data access records): each entry
 * carries the hash of its own canonical content and of the entry before it, so an edited record,
 * a deleted one or a reordered one breaks the chain from that entry on. Pure: no I/O.
 */
export interface ChainEntry {
  readonly seq: number;
  readonly kind: string;
  /** Identifies the record the entry stands for, within its kind. */
  readonly ref: string;
  readonly contentHash: string;
  readonly prevHash: string;
  readonly entryHash: string;
}

export const GENESIS = '0'.repeat(64);

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** JSON with keys sorted at every level, so equal content always hashes equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const contentHash = (content: unknown): string => sha256(canonicalJson(content));

export function nextEntry(previous: Pick<ChainEntry, 'seq' | 'entryHash'> | undefined, kind: string, ref: string, content: unknown): ChainEntry {
  const seq = (previous?.seq ?? 0) + 1;
  const prevHash = previous?.entryHash ?? GENESIS;
  const hash = contentHash(content);
  return { seq, kind, ref, contentHash: hash, prevHash, entryHash: linkHash(seq, kind, ref, hash, prevHash) };
}

const linkHash = (seq: number, kind: string, ref: string, content: string, prev: string): string => sha256([prev, seq, kind, ref, content].join('\n'));

export type BrokenLink = {
  readonly seq: number;
  readonly kind?: string;
  readonly ref?: string;
  readonly reason: 'missing_entry' | 'wrong_previous_hash' | 'entry_hash_mismatch' | 'record_missing' | 'record_changed';
};

export type Verification =
  | { readonly verified: true; readonly entries: number; readonly head: string }
  | { readonly verified: false; readonly entries: number; readonly firstBrokenLink: BrokenLink };

/**
 * Recomputes the chain from the start. `recordOf` gives a record's current content, or undefined
 * when it no longer exists. Names the first broken link.
 */
export function verifyChain(entries: readonly ChainEntry[], recordOf: (kind: string, ref: string) => unknown): Verification {
  let previous: ChainEntry | undefined;
  for (const entry of entries) {
    const expectedSeq = (previous?.seq ?? 0) + 1;
    const broken = (reason: BrokenLink['reason'], seq = entry.seq): Verification =>
      ({ verified: false, entries: entries.length, firstBrokenLink: { seq, ...(seq === entry.seq ? { kind: entry.kind, ref: entry.ref } : {}), reason } });
    if (entry.seq !== expectedSeq) return broken('missing_entry', expectedSeq);
    if (entry.prevHash !== (previous?.entryHash ?? GENESIS)) return broken('wrong_previous_hash');
    if (entry.entryHash !== linkHash(entry.seq, entry.kind, entry.ref, entry.contentHash, entry.prevHash)) return broken('entry_hash_mismatch');
    const record = recordOf(entry.kind, entry.ref);
    if (record === undefined) return broken('record_missing');
    if (contentHash(record) !== entry.contentHash) return broken('record_changed');
    previous = entry;
  }
  return { verified: true, entries: entries.length, head: previous?.entryHash ?? GENESIS };
}
