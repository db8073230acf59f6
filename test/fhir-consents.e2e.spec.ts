import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { FhirBundle, FhirConsent, FhirProvenance } from '../src/audit/fhir-r4.js';
import { fhirInvariantIssues } from './support/fhir-invariants.js';
import { fhirSchemaErrors } from './support/fhir-schema.js';
import { medplumIssues, resolvedAsAServerWould } from './support/medplum-validator.js';
import { APP_DRIVERS, useTestApp } from './support/test-app.js';

const PERSON = {
  identity: { fullName: 'Zainab Fhir-Export-Person', otherNames: ['Zee Exportname'], dateOfBirth: '2000-02-29' },
  contact: { phone: '+234 811 222 3344', safeToContact: false, safeContactNotes: 'only via the clinic midwife Halima' },
  location: { area: 'Fictional Camp 12, Export LGA' },
  demographics: { sex: 'female', ageBand: '25-59', nationality: 'Exportlandia' },
};
const REFERRAL_NOTE = 'Prefers a room near the exportable garden gate';
const PERSONAL_VALUES = [
  'Zainab',
  'Fhir-Export-Person',
  'Zee Exportname',
  '2000-02-29',
  '811 222 3344',
  'midwife Halima',
  'Camp 12',
  'Export LGA',
  'Exportlandia',
  'garden gate',
];

