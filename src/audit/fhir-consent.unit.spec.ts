import { describe, expect, it } from '@jest/globals';
import type { CaseEvent } from '../../libs/domain/index.js';
import { shelterAndLegalAidConsent } from '../../libs/testing/index.js';
import { trailDetails } from './trail-details.js';
import { type ConsentTrailEntry, FHIR_EXTENSION, consentBundle } from './fhir-consent.js';
import type { FhirBundle, FhirConsent, FhirProvenance } from './fhir-r4.js';

const CASE = '6f1d8c52-0d6b-4c39-9a43-2a0c7b1e9a10';
const SOCIAL = 'a0000000-0000-4000-8000-000000000001';
const SHELTER = 'a0000000-0000-4000-8000-000000000002';
const WORKER = 'u0000000-0000-4000-8000-000000000001';
const sealed = { alg: 'A256GCM', v: 1, iv: 'aXY', ct: 'Y3Q', tag: 'dGFn' };

const ADULT_CONSENT = 'c1000000-0000-4000-8000-000000000001';
const GUARDIAN_CONSENT = 'c2000000-0000-4000-8000-000000000002';
const P_SHELTER = 'p1000000-0000-4000-8000-000000000001';
const P_LEGAL = 'p1000000-0000-4000-8000-000000000002';
const P_FAMILY = 'p2000000-0000-4000-8000-000000000001';

const opened: CaseEvent = {
  type: 'CaseOpened',
  data: {
    caseId: CASE,
    owningAgencyId: SOCIAL,
    openedBy: WORKER,
    openedAt: '2026-01-01T09:00:00.000Z',
    source: 'observation',
    indicators: [],
    ageGroup: 'adult',
    personalData: { identity: sealed },
  },
};
const adultConsent: CaseEvent = {
  type: 'ConsentGiven',
  data: shelterAndLegalAidConsent(
    { consentId: ADULT_CONSENT, recordedBy: WORKER, shelterId: SHELTER, provisionIds: [P_SHELTER, P_LEGAL] },
    '2026-01-02T10:00:00.000Z',
  ),
};
const guardianConsent: CaseEvent = {
  type: 'ConsentGiven',
  data: {
    consentId: GUARDIAN_CONSENT,
    grantor: 'guardian',
    childAssent: true,
    method: 'written',
    language: 'kr',
    interpreterUsed: false,
    noticeVersion: 'n-1',
    recordedBy: WORKER,
    givenAt: '2026-01-03T10:00:00.000Z',
    provisions: [
      {
        provisionId: P_FAMILY,
        recipient: { agencyId: SHELTER },
        purpose: 'family_tracing',
        serviceTypes: [],
        categories: ['family'],
        validFrom: '2026-01-03T10:00:00.000Z',
      },
    ],
  },
};
const partialWithdrawal: CaseEvent = {
  type: 'ConsentWithdrawn',
  data: { consentId: ADULT_CONSENT, provisionIds: [P_LEGAL], whole: false, recordedBy: WORKER, withdrawnAt: '2026-01-10T08:00:00.000Z' },
};
const wholeWithdrawal: CaseEvent = {
  type: 'ConsentWithdrawn',
  data: { consentId: GUARDIAN_CONSENT, provisionIds: [P_FAMILY], whole: true, recordedBy: WORKER, withdrawnAt: '2026-01-11T08:00:00.000Z' },
};
const determination: CaseEvent = {
  type: 'BestInterestsDeterminationProposed',
  data: {
    determinationId: 'd1',
    by: WORKER,
    at: '2026-01-04T00:00:00.000Z',
    reasons: sealed,
    scope: [
      {
        recipient: { agencyId: SHELTER },
        purpose: 'case_management',
        serviceTypes: [],
        categories: ['identity'],
        validFrom: '2026-01-04T00:00:00.000Z',
        validUntil: '2026-02-01T00:00:00.000Z',
      },
    ],
  },
};

/** The trail as the projection writes it: the real trailDetails, one revision per event. */
function trailOf(events: readonly CaseEvent[]): ConsentTrailEntry[] {
  return events.flatMap((event, revision) => {
    const details = trailDetails(event);
    return details
      ? [{ revision, type: event.type, occurredAt: '2026-01-01T00:00:00.000Z', actorUserId: WORKER, actorAgencyId: SOCIAL, details }]
      : [];
  });
}

/** given the case's events, when exported, then the bundle. */
const given = (...events: CaseEvent[]) => ({
  whenExported: (): FhirBundle => consentBundle(CASE, trailOf(events), '2026-02-01T00:00:00.000Z'),
});
const consents = (bundle: FhirBundle) => bundle.entry.map((e) => e.resource).filter((r): r is FhirConsent => r.resourceType === 'Consent');
const provenances = (bundle: FhirBundle) =>
  bundle.entry.map((e) => e.resource).filter((r): r is FhirProvenance => r.resourceType === 'Provenance');
