import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import type { Purpose, ServiceType } from '../../libs/consent-policy/index.js';
import type { CaseEvent } from '../../libs/domain/index.js';
import { shelterAndLegalAidConsent } from '../../libs/testing/index.js';
import { trailDetails } from './trail-details.js';
import type { ConsentTrailEntry } from './fhir-consent-resources.js';
import { consentBundle } from './fhir-consent.js';
import { fhirUrls } from './fhir-urls.js';
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

const URLS = fhirUrls();
const RECEIPT = 'eyJhbGciOiJFZERTQSJ9.eyJ2ZXJzaW9uIjoiS0ktQ1ItdjEuMS4wIn0.c2ln';
const CONTEXT = {
  urls: URLS,
  agencyNames: new Map([
    [SOCIAL, 'Social Development'],
    [SHELTER, 'Safe House <North> & Co'],
  ]),
  receipts: new Map([[ADULT_CONSENT, RECEIPT]]),
};

/** given the case's events, when exported, then the bundle. */
const given = (...events: CaseEvent[]) => ({
  whenExported: (context = CONTEXT): FhirBundle => consentBundle(CASE, trailOf(events), '2026-02-01T00:00:00.000Z', context),
});
const consents = (bundle: FhirBundle) => bundle.entry.map((e) => e.resource).filter((r): r is FhirConsent => r.resourceType === 'Consent');
const provenances = (bundle: FhirBundle) =>
  bundle.entry.map((e) => e.resource).filter((r): r is FhirProvenance => r.resourceType === 'Provenance');
const withdrawals = (bundle: FhirBundle) => provenances(bundle).filter((p) => p.activity.coding[0]!.code === 'UPDATE');
const extension = (consent: FhirConsent, url: string) => consent.extension.find((e) => e.url === url);

