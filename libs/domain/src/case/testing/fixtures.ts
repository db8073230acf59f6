/** The cast and the recurring events of the case decider's specs. */
import { expect } from '@jest/globals';
import type { ConsentProvision, DisclosureGrant, SafetyFlag } from '../../../../consent-policy/index.js';
import { deciderSpecification } from '../../../../testing/index.js';
import { caseDecider, type CaseState } from '../../case-decider.js';
import type { Actor, CaseCommand } from '../../commands.js';
import type { BestInterestsDeterminationProposed, CaseEvent, ConsentGiven, ReferralRequested } from '../../events.js';

export const spec = deciderSpecification<CaseCommand, CaseEvent, CaseState>(caseDecider);

export const caseId = '7b4c1a52-0000-4000-8000-000000000001';
export const owner: Actor = { userId: 'u-caseworker', agencyId: 'a-social-services', agencyKind: 'government_social_service' };
export const supervisor: Actor = { ...owner, userId: 'u-supervisor' };
export const shelter: Actor = { userId: 'u-shelter', agencyId: 'a-shelter', agencyKind: 'shelter' };
export const police: Actor = { userId: 'u-police', agencyId: 'a-police', agencyKind: 'law_enforcement' };
export const redCross: Actor = { userId: 'u-rc', agencyId: 'a-red-cross', agencyKind: 'red_cross_red_crescent' };
export const t0 = '2026-03-01T09:00:00.000Z';
export const t1 = '2026-03-01T10:00:00.000Z';
export const t2 = '2026-03-02T10:00:00.000Z';
export const t3 = '2026-03-03T10:00:00.000Z';
export const sealed = { alg: 'A256GCM', v: 1, iv: 'aXY', ct: 'Y3Q', tag: 'dGFn' };

type CaseOpened = Extract<CaseEvent, { type: 'CaseOpened' }>;
export const opened = (
  ageGroup: 'adult' | 'child' | 'claims_to_be_child' = 'adult',
  over: Partial<CaseOpened['data']> = {},
): CaseEvent => ({
  type: 'CaseOpened',
  data: {
    caseId,
    owningAgencyId: owner.agencyId,
    openedBy: owner.userId,
    openedAt: t0,
    source: 'observation',
    indicators: ['work.forced_to_work', 'control.no_control_of_documents'],
    ageGroup,
    personalData: { identity: sealed },
    ...over,
  },
});

export const shelterProvision: ConsentProvision = {
  provisionId: 'p-shelter',
  recipient: { agencyId: shelter.agencyId },
  purpose: 'service_provision',
  serviceTypes: ['shelter'],
  categories: ['identity', 'safety'],
  validFrom: t0,
};
export const lawEnforcement: ConsentProvision = {
  provisionId: 'p-le',
  recipient: { agencyId: police.agencyId },
  purpose: 'law_enforcement_report',
  serviceTypes: [],
  categories: ['identity'],
  validFrom: t0,
};
export const withLocation: ConsentProvision = { ...shelterProvision, categories: ['identity', 'safety', 'location'] };
const consentData: ConsentGiven['data'] = {
  consentId: 'c-1',
  grantor: 'person',
  method: 'verbal',
  language: 'ha',
  interpreterUsed: true,
  noticeVersion: 'n-2026-01',
  recordedBy: owner.userId,
  givenAt: t0,
  provisions: [shelterProvision],
};
export const consented = (over: Partial<ConsentGiven['data']> = {}): CaseEvent => ({
  type: 'ConsentGiven',
  data: { ...consentData, ...over },
});
export const guardianConsented = (over: Partial<ConsentGiven['data']> = {}) =>
  consented({ grantor: 'guardian', childAssent: true, ...over });
export const withdrawn = (provisionIds: string[], whole: boolean, consentId = 'c-1'): CaseEvent => ({
  type: 'ConsentWithdrawn',
  data: { consentId, provisionIds, whole, recordedBy: owner.userId, withdrawnAt: t2 },
});

export const referralData: ReferralRequested['data'] = {
  referralId: 'r-1',
  fromAgencyId: owner.agencyId,
  toAgencyId: shelter.agencyId,
  toAgencyKind: 'shelter',
  purpose: 'service_provision',
  serviceType: 'shelter',
  urgency: 'high',
  sharedCategories: ['identity', 'safety'],
  legalBasis: [
    { consentId: 'c-1', provisionId: 'p-shelter', category: 'identity' },
    { consentId: 'c-1', provisionId: 'p-shelter', category: 'safety' },
  ],
  requestedBy: owner.userId,
  requestedAt: t1,
  respondBy: '2026-03-04T10:00:00.000Z',
};
export const referred: CaseEvent = { type: 'ReferralRequested', data: referralData };
export const referredWithLocation: CaseEvent = {
  type: 'ReferralRequested',
  data: {
    ...referralData,
    sharedCategories: ['identity', 'location'],
    legalBasis: [
      { consentId: 'c-1', provisionId: 'p-shelter', category: 'identity' },
      { consentId: 'c-1', provisionId: 'p-shelter', category: 'location' },
    ],
  },
};
export const requestShelter = (over: Partial<Extract<CaseCommand, { type: 'RequestReferral' }>> = {}): CaseCommand => ({
  type: 'RequestReferral',
  actor: owner,
  at: t1,
  referralId: 'r-1',
  recipient: { agencyId: shelter.agencyId, agencyKind: 'shelter' },
  purpose: 'service_provision',
  serviceType: 'shelter',
  urgency: 'high',
  sharedCategories: ['identity', 'safety'],
  ...over,
});
/** An event of referral r-1 by `by` at `at`. */
export const step = (type: CaseEvent['type'], by: string, at = t2, extra = {}) =>
  ({ type, data: { referralId: 'r-1', by, at, ...extra } }) as CaseEvent;

export const interrupted: CaseEvent = { type: 'CaseInterrupted', data: { by: owner.userId, at: t2, reason: 'lost_contact' } };
export const closed: CaseEvent = { type: 'CaseClosed', data: { by: owner.userId, at: t2, reason: 'other' } };

const { provisionId: _unused, ...grant } = shelterProvision;
export const shelterGrant: DisclosureGrant = grant;
export const scope: DisclosureGrant[] = [{ ...shelterGrant, validUntil: '2026-09-01T00:00:00.000Z' }];
export const proposed = (over: Partial<BestInterestsDeterminationProposed['data']> = {}): CaseEvent => ({
  type: 'BestInterestsDeterminationProposed',
  data: { determinationId: 'd-1', scope, reasons: sealed, by: owner.userId, at: t1, ...over },
});
export const determined: CaseEvent = {
  type: 'BestInterestsDetermined',
  data: { determinationId: 'd-1', by: supervisor.userId, at: t1, decidedBy: owner.userId },
};
export const rejectedDetermination: CaseEvent = {
  type: 'BestInterestsDeterminationRejected',
  data: { determinationId: 'd-1', by: supervisor.userId, at: t1 },
};

export const flagRaised = (flag: SafetyFlag, at = t1): CaseEvent => ({ type: 'SafetyFlagRaised', data: { flag, by: owner.userId, at } });
export const flagLifted = (flag: SafetyFlag, at = t2): CaseEvent => ({ type: 'SafetyFlagLifted', data: { flag, by: owner.userId, at } });

export function expectContaining(text: string) {
  return expect.stringContaining(text) as unknown as string;
}
