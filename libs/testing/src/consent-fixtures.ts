import type { ConsentGiven } from '../../domain/index.js';

/** How a consent was given, for the tests in which only its provisions matter: by the person, verbally, in Hausa. */
export const GIVEN_VERBALLY = {
  grantor: 'person',
  method: 'verbal',
  language: 'ha',
  interpreterUsed: false,
  noticeVersion: 'n-1',
} as const;

export interface ShelterAndLegalAidIds {
  readonly consentId: string;
  readonly recordedBy: string;
  readonly shelterId: string;
  /** The ids of the shelter's provision and of the legal-aid one, in that order. */
  readonly provisionIds: readonly [string, string];
}

/**
 * A person's consent, through an interpreter, given at `at`: identity and safety to a shelter for
 * its shelter and WASH services, and legal status to any legal-aid agency for legal assistance until
 * July. The consent the FHIR export and the consent receipt are shown on.
 */
export const shelterAndLegalAidConsent = (ids: ShelterAndLegalAidIds, at: string): ConsentGiven['data'] => ({
  consentId: ids.consentId,
  grantor: 'person',
  method: 'verbal',
  language: 'ha',
  interpreterUsed: true,
  noticeVersion: 'notice 2026/01',
  recordedBy: ids.recordedBy,
  givenAt: at,
  provisions: [
    {
      provisionId: ids.provisionIds[0],
      recipient: { agencyId: ids.shelterId },
      purpose: 'service_provision',
      serviceTypes: ['shelter', 'wash'],
      categories: ['identity', 'safety'],
      validFrom: at,
    },
    {
      provisionId: ids.provisionIds[1],
      recipient: { agencyKind: 'legal_aid' },
      purpose: 'legal_assistance',
      serviceTypes: [],
      categories: ['legal_status'],
      validFrom: at,
      validUntil: '2026-07-01T00:00:00.000Z',
    },
  ],
});