describe("consentBundle: a case's consents as FHIR R4", () => {
  it('is an empty transaction for a case without consents', () => {
    expect(given(opened).whenExported()).toEqual({
      resourceType: 'Bundle',
      type: 'transaction',
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
      organization: [{ reference: `urn:uuid:${SOCIAL}` }],
      dateTime: '2026-01-02T10:00:00.000Z',
      policy: [{ uri: 'https://referrals.example.org/fhir/consent-notices/notice%202026%2F01' }],
      policyRule: { coding: [{ code: 'OPTIN' }] },
    });
    expect(consent!.patient).not.toHaveProperty('display');
    expect(extension(consent!, URLS['StructureDefinition/consent-grantor'])?.valueCoding?.code).toBe('person');
    expect(extension(consent!, URLS['StructureDefinition/consent-method'])?.valueCoding?.code).toBe('verbal');
    expect(extension(consent!, URLS['StructureDefinition/consent-language'])?.valueCode).toBe('ha');
    expect(extension(consent!, URLS['StructureDefinition/consent-interpreter-used'])?.valueBoolean).toBe(true);
    expect(extension(consent!, URLS['StructureDefinition/consent-child-assent'])).toBeUndefined();
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
          url: URLS['StructureDefinition/provision-service-type'],
          valueCoding: { system: 'https://referrals.example.org/fhir/CodeSystem/service-type', code: 'shelter' },
        },
        {
          url: URLS['StructureDefinition/provision-service-type'],
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
          reference: { reference: `urn:uuid:${SHELTER}`, type: 'Organization' },
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
            extension: [{ url: URLS['StructureDefinition/recipient-agency-kind'], valueCoding: { code: 'legal_aid' } }],
          },
        },
      ],
    });
    expect(legal).not.toHaveProperty('modifierExtension');
    expect(legal!.actor![0]!.reference).not.toHaveProperty('reference');
  });

  it('keeps a partly withdrawn consent active, the withdrawn permit ending at the withdrawal with the agreed period beside it, and a Provenance', () => {
    const bundle = given(opened, adultConsent, partialWithdrawal).whenExported();
    const [consent] = consents(bundle);
    expect(consent!.status).toBe('active');
    expect(consent!.provision.provision!.map((p) => [p.id, p.type, p.period, p.extension, p.provision])).toEqual([
      [P_SHELTER, 'permit', { start: '2026-01-02T10:00:00.000Z' }, undefined, undefined],
      [
        P_LEGAL,
        'permit',
        { start: '2026-01-02T10:00:00.000Z', end: '2026-01-10T08:00:00.000Z' },
        [
          {
            url: URLS['StructureDefinition/agreed-period'],
            valuePeriod: { start: '2026-01-02T10:00:00.000Z', end: '2026-07-01T00:00:00.000Z' },
          },
        ],
        undefined,
      ],
    ]);
    const [provenance] = withdrawals(bundle);
    expect(provenance).toMatchObject({
      target: [{ reference: `urn:uuid:${ADULT_CONSENT}`, type: 'Consent' }],
      recorded: '2026-01-10T08:00:00.000Z',
      occurredDateTime: '2026-01-10T08:00:00.000Z',
      activity: { coding: [{ code: 'UPDATE' }, { code: 'partial-withdrawal' }] },
      extension: [{ url: URLS['StructureDefinition/withdrawn-provision'], valueString: P_LEGAL }],
      agent: [
        {
          type: { coding: [{ code: 'enterer' }] },
          who: { identifier: { system: 'https://referrals.example.org/fhir/sid/user', value: WORKER } },
          onBehalfOf: { reference: `urn:uuid:${SOCIAL}` },
        },
      ],
    });
  });

  it('ends a permit withdrawn before it began at its start, so that it permits nothing and its period stays valid', () => {
    const early: CaseEvent = { ...partialWithdrawal, data: { ...partialWithdrawal.data, withdrawnAt: '2026-01-02T09:00:00.000Z' } };
    const legal = consents(given(opened, adultConsent, early).whenExported())[0]!.provision.provision!.find((p) => p.id === P_LEGAL)!;
    expect(legal.period).toEqual({ start: '2026-01-02T10:00:00.000Z', end: '2026-01-02T10:00:00.000Z' });
  });

  it('keeps the agreed end of a permit withdrawn after it had already ended', () => {
    const late: CaseEvent = { ...partialWithdrawal, data: { ...partialWithdrawal.data, withdrawnAt: '2026-08-01T00:00:00.000Z' } };
    const legal = consents(given(opened, adultConsent, late).whenExported())[0]!.provision.provision!.find((p) => p.id === P_LEGAL)!;
    expect(legal.period).toEqual({ start: '2026-01-02T10:00:00.000Z', end: '2026-07-01T00:00:00.000Z' });
  });

  it("makes a consent withdrawn as a whole inactive, with a Provenance; a guardian's consent records the child's assent", () => {
    const bundle = given(opened, adultConsent, guardianConsent, wholeWithdrawal).whenExported();
    const guardian = consents(bundle).find((c) => c.id === GUARDIAN_CONSENT)!;
    expect(guardian).toMatchObject({ status: 'inactive', performer: [{ type: 'RelatedPerson', display: 'guardian' }] });
    expect(guardian.provision.provision!.map((p) => [p.type, p.period])).toEqual([
      ['permit', { start: '2026-01-03T10:00:00.000Z', end: '2026-01-11T08:00:00.000Z' }],
    ]);
    expect(extension(guardian, URLS['StructureDefinition/consent-grantor'])?.valueCoding?.code).toBe('guardian');
    expect(extension(guardian, URLS['StructureDefinition/consent-child-assent'])?.valueBoolean).toBe(true);
    expect(consents(bundle).find((c) => c.id === ADULT_CONSENT)!.status).toBe('active');
    expect(withdrawals(bundle)).toEqual([
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
    expect(withdrawals(bundle)).toHaveLength(2);
  });

  it('is a transaction: the agencies first, created only if absent, then each Consent put by its id, its grant and its withdrawals', () => {
    const bundle = given(opened, adultConsent, guardianConsent, partialWithdrawal, wholeWithdrawal).whenExported();
    expect(bundle.entry.map((e) => [e.resource.resourceType, e.request.method, e.request.url])).toEqual([
      ['Organization', 'POST', 'Organization'],
      ['Organization', 'POST', 'Organization'],
      ['Consent', 'PUT', `Consent/${ADULT_CONSENT}`],
      ['Provenance', 'PUT', expect.stringMatching(/^Provenance\/[0-9a-f-]{36}$/)],
      ['Provenance', 'PUT', expect.stringMatching(/^Provenance\//)],
      ['Consent', 'PUT', `Consent/${GUARDIAN_CONSENT}`],
      ['Provenance', 'PUT', expect.stringMatching(/^Provenance\//)],
      ['Provenance', 'PUT', expect.stringMatching(/^Provenance\//)],
    ]);
    expect(bundle.entry[0]).toEqual({
      fullUrl: `urn:uuid:${SOCIAL}`,
      resource: {
        resourceType: 'Organization',
        text: {
          status: 'generated',
          div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Member agency Social Development of the referral network.</p></div>',
        },
        identifier: [{ system: URLS['sid/agency'], value: SOCIAL }],
        name: 'Social Development',
      },
      request: {
        method: 'POST',
        url: 'Organization',
        ifNoneExist: `identifier=${encodeURIComponent(URLS['sid/agency'])}|${SOCIAL}`,
      },
    });
  });

  it('resolves every reference inside the Bundle, through urn:uuid full URLs, and gives the same ids when exported again', () => {
    const bundle = given(opened, adultConsent, guardianConsent, partialWithdrawal, wholeWithdrawal).whenExported();
    const urls = new Set(bundle.entry.map((e) => e.fullUrl));
    expect(urls.size).toBe(bundle.entry.length);
    const references = JSON.stringify(bundle)
      .match(/"reference":"[^"]*"/g)!
      .map((r) => r.slice(13, -1));
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) expect({ reference, resolves: urls.has(reference) }).toEqual({ reference, resolves: true });
    expect(given(opened, adultConsent, guardianConsent, partialWithdrawal, wholeWithdrawal).whenExported()).toEqual(bundle);
  });

  it('records the grant in a Provenance: who recorded it, when, for which agency', () => {
    const [grant] = provenances(given(opened, adultConsent).whenExported());
    expect(grant).toMatchObject({
      target: [{ reference: `urn:uuid:${ADULT_CONSENT}`, type: 'Consent' }],
      recorded: '2026-01-02T10:00:00.000Z',
      activity: { coding: [{ code: 'CREATE' }, { code: 'grant' }] },
      agent: [{ who: { identifier: { value: WORKER } }, onBehalfOf: { reference: `urn:uuid:${SOCIAL}` } }],
    });
  });

  it('links the signed receipt of the consent as given as its source attachment', () => {
    const [adult, guardian] = consents(given(opened, adultConsent, guardianConsent).whenExported());
    expect(adult!.sourceAttachment).toMatchObject({
      contentType: 'application/jose',
      creation: '2026-01-02T10:00:00.000Z',
      hash: createHash('sha1').update(RECEIPT).digest('base64'),
    });
    expect(Buffer.from(adult!.sourceAttachment!.data, 'base64').toString()).toBe(RECEIPT);
    // No receipt to hand: no attachment, rather than an empty one.
    expect(guardian).not.toHaveProperty('sourceAttachment');
  });

  it('adds a v3 PurposeOfUse code only where it is no broader than the purpose', () => {
    const purposes = (purpose: Purpose, serviceTypes: ServiceType[]) => {
      const data = adultConsent.data;
      const event: CaseEvent = { type: 'ConsentGiven', data: { ...data, provisions: [{ ...data.provisions[0]!, purpose, serviceTypes }] } };
      return consents(given(opened, event).whenExported())[0]!.provision.provision![0]!.purpose!.map((c) => c.code);
    };
    expect(purposes('case_management', [])).toEqual(['case_management', 'COC']);
    expect(purposes('service_provision', ['medical', 'mhpss'])).toEqual(['service_provision', 'TREAT']);
    expect(purposes('service_provision', ['medical', 'shelter'])).toEqual(['service_provision']);
    expect(purposes('legal_assistance', [])).toEqual(['legal_assistance']);
    expect(purposes('law_enforcement_report', [])).toEqual(['law_enforcement_report']);
    expect(purposes('phone_case_management', [])).toEqual(['phone_case_management']);
  });

  it('narrates every resource, escaping what the API and the directory took', () => {
    const bundle = given(opened, adultConsent, partialWithdrawal).whenExported();
    for (const { resource } of bundle.entry)
      expect(resource.text).toMatchObject({
        status: 'generated',
        div: expect.stringMatching(/^<div xmlns="http:\/\/www.w3.org\/1999\/xhtml">.+<\/div>$/),
      });
    const [consent] = consents(bundle);
    expect(consent!.text.div).toContain('Safe House &lt;North&gt; &amp; Co');
    expect(consent!.text.div).toContain('from 2026-01-02 until 2026-07-01; withdrawn 2026-01-10');
  });

  it('names code systems, identifier systems and extensions by the URLs configured', () => {
    const urls = fhirUrls('https://fhir.task-force.example.ng', { 'CodeSystem/purpose': 'urn:oid:1.2.3.4' });
    const [consent] = consents(given(opened, adultConsent).whenExported({ ...CONTEXT, urls }));
    expect(consent!.identifier).toEqual([{ system: 'https://fhir.task-force.example.ng/sid/consent', value: ADULT_CONSENT }]);
    expect(consent!.extension[0]!.url).toBe('https://fhir.task-force.example.ng/StructureDefinition/consent-grantor');
    expect(consent!.provision.provision![0]!.purpose![0]).toEqual({ system: 'urn:oid:1.2.3.4', code: 'service_provision' });
  });

  it('leaves best-interests determinations and referrals out', () => {
    const bundle = given(opened, adultConsent, determination).whenExported();
    expect(consents(bundle).map((c) => c.id)).toEqual([ADULT_CONSENT]);
    expect(provenances(bundle)).toHaveLength(1);
  });

  it('keeps a language the API took that is not a BCP 47 tag as a string, not a code, and a blank one not at all', () => {
    const odd: CaseEvent = { ...adultConsent, data: { ...(adultConsent.data as object), language: 'Hausa (Kano)' } } as CaseEvent;
    const [consent] = consents(given(opened, odd).whenExported());
    expect(extension(consent!, URLS['StructureDefinition/consent-language'])).toEqual({
      url: URLS['StructureDefinition/consent-language'],
      valueString: 'Hausa (Kano)',
    });
    const blank: CaseEvent = { ...adultConsent, data: { ...(adultConsent.data as object), language: ' \u00a0 ' } } as CaseEvent;
    expect(extension(consents(given(opened, blank).whenExported())[0]!, URLS['StructureDefinition/consent-language'])).toBeUndefined();
  });
});
