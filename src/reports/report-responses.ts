import { DECLINE_REASONS } from '../../libs/domain/index.js';
import { SERVICE_TYPES } from '../../libs/consent-policy/index.js';
import { type SchemaObject, instant, list, oneOf, record, text } from '../platform/api-responses.js';

/** The response bodies of the coordinator's reports, for the OpenAPI document (and so the web application's typed client). */

/** OpenAPI 3.0's null: an enum must list it too. */
const nullable = (schema: SchemaObject): SchemaObject => ({
  ...schema,
  nullable: true,
  ...(schema.enum ? { enum: [...(schema.enum as unknown[]), null] } : {}),
});
/** A count shown, or null where it is suppressed (too small, or recoverable by subtraction). */
const shown = nullable({ type: 'integer', minimum: 0 });
const serviceType = nullable(oneOf(SERVICE_TYPES));
const area = nullable(text());
const capacity = record({ total: { type: 'integer' }, available: { type: 'integer' } });
const period = record({ from: text({ format: 'date' }), to: text({ format: 'date' }) });
const suppression = { minimumCell: { type: 'integer' }, suppression: text() } satisfies Record<string, SchemaObject>;
const hours = nullable(record({ median: nullable({ type: 'number' }), p90: nullable({ type: 'number' }) }));
const entry = { count: shown, suppressed: { type: 'boolean' } } satisfies Record<string, SchemaObject>;
const reason = oneOf(DECLINE_REASONS);

export const SERVICE_MAP = record({
  rows: list(
    record({
      area,
      serviceType,
      agencies: list(record({ agencyId: text({ format: 'uuid' }), agencyName: text(), agencyKind: text(), subcommittees: list(text()) })),
      capacity: nullable(capacity),
    }),
  ),
});

export const REFERRAL_REPORT = record(
  {
    period,
    ...suppression,
    rows: list(
      record({
        serviceType,
        area,
        counts: record(
          Object.fromEntries(['requested', 'accepted', 'declined', 'completed', 'withdrawn', 'open', 'overdue'].map((n) => [n, shown])),
        ),
        hoursToFirstResponse: hours,
        hoursToDecision: hours,
        suppressed: { type: 'boolean' },
      }),
    ),
  },
  ['period', 'minimumCell', 'rows'],
);

export const DECLINE_REPORT = record(
  {
    period,
    ...suppression,
    total: record(entry),
    byReason: list(record({ reason, ...entry })),
    byServiceType: list(record({ serviceType, ...entry })),
    byServiceTypeAndReason: list(record({ serviceType, reason, ...entry })),
  },
  ['period', 'minimumCell', 'total', 'byReason', 'byServiceType', 'byServiceTypeAndReason'],
);

export const OVERDUE_REPORT = record({
  asOf: instant,
  rows: list(
    record({
      agency: record({ id: text({ format: 'uuid' }), name: nullable(text()) }),
      serviceType,
      overdue: { type: 'integer' },
      maxDaysOverdue: { type: 'integer' },
    }),
  ),
});