describe.each(APP_DRIVERS)("FHIR R4 export of a case's consents, over HTTP (%s)", (driver) => {
  const t = useTestApp({ driver });
  let socialId: string;
  let shelterId: string;
  let caseId: string;
  let keptConsent: string;
  let withdrawnConsent: string;
  let withdrawnProvision: string;

  const exportAs = async (username: string, id = caseId) => t.http.get(`/cases/${id}/fhir/consents`).set(await t.bearer(username));
  const auditExportAs = async (username: string, id = caseId) =>
    t.http.get(`/audit/cases/${id}/fhir/consents`).set(await t.bearer(username));
  const consentsOf = (bundle: FhirBundle) =>
    bundle.entry.map((e) => e.resource).filter((r): r is FhirConsent => r.resourceType === 'Consent');
  const provenancesOf = (bundle: FhirBundle) =>
    bundle.entry.map((e) => e.resource).filter((r): r is FhirProvenance => r.resourceType === 'Provenance');
  const withdrawalsOf = (bundle: FhirBundle) => provenancesOf(bundle).filter((p) => p.activity.coding[0]!.code === 'UPDATE');
  const problemOf = (response: Response) => {
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const { status, type, title, detail } = response.body as Record<string, unknown>;
    return { status, type, title, detail };
  };

  beforeAll(async () => {
    socialId = await t.agencyId('Social Development');
    shelterId = await t.agencyId('Shelter');
    const social = await t.bearer('caseworker.social');

    ({ caseId } = (
      await t.http
        .post('/cases')
        .set(social)
        .send({ source: 'observation', indicators: ['work.forced_to_work'], ageGroup: 'adult', person: PERSON })
        .expect(201)
    ).body);
    // Two provisions, one of them later withdrawn on its own: the consent stays active.
    const kept = (
      await t.http
        .post(`/cases/${caseId}/consents`)
        .set(social)
        .send({
          grantor: 'person',
          method: 'verbal',
          language: 'ha',
          interpreterUsed: true,
          noticeVersion: 'notice-2026-01',
          provisions: [
            {
              recipient: { agencyId: shelterId },
              purpose: 'service_provision',
              serviceTypes: ['shelter'],
              categories: ['identity', 'safety'],
            },
            {
              recipient: { agencyKind: 'legal_aid' },
              purpose: 'legal_assistance',
              categories: ['legal_status'],
              validUntil: new Date(Date.now() + 90 * 86_400_000).toISOString(),
            },
          ],
        })
        .expect(201)
    ).body;
    keptConsent = kept.consentId;
    withdrawnProvision = kept.provisionIds[1];
    // A second consent, relied on by a referral, then withdrawn as a whole (which withdraws the referral).
    withdrawnConsent = (
      await t.http
        .post(`/cases/${caseId}/consents`)
        .set(social)
        .send({
          grantor: 'person',
          method: 'written',
          language: 'en',
          interpreterUsed: false,
          noticeVersion: 'notice-2026-01',
          provisions: [{ recipient: { agencyId: shelterId }, purpose: 'case_management', categories: ['identity', 'case_progress'] }],
        })
        .expect(201)
    ).body.consentId;
    await t.http
      .post(`/cases/${caseId}/referrals`)
      .set(social)
      .send({ toAgencyId: shelterId, purpose: 'case_management', sharedCategories: ['identity'], note: REFERRAL_NOTE })
      .expect(201);
    await t.http
      .post(`/cases/${caseId}/consents/${keptConsent}/withdrawal`)
      .set(social)
      .send({ provisionIds: [withdrawnProvision] })
      .expect(200);
    const withdrawal = (await t.http.post(`/cases/${caseId}/consents/${withdrawnConsent}/withdrawal`).set(social).send({}).expect(200))
      .body;
    expect(withdrawal.withdrawnReferrals).toHaveLength(1);
  });

  // The set-up and every export handle the person's data: none of it may reach the logs.
  afterEach(() => {
    const logs = t.logs.lines.join('\n');
    for (const value of PERSONAL_VALUES) expect({ value, logged: logs.includes(value) }).toEqual({ value, logged: false });
  });

  it("gives the owning agency's caseworker an R4 transaction a FHIR server loads as it is, as application/fhir+json", async () => {
    const response = await exportAs('caseworker.social');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const bundle = response.body as FhirBundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'transaction' });
    expect(fhirSchemaErrors(bundle)).toEqual([]);
    for (const { fullUrl, resource } of bundle.entry)
      expect({ fullUrl, errors: fhirSchemaErrors(resource) }).toEqual({ fullUrl, errors: [] });
    // The official R4 invariants: no error, and no warning (dom-6: every resource has its narrative).
    expect(fhirInvariantIssues(bundle as unknown as Record<string, unknown>)).toEqual([]);
    // And a second validator, the one a Medplum FHIR server runs on each resource of a transaction
    // once its urn:uuid references are resolved.
    for (const resource of resolvedAsAServerWould(bundle))
      expect({ resource, issues: medplumIssues(resource) }).toMatchObject({ issues: [] });
    expect(bundle.entry.map((e) => e.resource.resourceType)).toEqual([
      'Organization',
      'Organization',
      'Consent',
      'Provenance',
      'Provenance',
      'Consent',
      'Provenance',
      'Provenance',
    ]);
    // The agencies referenced are in the Bundle, so every reference resolves in it.
    const organizations = bundle.entry.filter((e) => e.resource.resourceType === 'Organization');
    expect(organizations.map((e) => e.fullUrl).sort()).toEqual([`urn:uuid:${socialId}`, `urn:uuid:${shelterId}`].sort());
    const urls = new Set(bundle.entry.map((e) => e.fullUrl));
    for (const reference of response.text.match(/"reference":"[^"]*"/g)!.map((r) => r.slice(13, -1)))
      expect({ reference, resolves: urls.has(reference) }).toEqual({ reference, resolves: true });
  });

  it("is checked by a validator that does fail: Medplum's refuses the exported Consent without its policy (ppc-1) or with an unknown element", async () => {
    const bundle = (await exportAs('caseworker.social')).body as FhirBundle;
    const consent = resolvedAsAServerWould(bundle).find((r) => (r as { resourceType: string }).resourceType === 'Consent')!;
    const { policy, policyRule, ...withoutPolicy } = consent as Record<string, unknown>;
    expect([policy, policyRule]).toEqual([expect.any(Array), expect.any(Object)]);
    expect(medplumIssues(withoutPolicy)).toEqual([expect.stringMatching(/^error invariant .*ppc-1/)]);
    expect(medplumIssues({ ...consent, sharedWith: 'everyone' })).toEqual([expect.stringMatching(/^error structure .*sharedWith/)]);
  });

  it('links the signed receipt of each consent as given, the same JWS the receipt route gives', async () => {
    const bundle = (await exportAs('caseworker.social')).body as FhirBundle;
    const kept = consentsOf(bundle).find((c) => c.id === keptConsent)!;
    const { jws } = (
      await t.http
        .get(`/cases/${caseId}/consents/${keptConsent}/receipt`)
        .set(await t.bearer('caseworker.social'))
        .expect(200)
    ).body as { jws: string };
    expect(kept.sourceAttachment!.contentType).toBe('application/jose');
    expect(Buffer.from(kept.sourceAttachment!.data, 'base64').toString()).toBe(jws);
  });

  it('shows the consent withdrawn as a whole as inactive, with a Provenance of the withdrawal', async () => {
    const bundle = (await exportAs('caseworker.social')).body as FhirBundle;
    const withdrawn = consentsOf(bundle).find((c) => c.id === withdrawnConsent)!;
    expect(withdrawn).toMatchObject({ status: 'inactive', organization: [{ reference: `urn:uuid:${socialId}` }] });
    const provenance = withdrawalsOf(bundle).find((p) => p.target[0]!.reference === `urn:uuid:${withdrawnConsent}`)!;
    expect(provenance).toMatchObject({
      activity: { coding: expect.arrayContaining([expect.objectContaining({ code: 'withdrawal' })]) },
      agent: [{ who: { identifier: { value: expect.any(String) } }, onBehalfOf: { reference: `urn:uuid:${socialId}` } }],
    });
    expect(Date.parse(provenance.recorded)).not.toBeNaN();
  });

  it('keeps the partly withdrawn consent active, the withdrawn permit ending at the withdrawal with the agreed period beside it, with its own Provenance', async () => {
    const bundle = (await exportAs('supervisor.social')).body as FhirBundle;
    const kept = consentsOf(bundle).find((c) => c.id === keptConsent)!;
    expect(kept.status).toBe('active');
    expect(
      kept.provision.provision!.map((p) => [
        p.type,
        p.actor![0]!.reference.reference ?? p.actor![0]!.reference.display,
        p.extension?.map((e) => e.valuePeriod),
      ]),
    ).toEqual([
      ['permit', `urn:uuid:${shelterId}`, undefined],
      ['permit', 'any agency of kind legal_aid', [expect.objectContaining({ start: expect.any(String) })]],
    ]);
    const withdrawn = kept.provision.provision![1]!;
    const provenance = withdrawalsOf(bundle).find((p) => p.target[0]!.reference === `urn:uuid:${keptConsent}`)!;
    expect(withdrawn.period!.end).toBe(provenance.occurredDateTime);
    expect(provenance.activity.coding.map((c) => c.code)).toContain('partial-withdrawal');
    expect(provenance.extension).toEqual([expect.objectContaining({ valueString: withdrawnProvision })]);
  });

  it("carries none of the case's personal values, and names the person only by the case id", async () => {
    for (const text of [(await exportAs('caseworker.social')).text, (await auditExportAs('auditor.justice')).text]) {
      for (const value of PERSONAL_VALUES) expect({ value, found: text.includes(value) }).toEqual({ value, found: false });
    }
    const [consent] = consentsOf((await exportAs('caseworker.social')).body as FhirBundle);
    expect(consent!.patient).toEqual({
      type: 'Patient',
      identifier: { system: 'https://referrals.example.org/fhir/sid/case', value: caseId },
    });
  });

  it('gives an auditor of another agency the same resources under /audit, for any case', async () => {
    const audited = await auditExportAs('auditor.justice');
    expect(audited.status).toBe(200);
    expect(audited.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(fhirSchemaErrors(audited.body)).toEqual([]);
    const owners = (await exportAs('caseworker.social')).body as FhirBundle;
    expect((audited.body as FhirBundle).entry).toEqual(owners.entry);
    expect(problemOf(await auditExportAs('auditor.justice', randomUUID())).status).toBe(404);
  });

  it('tells any other agency, the one the case was referred to included, nothing: 404 exactly as for a case that does not exist', async () => {
    for (const username of ['caseworker.legal', 'caseworker.shelter']) {
      const other = await exportAs(username);
      expect(other.status).toBe(404);
      expect(problemOf(other)).toEqual(problemOf(await exportAs(username, randomUUID())));
    }
  });

  it('refuses roles without the action', async () => {
    expect(problemOf(await exportAs('frontline.social')).status).toBe(403);
    expect(problemOf(await exportAs('auditor.justice')).status).toBe(403);
    expect(problemOf(await auditExportAs('caseworker.social')).status).toBe(403);
  });
});
