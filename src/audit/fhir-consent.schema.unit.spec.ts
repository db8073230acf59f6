import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { AGENCY_KINDS, type ConsentProvision, DATA_CATEGORIES, PURPOSES, SERVICE_TYPES } from '../../libs/consent-policy/index.js';
import { CONSENT_GRANTORS, CONSENT_METHODS } from '../../libs/domain/index.js';
import { fhirInvariantIssues, officialExample } from '../../test/support/fhir-invariants.js';
import { fhirSchemaErrors } from '../../test/support/fhir-schema.js';
import type { ConsentTrailEntry } from './fhir-consent-resources.js';
import { consentBundle } from './fhir-consent.js';
import { fhirUrls } from './fhir-urls.js';

/**
 * Every resource of every export, and the Bundle itself, validates against the official HL7 FHIR
 * R4 JSON schema and keeps every FHIRPath invariant of the official R4 StructureDefinitions (no
 * error, no warning: dom-6 asks for a narrative): over generated consent trails, every vocabulary value, recipients by agency and
 * by kind, open-ended and bounded periods, partial and whole withdrawals, and odd languages and
 * notice versions the API accepts.
 */

const CASE = '6f1d8c52-0d6b-4c39-9a43-2a0c7b1e9a10';
const OWNER = 'a0000000-0000-4000-8000-000000000001';
const JWS = 'eyJhbGciOiJFZERTQSJ9.eyJ2IjoxfQ.c2ln';
const instantArb = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

const provisionArb: fc.Arbitrary<ConsentProvision> = fc
  .record({
    provisionId: fc.uuid(),
    recipient: fc.oneof(fc.record({ agencyId: fc.uuid({ version: 4 }) }), fc.record({ agencyKind: fc.constantFrom(...AGENCY_KINDS) })),
    purpose: fc.constantFrom(...PURPOSES),
    serviceTypes: fc.uniqueArray(fc.constantFrom(...SERVICE_TYPES), { minLength: 1, maxLength: 4 }),
    categories: fc.uniqueArray(fc.constantFrom(...DATA_CATEGORIES), { minLength: 1, maxLength: DATA_CATEGORIES.length }),
    validFrom: instantArb,
    validUntil: fc.option(instantArb, { nil: undefined }),
  })
  .map(({ validUntil, ...p }) => ({
    // As the decider allows: service types for service_provision only, an end after the start.
    ...p,
    serviceTypes: p.purpose === 'service_provision' ? p.serviceTypes : [],
    ...(validUntil && validUntil > p.validFrom ? { validUntil } : {}),
  }));

const consentArb = fc.record({
  // Another version than the agencies': real ids never collide, generated ones could.
  consentId: fc.uuid({ version: 1 }),
  grantor: fc.constantFrom(...CONSENT_GRANTORS),
  childAssent: fc.option(fc.boolean(), { nil: undefined }),
  method: fc.constantFrom(...CONSENT_METHODS),
  // The API takes any 2 to 35 characters here and 1 to 50 for the notice version.
  language: fc.oneof(fc.constantFrom('ha', 'kr', 'en-NG', 'ff-Latn-NG'), fc.string({ minLength: 2, maxLength: 35, unit: 'binary' })),
  interpreterUsed: fc.boolean(),
  noticeVersion: fc.string({ minLength: 1, maxLength: 50, unit: 'binary' }),
  givenAt: instantArb,
  provisions: fc.uniqueArray(provisionArb, { minLength: 1, maxLength: 5, selector: (p) => p.provisionId }),
  // Withdrawals: some provisions one by one, then perhaps the rest as a whole.
  withdrawnOneByOne: fc.nat({ max: 5 }),
  thenWhole: fc.boolean(),
  withdrawnAt: instantArb,
  withdrawnBy: fc.uuid(),
});

/** Directory names are free text too: odd ones for every agency, including none at all. */
const contextArb = (trail: readonly ConsentTrailEntry[]) =>
  fc
    .record({ ownerName: fc.option(fc.string({ minLength: 1, maxLength: 120, unit: 'binary' }), { nil: undefined }) })
    .map(({ ownerName }) => ({
      urls: fhirUrls(),
      agencyNames: new Map(ownerName === undefined ? [] : [[OWNER, ownerName]]),
      receipts: new Map(trail.filter((e) => e.type === 'ConsentGiven').map((e) => [(e.details as { consentId: string }).consentId, JWS])),
    }));

const trailArb = fc.uniqueArray(consentArb, { minLength: 1, maxLength: 4, selector: (c) => c.consentId }).map((consents) => {
  const trail: ConsentTrailEntry[] = [];
  const add = (type: string, actorUserId: string, details: object) =>
    trail.push({ revision: trail.length, type, occurredAt: '2026-01-01T00:00:00.000Z', actorUserId, actorAgencyId: OWNER, details });
  add('CaseOpened', 'u-opener', { owningAgencyId: OWNER, ageGroup: 'child', source: 'hotline' });
  for (const { withdrawnOneByOne, thenWhole, withdrawnAt, withdrawnBy, childAssent, ...given } of consents) {
    add('ConsentGiven', 'u-recorder', { ...given, ...(childAssent !== undefined ? { childAssent } : {}) });
    const ids = given.provisions.map((p) => p.provisionId);
    const single = ids.slice(0, Math.min(withdrawnOneByOne, ids.length));
    for (const id of single)
      add('ConsentWithdrawn', withdrawnBy, { consentId: given.consentId, provisionIds: [id], whole: false, withdrawnAt });
    const rest = ids.slice(single.length);
    if (thenWhole && rest.length > 0)
      add('ConsentWithdrawn', withdrawnBy, { consentId: given.consentId, provisionIds: rest, whole: true, withdrawnAt });
  }
  return trail;
});

