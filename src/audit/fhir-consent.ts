import { createHash } from 'node:crypto';
import type { ConsentProvision, ConsentRecipient } from '../../libs/consent-policy/index.js';
import type { ConsentGiven, ConsentWithdrawn } from '../../libs/domain/index.js';
import type { Extension, Reference, FhirConsentProvision, FhirConsent, FhirProvenance, FhirBundle } from './fhir-r4.js';

/**
 * A case's consents as HL7 FHIR R4 resources, mapped from the auditor's consent trail (pure: no
 * Nest, no I/O). The trail is built from an allow-list of non-personal fields, so the export holds
 * no personal data by construction; the person appears only as the case id of this service.
 *
 * Mapping choices:
 * - One `Consent` per ConsentGiven: scope patient-privacy, category LOINC 59284-0, the owning agency
 *   as `organization`, the grantor as `performer`; grantor, child assent, method, language and
 *   interpreter in extensions of this service; the notice version as `policy.uri`.
 * - `provision` is a base `deny` with one nested `permit` per provision (recipient as IRCP actor,
 *   purpose, data categories as `class`, validity as `period`). Service types narrow a permit, so
 *   they are a modifierExtension: a consumer that does not understand them must not read the
 *   permit as broader than it is.
 * - Withdrawal: a withdrawn provision becomes a `deny` from its withdrawal on (kept rather than
 *   removed, so the export shows what is no longer permitted). A consent withdrawn as a whole, or
 *   with every provision withdrawn, is `inactive`; otherwise it stays `active`. Each withdrawal
 *   event is one `Provenance` targeting the Consent.
 * - Best-interests determinations are left out: they are a decision made for a child without the
 *   person's consent, and exporting them as `Consent` would present them as consent to a consumer.
 */

/** Namespace of this service's identifier systems, code systems and extensions (not a registered domain yet: change it here). */
export const FHIR_NAMESPACE = 'https://referrals.example.org/fhir';
export const FHIR_JSON = 'application/fhir+json';

const SID = {
  case: `${FHIR_NAMESPACE}/sid/case`,
  consent: `${FHIR_NAMESPACE}/sid/consent`,
  user: `${FHIR_NAMESPACE}/sid/user`,
} as const;
const CODE_SYSTEM = {
  purpose: `${FHIR_NAMESPACE}/CodeSystem/purpose`,
  serviceType: `${FHIR_NAMESPACE}/CodeSystem/service-type`,
  dataCategory: `${FHIR_NAMESPACE}/CodeSystem/data-category`,
  agencyKind: `${FHIR_NAMESPACE}/CodeSystem/agency-kind`,
  grantor: `${FHIR_NAMESPACE}/CodeSystem/consent-grantor`,
  method: `${FHIR_NAMESPACE}/CodeSystem/consent-method`,
  activity: `${FHIR_NAMESPACE}/CodeSystem/consent-activity`,
} as const;
export const FHIR_EXTENSION = {
  grantor: `${FHIR_NAMESPACE}/StructureDefinition/consent-grantor`,
  childAssent: `${FHIR_NAMESPACE}/StructureDefinition/consent-child-assent`,
  method: `${FHIR_NAMESPACE}/StructureDefinition/consent-method`,
  language: `${FHIR_NAMESPACE}/StructureDefinition/consent-language`,
  interpreterUsed: `${FHIR_NAMESPACE}/StructureDefinition/consent-interpreter-used`,
  serviceType: `${FHIR_NAMESPACE}/StructureDefinition/provision-service-type`,
  recipientAgencyKind: `${FHIR_NAMESPACE}/StructureDefinition/recipient-agency-kind`,
  withdrawnProvision: `${FHIR_NAMESPACE}/StructureDefinition/withdrawn-provision`,
} as const;
const NOTICES = `${FHIR_NAMESPACE}/consent-notices`;

// --- the input: the consent trail as GET /audit/cases/:id/consent-trail returns it ---

export interface ConsentTrailEntry {
  readonly revision: number;
  readonly type: string;
  readonly occurredAt: string;
  readonly actorUserId: string;
  readonly actorAgencyId: string;
  /** As trailDetails (consent-trail.projection.ts) wrote it for `type`. */
  readonly details: unknown;
}

