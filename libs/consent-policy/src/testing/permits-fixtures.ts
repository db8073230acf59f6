/** The agencies, grants and subjects of the consent policy's specs. */
import { expect, it } from '@jest/globals';
import type { BestInterestsDetermination, ConsentProvision, ConsentRecord, ConsentSubject, DisclosureRequest } from '../permits.js';
import { permits } from '../permits.js';
import type { SafetyFlag } from '../safety-flags.js';

export const owner = { agencyId: 'a-social', agencyKind: 'government_social_service' } as const;
export const shelter = { agencyId: 'a-shelter', agencyKind: 'shelter' } as const;
export const police = { agencyId: 'a-police', agencyKind: 'law_enforcement' } as const;
export const redCross = { agencyId: 'a-red-cross', agencyKind: 'red_cross_red_crescent' } as const;

export const provision: ConsentProvision = {
  provisionId: 'p1',
  recipient: { agencyId: shelter.agencyId },
  purpose: 'service_provision',
  serviceTypes: ['shelter'],
  categories: ['identity', 'safety'],
  validFrom: '2026-01-01T00:00:00Z',
  validUntil: '2026-06-01T00:00:00Z',
};
export const lawEnforcement: ConsentProvision = {
  provisionId: 'p-le',
  recipient: { agencyId: police.agencyId },
  purpose: 'law_enforcement_report',
  serviceTypes: [],
  categories: ['identity'],
  validFrom: '2026-01-01T00:00:00Z',
};
export const consent = (over: Partial<ConsentRecord> = {}): ConsentRecord => ({
  consentId: 'c1',
  grantor: 'person',
  provisions: [provision],
  withdrawals: {},
  ...over,
});
export const guardianConsent = (over: Partial<ConsentRecord> = {}) => consent({ grantor: 'guardian', childAssent: true, ...over });
const { provisionId: _id, ...grant } = provision;
export const shelterGrant = grant;
export const determination = (over: Partial<BestInterestsDetermination> = {}): BestInterestsDetermination => ({
  determinationId: 'd1',
  decidedBy: 'u-caseworker',
  approvedBy: 'u-supervisor',
  approvedAt: '2026-01-10T00:00:00Z',
  scope: [shelterGrant],
  ...over,
});
export const subject = (over: Partial<ConsentSubject> = {}): ConsentSubject => ({
  owningAgencyId: owner.agencyId,
  treatedAsChild: false,
  consents: [consent()],
  bestInterests: [],
  safetyFlags: [],
  erased: false,
  ...over,
});
export const child = (over: Partial<ConsentSubject> = {}) => subject({ treatedAsChild: true, consents: [], ...over });
export const request = (over: Partial<DisclosureRequest> = {}): DisclosureRequest => ({
  recipient: shelter,
  purpose: 'service_provision',
  serviceType: 'shelter',
  category: 'identity',
  at: '2026-02-01T00:00:00Z',
  ...over,
});
export const toPolice = { recipient: police, purpose: 'law_enforcement_report', serviceType: undefined } as const;
export const flagged = (...safetyFlags: SafetyFlag[]) => ({ safetyFlags });

/** One row, one `it`: whether the policy permits the request as the row changes it. */
export type Row = [string, ConsentSubject, Partial<DisclosureRequest>, boolean];
export const table = (rows: Row[]) =>
  it.each<Row>(rows)('%s', (_name, s, over, expected) => {
    expect(permits(s, request(over)).permitted).toBe(expected);
  });
