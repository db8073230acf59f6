import { AGENCY_KINDS, DATA_CATEGORIES, PURPOSES, SERVICE_TYPES } from '../../libs/consent-policy/index.js';
import { IDENTIFICATION_OUTCOMES, URGENCIES } from '../../libs/domain/index.js';
import { type SchemaObject, instant, list, oneOf, page, personalData, record, text } from '../platform/api-responses.js';

/** The response bodies of the case routes, for the OpenAPI document (and so the web application's typed client). */

const REFERRAL_STATUSES = ['requested', 'acknowledged', 'accepted', 'declined', 'completed', 'withdrawn'] as const;
const category = oneOf(DATA_CATEGORIES);
const caseStatus = oneOf(['open', 'paused', 'closed']);

export const CASE_LIST = page(
  record(
    {
      caseId: text({ format: 'uuid' }),
      relation: oneOf(['owner', 'recipient']),
      status: caseStatus,
      ageGroup: text(),
      openedAt: instant,
      updatedAt: instant,
      openReferrals: { type: 'integer' },
      referrals: list(record({ referralId: text({ format: 'uuid' }), status: oneOf(REFERRAL_STATUSES) })),
    },
    ['caseId', 'relation', 'updatedAt'],
  ),
);

/** A referral as the owner reads it; a recipient reads the subset it is told (recipientView). */
const referral = record(
  {
    referralId: text({ format: 'uuid' }),
    fromAgencyId: text({ format: 'uuid' }),
    toAgencyId: text({ format: 'uuid' }),
    purpose: oneOf(PURPOSES),
    serviceType: oneOf(SERVICE_TYPES),
    urgency: oneOf(URGENCIES),
    sharedCategories: list(category),
    status: oneOf(REFERRAL_STATUSES),
    requestedAt: instant,
    respondBy: instant,
    withdrawalCause: text(),
    declineReason: text(),
    note: text(),
    onHold: { type: 'boolean' },
    identification: {
      ...oneOf(IDENTIFICATION_OUTCOMES),
      description: 'What the in-depth interview found, as the agency that conducted it recorded it',
    },
  },
  ['referralId', 'purpose', 'urgency', 'sharedCategories', 'status', 'requestedAt', 'respondBy'],
);

/** What a consent provision or a determination's scope entry allows (DisclosureGrant). */
const grant = {
  recipient: record({ agencyId: text({ format: 'uuid' }), agencyKind: text() }, []),
  purpose: oneOf(PURPOSES),
  serviceTypes: list(oneOf(SERVICE_TYPES)),
  categories: list(category),
  validFrom: instant,
  validUntil: instant,
};
const GRANT_REQUIRED = ['recipient', 'purpose', 'serviceTypes', 'categories', 'validFrom'];

const provision = record(
  {
    provisionId: text({ format: 'uuid' }),
    ...grant,
    withdrawnAt: instant,
    status: oneOf(['live', 'withdrawn', 'expired', 'not_yet_valid']),
  },
  ['provisionId', ...GRANT_REQUIRED],
);

/** A best-interests determination: in the owner's view with its reasons; a recipient's view never carries them. */
const determination = record(
  {
    determinationId: text({ format: 'uuid' }),
    scope: list(record(grant, GRANT_REQUIRED)),
    reasons: text({ description: "Sealed personal data: the owner's view only" }),
    decidedBy: text(),
    proposedAt: instant,
    status: oneOf(['proposed', 'approved', 'rejected']),
    reviewedBy: text(),
    reviewedAt: instant,
  },
  ['determinationId', 'scope', 'decidedBy', 'proposedAt', 'status'],
);

const consent = record(
  {
    consentId: text({ format: 'uuid' }),
    grantor: text(),
    childAssent: { type: 'boolean' },
    method: text(),
    language: text(),
    interpreterUsed: { type: 'boolean' },
    noticeVersion: text(),
    recordedBy: text(),
    givenAt: instant,
    provisions: list(provision),
  },
  ['consentId', 'grantor', 'provisions'],
);

const pathStep = record({ at: instant, by: text(), outcome: text() }, ['at']);

/** GET /cases/:id: the owner's whole case, or a receiving agency's consent-limited view (with `withdrawn` stubs). */
export const CASE_VIEW = record(
  {
    caseId: text({ format: 'uuid' }),
    revision: { type: 'integer', description: "The owner's view only: the revision for If-Match" },
    status: caseStatus,
    owningAgencyId: text({ format: 'uuid' }),
    openedAt: instant,
    source: text(),
    indicators: list(text()),
    ageGroup: text(),
    personalData,
    consents: list(consent),
    referrals: list(referral),
    path: record({ screening: pathStep, identification: pathStep, intake: pathStep, casePlan: pathStep, safetyAssessment: pathStep }, []),
    timeline: list(record({ type: text(), at: instant, by: text(), reason: text(), note: text() }, ['type', 'at', 'by'])),
    safetyFlags: list(text()),
    determinations: list(determination),
    erasureRequest: {
      ...record({ requestId: text({ format: 'uuid' }), requestedBy: text(), requestedAt: instant }),
      description:
        "The owner's view only: the last erasure asked for; it waits for approval until the case is erased (its reason is in the timeline)",
    },
    withdrawn: {
      ...list(
        record({
          category,
          since: instant,
          reason: oneOf(['withdrawn', 'expired', 'referral_withdrawn', 'referral_declined']),
        }),
      ),
      description: "A receiving agency's view only: categories it saw before and may no longer see, and why",
    },
    erased: { type: 'boolean' },
    updatedAt: instant,
  },
  ['caseId', 'personalData', 'referrals'],
);