type GivenDetails = Pick<
  ConsentGiven['data'],
  'consentId' | 'grantor' | 'childAssent' | 'method' | 'language' | 'interpreterUsed' | 'noticeVersion' | 'givenAt'
> & {
  provisions: readonly ConsentProvision[];
};
type WithdrawnDetails = Pick<ConsentWithdrawn['data'], 'consentId' | 'provisionIds' | 'whole' | 'withdrawnAt'>;
interface Withdrawal {
  entry: ConsentTrailEntry;
  details: WithdrawnDetails;
}

/** The case's consents (and their withdrawals) as a FHIR R4 Bundle of type `collection`, stamped `timestamp`. */
export function consentBundle(caseId: string, trail: readonly ConsentTrailEntry[], timestamp: string): FhirBundle {
  const ordered = [...trail].sort((a, b) => a.revision - b.revision);
  const erased = ordered.some((e) => e.type === 'CaseErased');
  const opened = ordered.find((e) => e.type === 'CaseOpened')?.details as { owningAgencyId?: string } | undefined;
  const withdrawals = new Map<string, Withdrawal[]>();
  for (const entry of ordered) {
    if (entry.type !== 'ConsentWithdrawn') continue;
    const details = entry.details as WithdrawnDetails;
    withdrawals.set(details.consentId, [...(withdrawals.get(details.consentId) ?? []), { entry, details }]);
  }
  const entry = ordered
    .filter((e) => e.type === 'ConsentGiven')
    .flatMap(({ details }) => {
      const given = details as GivenDetails;
      const ofConsent = withdrawals.get(given.consentId) ?? [];
      const consent = toConsent(caseId, given, ofConsent, opened?.owningAgencyId);
      // Once the case is erased nothing is shared under any of its consents any more.
      return [erased ? { ...consent, status: 'inactive' as const } : consent, ...ofConsent.map((w) => toProvenance(given.consentId, w))];
    })
    .map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource }));
  return { resourceType: 'Bundle', type: 'collection', timestamp: instant(timestamp), entry };
}

function toConsent(
  caseId: string,
  given: GivenDetails,
  withdrawals: readonly Withdrawal[],
  owningAgencyId: string | undefined,
): FhirConsent {
  const withdrawnAt = new Map(withdrawals.flatMap(({ details }) => details.provisionIds.map((id) => [id, details.withdrawnAt] as const)));
  const inactive = withdrawals.some(({ details }) => details.whole) || given.provisions.every((p) => withdrawnAt.has(p.provisionId));
  // Pseudonymous: the case id of this service, never a name or any other personal value.
  const patient: Reference = { type: 'Patient', identifier: { system: SID.case, value: caseId } };
  return {
    resourceType: 'Consent',
    id: given.consentId,
    extension: [
      { url: FHIR_EXTENSION.grantor, valueCoding: { system: CODE_SYSTEM.grantor, code: given.grantor } },
      ...(given.childAssent !== undefined ? [{ url: FHIR_EXTENSION.childAssent, valueBoolean: given.childAssent }] : []),
      { url: FHIR_EXTENSION.method, valueCoding: { system: CODE_SYSTEM.method, code: given.method } },
      ...languageExtension(given.language),
      { url: FHIR_EXTENSION.interpreterUsed, valueBoolean: given.interpreterUsed },
    ],
    identifier: [{ system: SID.consent, value: given.consentId }],
    status: inactive ? 'inactive' : 'active',
    scope: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy', display: 'Privacy Consent' }],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient,
    dateTime: instant(given.givenAt),
    // R4: the performer is the grantor. A guardian is named only by that role.
    performer: [given.grantor === 'person' ? patient : { type: 'RelatedPerson', display: 'guardian' }],
    ...(owningAgencyId ? { organization: [organization(owningAgencyId)] } : {}),
    policy: [{ uri: `${NOTICES}/${encodeURIComponent(given.noticeVersion)}` }],
    // Deny by default, permit what was agreed: opt-in.
    policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN', display: 'opt-in' }] },
    provision: { type: 'deny', provision: given.provisions.map((p) => toProvision(p, withdrawnAt.get(p.provisionId))) },
  };
}

