import type { ConsentGiven, ConsentWithdrawn } from '../../../libs/domain/index.js';
import { type ReceiptEvent, consentReceipt } from '../consent-receipt.js';

/** A consent of three provisions and its two withdrawals, shared by the receipt and printable-text specs. */
export const CASE = '6f1d8c52-0d6b-4c39-9a43-2a0c7b1e9a10';
export const SHELTER = 'a0000000-0000-4000-8000-000000000002';
export const CONSENT = 'c1000000-0000-4000-8000-000000000001';
export const P_SHELTER = 'b1000000-0000-4000-8000-000000000001';
export const P_LEGAL = 'b1000000-0000-4000-8000-000000000002';
export const P_HEALTH = 'b1000000-0000-4000-8000-000000000003';
export const WORKER = 'd0000000-0000-4000-8000-000000000001';

export const given: ConsentGiven['data'] = {
  consentId: CONSENT,
  grantor: 'person',
  method: 'verbal',
  language: 'en',
  interpreterUsed: true,
  noticeVersion: 'notice 2026/01',
  recordedBy: WORKER,
  givenAt: '2026-03-12T14:05:00.000Z',
  provisions: [
    {
      provisionId: P_SHELTER,
      recipient: { agencyId: SHELTER },
      purpose: 'service_provision',
      serviceTypes: ['shelter', 'wash'],
      categories: ['identity', 'safety'],
      validFrom: '2026-03-12T14:05:00.000Z',
    },
    {
      provisionId: P_LEGAL,
      recipient: { agencyKind: 'legal_aid' },
      purpose: 'legal_assistance',
      serviceTypes: [],
      categories: ['legal_status'],
      validFrom: '2026-03-12T14:05:00.000Z',
      validUntil: '2026-07-01T00:00:00.000Z',
    },
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