const extension = (consent: FhirConsent, url: string) => consent.extension.find((e) => e.url === url);

describe("consentBundle: a case's consents as FHIR R4", () => {
  it('is an empty collection for a case without consents', () => {
    expect(given(opened).whenExported()).toEqual({
      resourceType: 'Bundle',
      type: 'collection',
      timestamp: '2026-02-01T00:00:00.000Z',
      entry: [],
    });
  });

  it('maps a consent: privacy scope, LOINC category, pseudonymous patient, owning agency, when, how, in which language, under which notice', () => {
    const [consent] = consents(given(opened, adultConsent).whenExported());
    expect(consent).toMatchObject({
      resourceType: 'Consent',
      id: ADULT_CONSENT,
      status: 'active',
      identifier: [{ system: 'https://referrals.example.org/fhir/sid/consent', value: ADULT_CONSENT }],
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { type: 'Patient', identifier: { system: 'https://referrals.example.org/fhir/sid/case', value: CASE } },
      performer: [{ type: 'Patient', identifier: { value: CASE } }],
      organization: [{ reference: `Organization/${SOCIAL}` }],
      dateTime: '2026-01-02T10:00:00.000Z',
      policy: [{ uri: 'https://referrals.example.org/fhir/consent-notices/notice%202026%2F01' }],
      policyRule: { coding: [{ code: 'OPTIN' }] },
    });
    expect(consent!.patient).not.toHaveProperty('display');
    expect(extension(consent!, FHIR_EXTENSION.grantor)?.valueCoding?.code).toBe('person');
    expect(extension(consent!, FHIR_EXTENSION.method)?.valueCoding?.code).toBe('verbal');
    expect(extension(consent!, FHIR_EXTENSION.language)?.valueCode).toBe('ha');
    expect(extension(consent!, FHIR_EXTENSION.interpreterUsed)?.valueBoolean).toBe(true);
    expect(extension(consent!, FHIR_EXTENSION.childAssent)).toBeUndefined();
  });

  it('turns provisions into permits under a base deny: recipient, purpose, service types, categories, period', () => {
    const [consent] = consents(given(opened, adultConsent).whenExported());
    expect(consent!.provision.type).toBe('deny');
    const [shelter, legal] = consent!.provision.provision!;
    expect(shelter).toEqual({
      id: P_SHELTER,
      type: 'permit',
      period: { start: '2026-01-02T10:00:00.000Z' },
      modifierExtension: [
        {
          url: FHIR_EXTENSION.serviceType,
          valueCoding: { system: 'https://referrals.example.org/fhir/CodeSystem/service-type', code: 'shelter' },
        },
        {
          url: FHIR_EXTENSION.serviceType,
          valueCoding: { system: 'https://referrals.example.org/fhir/CodeSystem/service-type', code: 'wash' },
        },
      ],
      actor: [
        {
          role: {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' },
            ],
          },
          reference: { reference: `Organization/${SHELTER}`, type: 'Organization' },
        },
      ],
      purpose: [{ system: 'https://referrals.example.org/fhir/CodeSystem/purpose', code: 'service_provision' }],
      class: [
        { system: 'https://referrals.example.org/fhir/CodeSystem/data-category', code: 'identity' },
        { system: 'https://referrals.example.org/fhir/CodeSystem/data-category', code: 'safety' },
      ],
    });
    // A kind of agency has no Organization resource: named by a coded extension and a display.
    expect(legal).toMatchObject({
      type: 'permit',
      period: { start: '2026-01-02T10:00:00.000Z', end: '2026-07-01T00:00:00.000Z' },
      actor: [
        {
          reference: {
            type: 'Organization',
            display: 'any agency of kind legal_aid',
            extension: [{ url: FHIR_EXTENSION.recipientAgencyKind, valueCoding: { code: 'legal_aid' } }],
          },
        },
      ],
    });
    expect(legal).not.toHaveProperty('modifierExtension');
    expect(legal!.actor![0]!.reference).not.toHaveProperty('reference');
  });

  it('keeps a partly withdrawn consent active, the withdrawn provision a deny from its withdrawal, with a Provenance', () => {
    const bundle = given(opened, adultConsent, partialWithdrawal).whenExported();
    const [consent] = consents(bundle);
    expect(consent!.status).toBe('active');
    expect(consent!.provision.provision!.map((p) => [p.id, p.type, p.period])).toEqual([
      [P_SHELTER, 'permit', { start: '2026-01-02T10:00:00.000Z' }],
      [P_LEGAL, 'deny', { start: '2026-01-10T08:00:00.000Z' }],
    ]);
    const [provenance] = provenances(bundle);
    expect(provenance).toMatchObject({
      target: [{ reference: `urn:uuid:${ADULT_CONSENT}`, type: 'Consent' }],
      recorded: '2026-01-10T08:00:00.000Z',
      occurredDateTime: '2026-01-10T08:00:00.000Z',
      activity: { coding: [{ code: 'UPDATE' }, { code: 'partial-withdrawal' }] },
      extension: [{ url: FHIR_EXTENSION.withdrawnProvision, valueString: P_LEGAL }],
      agent: [
        {
          type: { coding: [{ code: 'enterer' }] },
          who: { identifier: { system: 'https://referrals.example.org/fhir/sid/user', value: WORKER } },
          onBehalfOf: { reference: `Organization/${SOCIAL}` },
        },
      ],
    });
  });

  it("makes a consent withdrawn as a whole inactive, with a Provenance; a guardian's consent records the child's assent", () => {
    const bundle = given(opened, adultConsent, guardianConsent, wholeWithdrawal).whenExported();
    const guardian = consents(bundle).find((c) => c.id === GUARDIAN_CONSENT)!;
    expect(guardian).toMatchObject({ status: 'inactive', performer: [{ type: 'RelatedPerson', display: 'guardian' }] });
    expect(guardian.provision.provision!.map((p) => p.type)).toEqual(['deny']);
    expect(extension(guardian, FHIR_EXTENSION.grantor)?.valueCoding?.code).toBe('guardian');
    expect(extension(guardian, FHIR_EXTENSION.childAssent)?.valueBoolean).toBe(true);
    expect(consents(bundle).find((c) => c.id === ADULT_CONSENT)!.status).toBe('active');
    expect(provenances(bundle)).toEqual([
      expect.objectContaining({
        target: [{ reference: `urn:uuid:${GUARDIAN_CONSENT}`, type: 'Consent' }],
        activity: { coding: [expect.objectContaining({ code: 'UPDATE' }), expect.objectContaining({ code: 'withdrawal' })] },
      }),
    ]);
  });

  it('makes a consent inactive once every provision is withdrawn, one by one', () => {
    const rest: CaseEvent = {
      type: 'ConsentWithdrawn',
      data: {
        consentId: ADULT_CONSENT,
        provisionIds: [P_SHELTER],
        whole: false,
        recordedBy: WORKER,
        withdrawnAt: '2026-01-12T08:00:00.000Z',
      },
    };
    const bundle = given(opened, adultConsent, partialWithdrawal, rest).whenExported();
    expect(consents(bundle).map((c) => c.status)).toEqual(['inactive']);
    expect(provenances(bundle)).toHaveLength(2);
  });

  it('puts each Provenance after its Consent, with stable urn:uuid full URLs that its target resolves to', () => {
    const bundle = given(opened, adultConsent, guardianConsent, partialWithdrawal, wholeWithdrawal).whenExported();
    expect(bundle.entry.map((e) => e.resource.resourceType)).toEqual(['Consent', 'Provenance', 'Consent', 'Provenance']);
    for (const { fullUrl, resource } of bundle.entry) expect(fullUrl).toBe(`urn:uuid:${resource.id}`);
    const urls = new Set(bundle.entry.map((e) => e.fullUrl));
    for (const provenance of provenances(bundle)) expect(urls.has(provenance.target[0]!.reference!)).toBe(true);
    // Exported twice, the same ids: an export is reproducible.
    expect(given(opened, adultConsent, guardianConsent, partialWithdrawal, wholeWithdrawal).whenExported()).toEqual(bundle);
  });

  it('leaves best-interests determinations and referrals out', () => {
    const bundle = given(opened, adultConsent, determination).whenExported();
    expect(bundle.entry.map((e) => e.resource.id)).toEqual([ADULT_CONSENT]);
  });

  it('keeps a language the API took that is not a BCP 47 tag as a string, not a code, and a blank one not at all', () => {
    const odd: CaseEvent = { ...adultConsent, data: { ...(adultConsent.data as object), language: 'Hausa (Kano)' } } as CaseEvent;
    const [consent] = consents(given(opened, odd).whenExported());
    expect(extension(consent!, FHIR_EXTENSION.language)).toEqual({ url: FHIR_EXTENSION.language, valueString: 'Hausa (Kano)' });
    const blank: CaseEvent = { ...adultConsent, data: { ...(adultConsent.data as object), language: ' \u00a0 ' } } as CaseEvent;
    expect(extension(consents(given(opened, blank).whenExported())[0]!, FHIR_EXTENSION.language)).toBeUndefined();
  });
});
