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
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const contentHash = (content: unknown): string => sha256(canonicalJson(content));

export function nextEntry(
  previous: Pick<ChainEntry, 'seq' | 'entryHash'> | undefined,
  kind: string,
  ref: string,
  content: unknown,
): ChainEntry {
  return linkEntry(previous, kind, ref, contentHash(content));
}

/** The entry after `previous` for a record whose content hashes to `hash`. */
export function linkEntry(
  previous: Pick<ChainEntry, 'seq' | 'entryHash'> | undefined,
  kind: string,
  ref: string,
  hash: string,
): ChainEntry {
  const seq = (previous?.seq ?? 0) + 1;
  const prevHash = previous?.entryHash ?? GENESIS;
  return { seq, kind, ref, contentHash: hash, prevHash, entryHash: linkHash(seq, kind, ref, hash, prevHash) };
}

const linkHash = (seq: number, kind: string, ref: string, content: string, prev: string): string =>
  sha256([prev, seq, kind, ref, content].join('\n'));

export type BrokenReason =
  | 'missing_entry'
  | 'wrong_previous_hash'
  | 'entry_hash_mismatch'
  | 'malformed_entry'
  | 'record_missing'
  | 'record_changed'
  | 'event_not_authentic'
  | 'unchained_record'
  | 'head_not_in_chain';

/** What is wrong and where: `seq` names the chain entry when there is one (an unchained record has none). */
export interface BrokenLink {
  readonly seq?: number;
  readonly kind?: string;
  readonly ref?: string;
  readonly reason: BrokenReason;
  /** A fixed phrase saying more (never a stored value). */
  readonly detail?: string;
}

export type Verification =
  | {
      readonly verified: true;
      readonly entries: number;
      readonly head: string;
      readonly publishedHead?: { readonly head: string; readonly seq: number };
    }
  | { readonly verified: false; readonly entries: number; readonly firstBrokenLink: BrokenLink };

/** A record as it is stored now: its content, or a problem found with it; undefined when it no longer exists. */
export interface StoredRecord {
  readonly content: unknown;
  readonly problem?: { readonly reason: BrokenReason; readonly detail: string };
}

/** A chain hash as written: 64 lower-case hex digits (entry, content and published head hashes). */
export const CHAIN_HASH = /^[0-9a-f]{64}$/;

/**
 * Checks a chain one entry at a time, in seq order, holding only the previous entry: a caller
 * pages through any length of chain in constant memory. Entries come as read from storage and may
 * be malformed; nothing here throws on them.
 */
export class ChainVerifier {
  private previous: Pick<ChainEntry, 'seq' | 'entryHash'> | undefined;
  private count = 0;

  get entries(): number {
    return this.count;
  }

  get head(): string {
    return this.previous?.entryHash ?? GENESIS;
  }

  /** The first thing wrong with this entry, or undefined when it links and its record is what was chained. */
  check(
    entry: {
      readonly seq: unknown;
      readonly kind: unknown;
      readonly ref: unknown;
      readonly contentHash: unknown;
      readonly prevHash: unknown;
      readonly entryHash: unknown;
    },
    record: StoredRecord | undefined,
  ): BrokenLink | undefined {
    const expectedSeq = (this.previous?.seq ?? 0) + 1;
    const seq = Number(entry.seq);
    const at = {
      seq,
      ...(typeof entry.kind === 'string' ? { kind: entry.kind } : {}),
      ...(typeof entry.ref === 'string' ? { ref: entry.ref } : {}),
    };
    if (!Number.isSafeInteger(seq)) return { seq: expectedSeq, reason: 'malformed_entry', detail: 'seq is not a whole number' };
    if (seq !== expectedSeq) return { seq: expectedSeq, reason: 'missing_entry' };
    if (typeof entry.kind !== 'string' || typeof entry.ref !== 'string')
      return { ...at, reason: 'malformed_entry', detail: 'kind or ref is missing' };
    if (![entry.contentHash, entry.prevHash, entry.entryHash].every((h) => typeof h === 'string' && CHAIN_HASH.test(h))) {
      return { ...at, reason: 'malformed_entry', detail: 'a hash is not 64 hex digits' };
    }
    const { contentHash: content, prevHash, entryHash } = entry as { contentHash: string; prevHash: string; entryHash: string };
    this.count++;
    if (prevHash !== this.head) return { ...at, reason: 'wrong_previous_hash' };
    if (entryHash !== linkHash(seq, entry.kind, entry.ref, content, prevHash)) return { ...at, reason: 'entry_hash_mismatch' };
    if (record === undefined) return { ...at, reason: 'record_missing' };
    if (contentHash(record.content) !== content)
      return { ...at, reason: 'record_changed', ...(record.problem?.reason === 'record_changed' ? { detail: record.problem.detail } : {}) };
    if (record.problem) return { ...at, ...record.problem };
    this.previous = { seq, entryHash };
    return undefined;
  }
}

/**
 * Recomputes a chain held in memory. `recordOf` gives a record's current content, or undefined
 * when it no longer exists. Names the first broken link.
 */
export function verifyChain(entries: readonly ChainEntry[], recordOf: (kind: string, ref: string) => unknown): Verification {
  const verifier = new ChainVerifier();
  for (const entry of entries) {
    const content = recordOf(entry.kind, entry.ref);
    const broken = verifier.check(entry, content === undefined ? undefined : { content });
    if (broken) return { verified: false, entries: entries.length, firstBrokenLink: broken };
  }
  return { verified: true, entries: entries.length, head: verifier.head };
}
