import { type SchemaObject, instant, list, oneOf, page, record, text } from '../platform/api-responses.js';

/** The response bodies of the auditor's routes, for the OpenAPI document (and so the web application's typed client). */

const BROKEN_REASONS = [
  'missing_entry',
  'wrong_previous_hash',
  'entry_hash_mismatch',
  'malformed_entry',
  'record_missing',
  'record_changed',
  'event_not_authentic',
  'unchained_record',
  'head_not_in_chain',
] as const;
const count: SchemaObject = { type: 'integer', minimum: 0 };
const hash = text({ pattern: '^[0-9a-f]{64}$' });

export const VERIFICATION: SchemaObject = {
  oneOf: [
    record({ verified: { type: 'boolean', enum: [true] }, entries: count, head: hash, publishedHead: record({ head: hash, seq: count }) }, [
      'verified',
      'entries',
      'head',
    ]),
    record(
      {
        verified: { type: 'boolean', enum: [false] },
        entries: count,
        firstBrokenLink: record({ seq: count, kind: text(), ref: text(), reason: oneOf(BROKEN_REASONS), detail: text() }, ['reason']),
      },
      ['verified', 'entries', 'firstBrokenLink'],
    ),
  ],
};

/** A read of personal data: who, which agency, which categories, on what legal basis (no personal value). */
const access = {
  accessedAt: instant,
  userId: text(),
  agencyId: text(),
  categories: list(text()),
  legalBasis: { description: 'consent (with the consent and provision) or a best-interests determination' },
};
export const CASE_ACCESS_LOG = list(record(access, ['accessedAt', 'userId', 'agencyId', 'categories']));
const trailEntry = {
  revision: { type: 'integer' },
  type: text(),
  occurredAt: instant,
  actorUserId: text(),
  actorAgencyId: text(),
  details: { type: 'object', additionalProperties: true, description: 'What the event recorded, by its type; never personal data' },
} satisfies Record<string, SchemaObject>;
export const CASE_CONSENT_TRAIL = list(record(trailEntry, ['revision', 'type', 'occurredAt', 'actorUserId', 'actorAgencyId']));

/** The network-wide exports: a JSON page, or (format=csv) every record as CSV. */
const exported = (item: SchemaObject) => ({
  content: {
    'application/json': { schema: page(item) },
    'text/csv': { schema: text({ description: 'Every record, a header line first (RFC 4180)' }) },
  },
});
export const ACCESS_LOG_EXPORT = exported(record({ ...access, caseId: text({ format: 'uuid' }) }, ['accessedAt', 'caseId']));
export const CONSENT_TRAIL_EXPORT = exported(record({ caseId: text({ format: 'uuid' }), ...trailEntry }, ['caseId', 'revision', 'type']));
