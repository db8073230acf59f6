/** The FHIR resources of one case's consent export (Consent, Provenance, Organization), mapped from its consent trail. */
import { createHash } from 'node:crypto';
import type { ConsentProvision, ConsentRecipient, Purpose, ServiceType } from '../../libs/consent-policy/index.js';
import type { ConsentGiven, ConsentWithdrawn } from '../../libs/domain/index.js';
import type {
  BundleEntry,
  Coding,
  Extension,
  FhirConsent,
  FhirConsentProvision,
  FhirOrganization,
  FhirProvenance,
  Reference,
} from './fhir-r4.js';
import type { FhirUrls } from './fhir-urls.js';
import { agencyUrn, day, derivedUuid, instant, languageExtension, narrative, plain } from './fhir-values.js';

/** What the export needs beyond the trail: the URLs, directory names and the signed receipts. */
export interface ExportContext {
  readonly urls: FhirUrls;
  /** Directory names of agencies by id (an agency missing here is named by its id alone). */
  readonly agencyNames: ReadonlyMap<string, string>;
  /** The compact JWS of each consent's receipt as given, by consent id. */
  readonly receipts: ReadonlyMap<string, string>;
}

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

export type GivenDetails = Pick<
  ConsentGiven['data'],
  'consentId' | 'grantor' | 'childAssent' | 'method' | 'language' | 'interpreterUsed' | 'noticeVersion' | 'givenAt'
> & {
  provisions: readonly ConsentProvision[];
};
export type WithdrawnDetails = Pick<ConsentWithdrawn['data'], 'consentId' | 'provisionIds' | 'whole' | 'withdrawnAt'>;
export interface Withdrawal {
  entry: ConsentTrailEntry;
  details: WithdrawnDetails;
}

/**
 * v3 PurposeOfUse beside this network's purpose, only where the v3 code is no broader: a consumer
 * reads a permit as covering any purpose it lists, so a broader code would widen the consent (HLEGAL
 * would let a legal-assistance consent cover a prosecution, COC a phone consent cover any channel).
 */
/**
 * The end of a withdrawn permit: the withdrawal, or the agreed end if that came first, and never
 * before the start (a permit withdrawn before it began permits nothing, yet keeps start <= end, per-1).
 */
function permitEnd(validFrom: string, validUntil: string | undefined, withdrawnAt: string): string {
  const times = [Date.parse(withdrawnAt), ...(validUntil ? [Date.parse(validUntil)] : [])];
  return new Date(Math.max(Date.parse(validFrom), Math.min(...times))).toISOString();
}

const V3_PURPOSE = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const HEALTH_SERVICES: readonly ServiceType[] = ['medical', 'mhpss'];
function v3Purpose(purpose: Purpose, serviceTypes: readonly ServiceType[]): Coding[] {
  if (purpose === 'case_management') return [{ system: V3_PURPOSE, code: 'COC', display: 'coordination of care' }];
  if (purpose === 'service_provision' && serviceTypes.length > 0 && serviceTypes.every((s) => HEALTH_SERVICES.includes(s)))
    return [{ system: V3_PURPOSE, code: 'TREAT', display: 'treatment' }];
  return [];
}

export class Exporter {
  private readonly agencies = new Set<string>();

  constructor(
    private readonly caseId: string,
    private readonly context: ExportContext,
  ) {}

  private get urls() {
    return this.context.urls;
  }

