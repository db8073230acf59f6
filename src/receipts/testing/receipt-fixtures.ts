import type { ConsentGiven, ConsentWithdrawn } from '../../../libs/domain/index.js';
import { shelterAndLegalAidConsent } from '../../../libs/testing/index.js';
import { type ReceiptEvent, consentReceipt } from '../consent-receipt.js';

/** A consent of three provisions and its two withdrawals, shared by the receipt and printable-text specs. */
export const CASE = '6f1d8c52-0d6b-4c39-9a43-2a0c7b1e9a10';
export const SHELTER = 'a0000000-0000-4000-8000-000000000002';
export const CONSENT = 'c1000000-0000-4000-8000-000000000001';
export const P_SHELTER = 'b1000000-0000-4000-8000-000000000001';
export const P_LEGAL = 'b1000000-0000-4000-8000-000000000002';
export const P_HEALTH = 'b1000000-0000-4000-8000-000000000003';
export const WORKER = 'd0000000-0000-4000-8000-000000000001';

const shelterAndLegalAid = shelterAndLegalAidConsent(
  { consentId: CONSENT, recordedBy: WORKER, shelterId: SHELTER, provisionIds: [P_SHELTER, P_LEGAL] },
  '2026-03-12T14:05:00.000Z',
);
/** Given in English, with a third provision that starts later: health data to the shelter for case management. */
export const given: ConsentGiven['data'] = {
  ...shelterAndLegalAid,
  language: 'en',
  provisions: [
    ...shelterAndLegalAid.provisions,
    {
      provisionId: P_HEALTH,
      recipient: { agencyId: SHELTER },
      purpose: 'case_management',
      serviceTypes: [],
      categories: ['health'],
      validFrom: '2026-04-01T09:00:00.000Z',
    },
  ],
};
export const partial: ConsentWithdrawn['data'] = {
  consentId: CONSENT,
  provisionIds: [P_SHELTER],
  whole: false,
  recordedBy: WORKER,
  withdrawnAt: '2026-03-20T10:00:00.000Z',
};
export const rest: ConsentWithdrawn['data'] = {
  consentId: CONSENT,
  provisionIds: [P_LEGAL, P_HEALTH],
  whole: true,
  recordedBy: WORKER,
  withdrawnAt: '2026-03-25T10:00:00.000Z',
};

export const names = new Map([
  [SHELTER, 'Safe Haven Shelter'],
  ['owner', 'Demo Social Services'],
]);
export const GIVEN: ReceiptEvent = { kind: 'given' };
export const FIRST: ReceiptEvent = { kind: 'withdrawal', number: 1, data: partial };
export const SECOND: ReceiptEvent = { kind: 'withdrawal', number: 2, data: rest };
export const receipt = (event: ReceiptEvent, overrides: Partial<ConsentGiven['data']> = {}) =>
  consentReceipt({
    caseId: CASE,
    given: { ...given, ...overrides },
    event,
    ownerName: 'Demo Social Services',
    agencyNames: names,
    publicKey: 'PUBLIC',
  });