/** What a write on a case answers: the case's new revision and what the route adds (ids it made, referrals it withdrew). */
export const CASE_WRITTEN: SchemaObject = {
  ...record(
    {
      caseId: text({ format: 'uuid' }),
      revision: { type: 'integer' },
      consentId: text({ format: 'uuid' }),
      provisionIds: list(text({ format: 'uuid' })),
      referralId: text({ format: 'uuid' }),
      status: text(),
      withdrawnReferrals: list(text({ format: 'uuid' })),
    },
    ['revision'],
  ),
  additionalProperties: true,
};

export const WITHDRAWAL_PREVIEW = record({ withdrawnReferrals: list(text({ format: 'uuid' })) });

/** GET /referrals: the agency's referrals without personal data; `fromAgencyId` on incoming ones, `toAgencyId` on outgoing. */
export const REFERRAL_LIST = page({
  ...referral,
  properties: { ...referral.properties, caseId: text({ format: 'uuid' }), updatedAt: instant },
  required: [...(referral.required ?? []), 'caseId', 'updatedAt'],
});

const capacity = record({ total: { type: 'integer' }, available: { type: 'integer' } });
const constant = (value: string): SchemaObject => ({ type: 'string', enum: [value] });
const serviceType = oneOf(SERVICE_TYPES);

/** `unavailableReason` in codes (UnavailableFacts in libs/domain), for a screen to word in its own language. */
const unavailable: SchemaObject = {
  description: 'Why the agency cannot take the referral now, in codes: `unavailableReason` says the same in English',
  oneOf: [
    record({ kind: constant('agency_inactive') }),
    record(
      {
        kind: constant('not_offered'),
        serviceType,
        where: { ...oneOf(['service', 'area']), description: 'What narrowed the search, when the referrer named it' },
      },
      ['kind', 'serviceType'],
    ),
    record({ kind: constant('closed'), serviceType, status: oneOf(['inactive', 'defunct', 'temporarily closed']) }),
    record({ kind: constant('full'), serviceType, capacity }, ['kind', 'serviceType']),
  ],
};

/** One eligibility gap in codes (EligibilityGap in libs/domain): the rule and what the service accepts. */
const eligibilityGap: SchemaObject = {
  oneOf: [
    record({ rule: constant('children') }),
    record({ rule: constant('sex'), accepted: list(text()) }),
    record({ rule: constant('minimum_age'), age: { type: 'integer' } }),
    record({ rule: constant('maximum_age'), age: { type: 'integer' } }),
    record({ rule: constant('language'), accepted: { ...list(text()), description: 'ISO 639 codes' } }),
  ],
};

/** `consent.needed` in codes (ConsentNeeded in libs/consent-policy). */
const consentNeeded = record(
  {
    recipient: record({ agencyId: text({ format: 'uuid' }), agencyKind: oneOf(AGENCY_KINDS) }),
    purpose: oneOf(PURPOSES),
    serviceType,
    categories: { ...list(category), description: 'The categories a consent (or determination) would permit sharing' },
    consent: {
      ...oneOf(['any', 'guardian_with_child_assent', 'none']),
      description: "Whose consent counts: the person's, a guardian's with the child's assent (a child), or none (only a determination)",
    },
    bestInterests: { type: 'boolean', description: "An approved best-interests determination may stand in for consent (a child's case)" },
    namedAgency: { type: 'boolean', description: 'The consent or determination must name the agency, not a kind of agency' },
    refused: { type: 'boolean', description: 'Nothing can permit it' },
    withheldBySafetyFlag: { ...list(category), description: 'Categories a safety flag on the case withholds: no consent releases them' },
  },
  ['recipient', 'purpose', 'categories', 'consent', 'bestInterests', 'namedAgency', 'refused', 'withheldBySafetyFlag'],
);

/** GET /cases/:id/referral-suggestions: who offers the service to the person, whether they can take them, what consent is missing; who is not for them. */
export const REFERRAL_SUGGESTIONS = record(
  {
    serviceType,
    area: text(),
    suggestions: list(
      record(
        {
          agencyId: text({ format: 'uuid' }),
          agencyName: text(),
          agencyKind: text(),
          serviceId: text({ format: 'uuid' }),
          serviceName: text(),
          areas: list(text()),
          status: text(),
          capacity,
          available: { type: 'boolean' },
          unavailableReason: text(),
          unavailable,
          consent: record({ covered: list(category), missing: list(category), needed: text(), neededBasis: consentNeeded }, [
            'covered',
            'missing',
          ]),
        },
        ['agencyId', 'agencyName', 'serviceId', 'serviceName', 'available', 'consent'],
      ),
    ),
    /** Services the person is known not to be eligible for: not suggested, named with why. */
    notEligible: list(
      record(
        {
          agencyId: text({ format: 'uuid' }),
          agencyName: text(),
          serviceId: text({ format: 'uuid' }),
          serviceName: text(),
          eligibilityGaps: list(text()),
          eligibilityGapCodes: { ...list(eligibilityGap), description: 'The same gaps in codes, in the same order' },
        },
        ['agencyId', 'agencyName', 'serviceId', 'serviceName', 'eligibilityGaps', 'eligibilityGapCodes'],
      ),
    ),
    outsideNetwork: list(
      record({
        organizationId: text({ format: 'uuid' }),
        organizationName: text(),
        serviceId: text({ format: 'uuid' }),
        serviceName: text(),
        areas: list(text()),
        status: text(),
        outsideNetwork: { type: 'boolean', enum: [true] },
        howToRefer: text(),
        contact: record({ phones: list(text()), emails: list(text()), websites: list(text()) }),
      }),
    ),
  },
  ['serviceType', 'suggestions', 'notEligible', 'outsideNetwork'],
);