  put(resource: FhirConsent | FhirProvenance): BundleEntry {
    return { fullUrl: `urn:uuid:${resource.id}`, resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } };
  }

  /** The agencies referenced so far, each created only if the server has none with its identifier. */
  organizations(): BundleEntry[] {
    return [...this.agencies].sort().map((id) => {
      const system = this.urls['sid/agency'];
      // A name the directory took may hold nothing a FHIR string allows: then the identifier alone.
      const name = plain(this.context.agencyNames.get(id) ?? '');
      const resource: FhirOrganization = {
        resourceType: 'Organization',
        text: narrative([`Member agency ${name || id} of the referral network.`]),
        identifier: [{ system, value: id }],
        ...(name ? { name } : {}),
      };
      return {
        fullUrl: agencyUrn(id),
        resource,
        request: { method: 'POST', url: 'Organization', ifNoneExist: `identifier=${encodeURIComponent(system)}|${encodeURIComponent(id)}` },
      };
    });
  }

  consent(given: GivenDetails, withdrawals: readonly Withdrawal[], owner: string | undefined, erased: boolean): FhirConsent {
    const urls = this.urls;
    const withdrawnAt = new Map(withdrawals.flatMap(({ details }) => details.provisionIds.map((id) => [id, details.withdrawnAt] as const)));
    const withdrawn = withdrawals.some(({ details }) => details.whole) || given.provisions.every((p) => withdrawnAt.has(p.provisionId));
    // Once the case is erased nothing is shared under any of its consents any more.
    const status = withdrawn || erased ? 'inactive' : 'active';
    const patient = this.patient();
    const receipt = this.context.receipts.get(given.consentId);
    const provisions = given.provisions.map((p) => this.provision(p, withdrawnAt.get(p.provisionId)));
    return {
      resourceType: 'Consent',
      id: given.consentId,
      text: narrative([
        `Consent ${status === 'active' ? 'in force' : 'no longer in force'}, given ${day(given.givenAt)} by ${given.grantor === 'person' ? 'the person' : 'a guardian'}` +
          (given.childAssent === undefined ? '' : given.childAssent ? ", with the child's assent" : ", without the child's assent") +
          ` (${given.method}, language ${given.language}${given.interpreterUsed ? ', through an interpreter' : ''}), under notice ${given.noticeVersion}.`,
        given.provisions.map((p) => this.provisionText(p, withdrawnAt.get(p.provisionId))),
        erased ? 'The case has been erased.' : '',
      ]),
      extension: [
        {
          url: urls['StructureDefinition/consent-grantor'],
          valueCoding: { system: urls['CodeSystem/consent-grantor'], code: given.grantor },
        },
        ...(given.childAssent !== undefined
          ? [{ url: urls['StructureDefinition/consent-child-assent'], valueBoolean: given.childAssent }]
          : []),
        { url: urls['StructureDefinition/consent-method'], valueCoding: { system: urls['CodeSystem/consent-method'], code: given.method } },
        ...languageExtension(urls['StructureDefinition/consent-language'], given.language),
        { url: urls['StructureDefinition/consent-interpreter-used'], valueBoolean: given.interpreterUsed },
      ],
      identifier: [{ system: urls['sid/consent'], value: given.consentId }],
      status,
      scope: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy', display: 'Privacy Consent' }],
      },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient,
      dateTime: instant(given.givenAt),
      // R4: the performer is the grantor. A guardian is named only by that role.
      performer: [given.grantor === 'person' ? patient : { type: 'RelatedPerson', display: 'guardian' }],
      ...(owner ? { organization: [this.organization(owner)] } : {}),
      ...(receipt
        ? {
            sourceAttachment: {
              contentType: 'application/jose',
              data: Buffer.from(receipt).toString('base64'),
              hash: createHash('sha1').update(receipt).digest('base64'),
              title: 'Signed consent receipt (Kantara Consent Receipt v1.1.0, compact JWS; key at /.well-known/jwks.json)',
              creation: instant(given.givenAt),
            },
          }
        : {}),
      policy: [{ uri: `${urls['consent-notices']}/${encodeURIComponent(given.noticeVersion)}` }],
      // Deny by default, permit what was agreed: opt-in.
      policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN', display: 'opt-in' }] },
      provision: { type: 'deny', provision: provisions },
    };
  }

  private provision(provision: ConsentProvision, withdrawnAt: string | undefined): FhirConsentProvision {
    const urls = this.urls;
    const { provisionId, recipient, purpose, serviceTypes, categories, validFrom, validUntil } = provision;
    const agreed = { start: instant(validFrom), ...(validUntil ? { end: instant(validUntil) } : {}) };
    return {
      id: provisionId,
      // Withdrawn: the permit ends at the withdrawal, so that a reader of this provision alone shares
      // nothing after it; what the person had agreed stays readable beside it.
      ...(withdrawnAt !== undefined ? { extension: [{ url: urls['StructureDefinition/agreed-period'], valuePeriod: agreed }] } : {}),
      ...(serviceTypes.length > 0
        ? {
            modifierExtension: serviceTypes.map((code) => ({
              url: urls['StructureDefinition/provision-service-type'],
              valueCoding: { system: urls['CodeSystem/service-type'], code },
            })),
          }
        : {}),
      type: 'permit',
      period: withdrawnAt === undefined ? agreed : { start: agreed.start, end: permitEnd(validFrom, validUntil, withdrawnAt) },
      actor: [
        {
          role: {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' },
            ],
          },
          reference: this.recipient(recipient),
        },
      ],
      purpose: [{ system: urls['CodeSystem/purpose'], code: purpose }, ...v3Purpose(purpose, serviceTypes)],
      class: categories.map((code) => ({ system: urls['CodeSystem/data-category'], code })),
    };
  }

  private provisionText(provision: ConsentProvision, withdrawnAt: string | undefined): string {
    const { recipient, purpose, serviceTypes, categories, validFrom, validUntil } = provision;
    const to =
      'agencyId' in recipient
        ? (this.context.agencyNames.get(recipient.agencyId) ?? recipient.agencyId)
        : `any ${recipient.agencyKind} agency`;
    return (
      `Permits sharing ${categories.join(', ')} with ${to} for ${purpose}${serviceTypes.length ? ` (${serviceTypes.join(', ')})` : ''}` +
      ` from ${day(validFrom)}${validUntil ? ` until ${day(validUntil)}` : ''}${withdrawnAt ? `; withdrawn ${day(withdrawnAt)}` : ''}.`
    );
  }

  grant(given: GivenDetails, { revision, actorUserId, actorAgencyId }: ConsentTrailEntry): FhirProvenance {
    return this.provenance(given.consentId, `grant:${revision}`, given.givenAt, actorUserId, actorAgencyId, {
      text: `Consent given ${day(given.givenAt)}, recorded by user ${actorUserId}.`,
      activity: [
        { system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'CREATE', display: 'create' },
        { system: this.urls['CodeSystem/consent-activity'], code: 'grant' },
      ],
      reason: 'consent-given',
      extension: [],
    });
  }

  withdrawal(consentId: string, { entry, details }: Withdrawal): FhirProvenance {
    return this.provenance(consentId, `withdrawal:${entry.revision}`, details.withdrawnAt, entry.actorUserId, entry.actorAgencyId, {
      text: `Consent ${details.whole ? 'withdrawn as a whole' : `withdrawn for provision ${details.provisionIds.join(', ')}`} ${day(details.withdrawnAt)}, recorded by user ${entry.actorUserId}.`,
      activity: [
        { system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'UPDATE', display: 'revise' },
        { system: this.urls['CodeSystem/consent-activity'], code: details.whole ? 'withdrawal' : 'partial-withdrawal' },
      ],
      // The service records no reason beyond the withdrawal itself: nothing more is claimed.
      reason: 'consent-withdrawn',
      extension: details.provisionIds.map((id) => ({ url: this.urls['StructureDefinition/withdrawn-provision'], valueString: id })),
    });
  }

  private provenance(
    consentId: string,
    what: string,
    at: string,
    userId: string,
    agencyId: string,
    { text, activity, reason, extension }: { text: string; activity: Coding[]; reason: string; extension: Extension[] },
  ): FhirProvenance {
    return {
      resourceType: 'Provenance',
      id: derivedUuid(`${consentId}:${what}`),
      text: narrative([text]),
      ...(extension.length ? { extension } : {}),
      target: [{ reference: `urn:uuid:${consentId}`, type: 'Consent' }],
      occurredDateTime: instant(at),
      recorded: instant(at),
      activity: { coding: activity },
      reason: [{ coding: [{ system: this.urls['CodeSystem/consent-activity'], code: reason }] }],
      agent: [
        {
          type: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'enterer', display: 'Enterer' }],
          },
          // The staff account that recorded it, by id only.
          who: { type: 'Practitioner', identifier: { system: this.urls['sid/user'], value: userId } },
          ...(agencyId ? { onBehalfOf: this.organization(agencyId) } : {}),
        },
      ],
    };
  }

  private patient(): Reference {
    // Pseudonymous: the case id of this service, never a name or any other personal value.
    return { type: 'Patient', identifier: { system: this.urls['sid/case'], value: this.caseId } };
  }

  private organization(agencyId: string): Reference {
    this.agencies.add(agencyId);
    return { reference: agencyUrn(agencyId), type: 'Organization' };
  }

  /** A named agency by reference; a kind of agency has no resource, so it is a display and a coded extension. */
  private recipient(recipient: ConsentRecipient): Reference {
    if ('agencyId' in recipient) return this.organization(recipient.agencyId);
    return {
      type: 'Organization',
      display: `any agency of kind ${recipient.agencyKind}`,
      extension: [
        {
          url: this.urls['StructureDefinition/recipient-agency-kind'],
          valueCoding: { system: this.urls['CodeSystem/agency-kind'], code: recipient.agencyKind },
        },
      ],
    };
  }
}