const exportOf = (trail: ConsentTrailEntry[], context: Parameters<typeof consentBundle>[3]) =>
  consentBundle(CASE, trail, '2026-02-01T12:00:00.000Z', context);
const trailAndContextArb = trailArb.chain((trail) => contextArb(trail).map((context) => ({ trail, context })));

describe('the FHIR export against the official R4 JSON schema and invariants', () => {
  it('validates every exported resource, and the Bundle, against the JSON schema for generated consent trails', () => {
    fc.assert(
      fc.property(trailAndContextArb, ({ trail, context }) => {
        const bundle = exportOf(trail, context);
        expect(bundle.entry.length).toBeGreaterThan(0);
        for (const { fullUrl, resource } of bundle.entry)
          expect({ fullUrl, errors: fhirSchemaErrors(resource) }).toEqual({ fullUrl, errors: [] });
        expect(fhirSchemaErrors(bundle)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('loads the transaction with no error and no warning (dom-6 included) from the FHIRPath invariants, for generated consent trails', () => {
    fc.assert(
      fc.property(trailAndContextArb, ({ trail, context }) => {
        expect(fhirInvariantIssues(exportOf(trail, context) as unknown as Record<string, unknown>)).toEqual([]);
      }),
      // A check walks every element (about a second a Bundle): fewer runs, and no shrinking.
      { numRuns: 40, endOnFailure: true },
    );
  });

  it('is a schema that refuses what R4 does not allow (the control)', () => {
    const [entry] = consentBundle(
      CASE,
      [
        {
          revision: 0,
          type: 'CaseOpened',
          occurredAt: '2026-01-01T00:00:00.000Z',
          actorUserId: 'u',
          actorAgencyId: OWNER,
          details: { owningAgencyId: OWNER },
        },
        {
          revision: 1,
          type: 'ConsentGiven',
          occurredAt: '2026-01-01T00:00:00.000Z',
          actorUserId: 'u',
          actorAgencyId: OWNER,
          details: {
            consentId: 'c1',
            grantor: 'person',
            method: 'verbal',
            language: 'ha',
            interpreterUsed: false,
            noticeVersion: 'n',
            givenAt: '2026-01-01T00:00:00.000Z',
            provisions: [
              {
                provisionId: 'p1',
                recipient: { agencyId: OWNER },
                purpose: 'case_management',
                serviceTypes: [],
                categories: ['identity'],
                validFrom: '2026-01-01T00:00:00.000Z',
              },
            ],
          },
        },
      ],
      '2026-02-01T00:00:00.000Z',
      { urls: fhirUrls(), agencyNames: new Map(), receipts: new Map() },
    ).entry.filter((e) => e.resource.resourceType === 'Consent');
    expect(fhirSchemaErrors(entry!.resource)).toEqual([]);
    expect(fhirSchemaErrors({ ...entry!.resource, status: 'withdrawn' })).not.toEqual([]);
    expect(fhirSchemaErrors({ ...entry!.resource, patientName: 'A. Example' })).not.toEqual([]);
    expect(fhirSchemaErrors({ ...entry!.resource, dateTime: '1 January 2026' })).not.toEqual([]);
    expect(
      fhirSchemaErrors({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [{ resource: { ...entry!.resource, provision: { type: 'maybe' } } }],
      }),
    ).not.toEqual([]);
  });
});

describe('the FHIRPath invariant checker (the control)', () => {
  const CONSENT_EXAMPLES = [
    'basic',
    'Emergency',
    'grantor',
    'notAuthor',
    'notOrg',
    'notThem',
    'notThis',
    'notTime',
    'Out',
    'pkb',
    'signature',
    'smartonfhir',
  ].map((name) => `Consent-consent-example-${name}.json`);

  it.each(CONSENT_EXAMPLES)('passes the official example %s', (file) => {
    expect(fhirInvariantIssues(officialExample(file))).toEqual([]);
  });

  it('fails an official example broken on purpose: neither policy nor rule (ppc-1), a period ending before it starts (per-1), no narrative (dom-6)', () => {
    const { policy: _policy, policyRule: _rule, text: _text, ...broken } = officialExample('Consent-consent-example-notTime.json');
    const provision = broken.provision as { period: { start: string; end: string } };
    const issues = fhirInvariantIssues({
      ...broken,
      provision: { ...provision, period: { start: provision.period.end, end: provision.period.start } },
    });
    expect(issues.map((i) => [i.key, i.severity])).toEqual(
      expect.arrayContaining([
        ['ppc-1', 'error'],
        ['per-1', 'error'],
        ['dom-6', 'warning'],
      ]),
    );
  });

  it('fails a transaction Bundle without requests (bdl-3) and an extension with neither value nor extensions (ext-1)', () => {
    const consent = { ...officialExample('Consent-consent-example-basic.json'), extension: [{ url: 'https://example.org/ext' }] };
    const issues = fhirInvariantIssues({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ fullUrl: 'urn:uuid:1', resource: consent }],
    });
    expect(issues.map((i) => i.key).sort()).toEqual(['bdl-3', 'ext-1']);
  });
});
