import { randomUUID } from 'node:crypto';
import type { DisclosureGrant } from '../../libs/consent-policy/index.js';
import type { Actor, CaseCommand } from '../../libs/domain/index.js';
import { GIVEN_VERBALLY } from '../../libs/testing/index.js';

/**
 * Commands of a case's past, for appendDecided (test-app.ts): a case from a week ago whose shelter
 * referral was never answered, say, which the HTTP API cannot make without waiting.
 */

/** A hotline case opened by `actor` at `at`, with no indicators and no personal data. */
export const openCaseCommand = (actor: Actor, at: string, caseId: string, ageGroup: 'adult' | 'child' = 'adult'): CaseCommand => ({
  type: 'OpenCase',
  actor,
  at,
  caseId,
  source: 'hotline',
  indicators: [],
  ageGroup,
  personalData: {},
});

/** Identity to the shelter for its shelter service, from `validFrom` to `validUntil` (open-ended when undefined). */
export const shelterGrant = (shelterId: string, validFrom: string, validUntil?: string): DisclosureGrant => ({
  recipient: { agencyId: shelterId },
  purpose: 'service_provision',
  serviceTypes: ['shelter'],
  categories: ['identity'],
  validFrom,
  ...(validUntil ? { validUntil } : {}),
});

/** The person's consent to `grants`, recorded by `actor` at `at`. */
export const giveConsentCommand = (actor: Actor, at: string, grants: readonly DisclosureGrant[]): CaseCommand => ({
  type: 'GiveConsent',
  actor,
  at,
  consentId: randomUUID(),
  ...GIVEN_VERBALLY,
  provisions: grants.map((grant) => ({ provisionId: randomUUID(), ...grant })),
});

/** An immediate referral to the shelter, sharing identity, requested by `actor` at `at`. */
export const shelterReferralCommand = (actor: Actor, at: string, referralId: string, shelterId: string): CaseCommand => ({
  type: 'RequestReferral',
  actor,
  at,
  referralId,
  recipient: { agencyId: shelterId, agencyKind: 'shelter' },
  purpose: 'service_provision',
  serviceType: 'shelter',
  urgency: 'immediate',
  sharedCategories: ['identity'],
});