function toProvision(provision: ConsentProvision, withdrawnAt: string | undefined): FhirConsentProvision {
  const { provisionId, recipient, purpose, serviceTypes, categories, validFrom, validUntil } = provision;
  return {
    id: provisionId,
    ...(serviceTypes.length > 0
      ? {
          modifierExtension: serviceTypes.map((code) => ({
            url: FHIR_EXTENSION.serviceType,
            valueCoding: { system: CODE_SYSTEM.serviceType, code },
          })),
        }
      : {}),
    ...(withdrawnAt === undefined
      ? { type: 'permit' as const, period: { start: instant(validFrom), ...(validUntil ? { end: instant(validUntil) } : {}) } }
      : { type: 'deny' as const, period: { start: instant(withdrawnAt) } }),
    actor: [
      {
        role: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' },
          ],
        },
        reference: recipientReference(recipient),
      },
    ],
    purpose: [{ system: CODE_SYSTEM.purpose, code: purpose }],
    class: categories.map((code) => ({ system: CODE_SYSTEM.dataCategory, code })),
  };
}

function toProvenance(consentId: string, { entry, details }: Withdrawal): FhirProvenance {
  const at = instant(details.withdrawnAt);
  return {
    resourceType: 'Provenance',
    id: derivedUuid(`${consentId}:withdrawal:${entry.revision}`),
    extension: details.provisionIds.map((id) => ({ url: FHIR_EXTENSION.withdrawnProvision, valueString: id })),
    target: [{ reference: `urn:uuid:${consentId}`, type: 'Consent' }],
    occurredDateTime: at,
    recorded: at,
    activity: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'UPDATE', display: 'revise' },
        { system: CODE_SYSTEM.activity, code: details.whole ? 'withdrawal' : 'partial-withdrawal' },
      ],
    },
    // The service records no reason beyond the withdrawal itself: nothing more is claimed.
    reason: [{ coding: [{ system: CODE_SYSTEM.activity, code: 'consent-withdrawn' }] }],
    agent: [
      {
        type: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'enterer', display: 'Enterer' }],
        },
        // The staff account that recorded it, by id only.
        who: { type: 'Practitioner', identifier: { system: SID.user, value: entry.actorUserId } },
        ...(entry.actorAgencyId ? { onBehalfOf: organization(entry.actorAgencyId) } : {}),
      },
    ],
  };
}

const organization = (agencyId: string): Reference => ({ reference: `Organization/${agencyId}`, type: 'Organization' });

/** A named agency by reference; a kind of agency has no resource, so it is a display and a coded extension. */
function recipientReference(recipient: ConsentRecipient): Reference {
  if ('agencyId' in recipient) return organization(recipient.agencyId);
  return {
    type: 'Organization',
    display: `any agency of kind ${recipient.agencyKind}`,
    extension: [{ url: FHIR_EXTENSION.recipientAgencyKind, valueCoding: { system: CODE_SYSTEM.agencyKind, code: recipient.agencyKind } }],
  };
}

/**
 * The API takes any short string as the language: a BCP 47-shaped one is a FHIR `code`, anything
 * else a `string` with its whitespace made plain (FHIR strings allow no other), nothing if blank.
 */
function languageExtension(language: string): Extension[] {
  if (/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(language)) return [{ url: FHIR_EXTENSION.language, valueCode: language }];
  const plain = language.replace(/\s+/g, ' ').trim();
  return plain ? [{ url: FHIR_EXTENSION.language, valueString: plain }] : [];
}

/** FHIR instants need seconds and a zone; normalises whatever ISO 8601 the trail holds. */
const instant = (iso: string) => new Date(iso).toISOString();

/** A stable id for a resource this service has no id of (a Provenance), so an export is reproducible. */
function derivedUuid(name: string): string {
  const hex = createHash('sha256').update(`${FHIR_NAMESPACE}:${name}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
