import { describe, expect, it } from '@jest/globals';
import type { CaseEvent } from '../../libs/domain/index.js';
import { foldCaseView } from './case-view.js';

const sealed = { alg: 'A256GCM', v: 1, iv: 'aXY', ct: 'Y3Q', tag: 'dGFn' };
const provision = (provisionId: string, validUntil?: string) => ({
  provisionId,
  recipient: { agencyId: 'a-shelter' },
  purpose: 'service_provision' as const,
  serviceTypes: ['shelter' as const],
  categories: ['identity' as const],
  validFrom: '2026-01-01T00:00:00.000Z',
  ...(validUntil ? { validUntil } : {}),
});
const events: CaseEvent[] = [
  {
    type: 'CaseOpened',
    data: {
      caseId: 'c',
      owningAgencyId: 'a-social',
      openedBy: 'u',
      openedAt: '2026-01-01T00:00:00.000Z',
      source: 'hotline',
      indicators: [],
      ageGroup: 'adult',
      personalData: { identity: sealed },
    },
  },
  {
    type: 'ConsentGiven',
    data: {
      consentId: 'k',
      grantor: 'person',
      method: 'written',
      language: 'en',
      interpreterUsed: false,
      noticeVersion: 'n',
      recordedBy: 'u',
      givenAt: '2026-01-01T00:00:00.000Z',
      provisions: [provision('p-live'), provision('p-gone'), provision('p-expired', '2026-02-01T00:00:00.000Z')],
    },
  },
  {
    type: 'ConsentWithdrawn',
    data: { consentId: 'k', provisionIds: ['p-gone'], whole: false, recordedBy: 'u', withdrawnAt: '2026-01-15T00:00:00.000Z' },
  },
  { type: 'CaseInterrupted', data: { by: 'u', at: '2026-01-20T00:00:00.000Z', reason: 'declined_assistance', note: sealed } },
];

describe('foldCaseView', () => {
  it('is undefined for a stream that is not a case', () => {
    expect(foldCaseView([], '2026-03-01T00:00:00.000Z')).toBeUndefined();
  });

  it('shows each provision as live, withdrawn (with when) or expired at the moment asked', () => {
    const view = foldCaseView(events, '2026-03-01T00:00:00.000Z')!;
    expect(view.consents[0]!.provisions.map((p) => [p.provisionId, p.status, p.withdrawnAt])).toEqual([
      ['p-live', 'live', undefined],
      ['p-gone', 'withdrawn', '2026-01-15T00:00:00.000Z'],
      ['p-expired', 'expired', undefined],
    ]);
  });

  it('follows the case status and keeps the sealed values sealed', () => {
    const view = foldCaseView(events, '2026-03-01T00:00:00.000Z')!;
    expect(view).toMatchObject({ status: 'paused', revision: 3, personalData: { identity: sealed } });
    expect(view.timeline.map((t) => t.type)).toEqual(['CaseOpened', 'CaseInterrupted']);
  });
});

describe('the case path in the record', () => {
  const at = (day: number) => `2026-02-0${day}T00:00:00.000Z`;
  const path: CaseEvent[] = [
    ...events,
    { type: 'CaseResumed', data: { by: 'u', at: at(1) } },
    {
      type: 'ScreeningRecorded',
      data: { outcome: 'indicators_confirmed', indicators: ['physical.untreated_injuries_or_illness'], by: 'u', at: at(2) },
    },
    { type: 'IdentificationRecorded', data: { outcome: 'trafficked_person', agencyId: 'a-social', by: 'u', at: at(3) } },
    { type: 'IntakeRecorded', data: { caseworkerId: 'u-2', by: 'u', at: at(4) } },
    { type: 'CasePlanRecorded', data: { servicesNeeded: ['shelter'], plan: sealed, by: 'u', at: at(5) } },
    { type: 'SafetyAssessed', data: { riskLevel: 'high', plan: sealed, by: 'u', at: at(6) } },
    { type: 'SafetyFlagRaised', data: { flag: 'no_phone_contact', by: 'u', at: at(6) } },
  ];
  it('keeps where the case stands, the safety plan as the safety category', () => {
    const view = foldCaseView(path, '2026-03-01T00:00:00.000Z')!;
    expect(view.path).toEqual({
      screening: { outcome: 'indicators_confirmed', by: 'u', at: at(2) },
      identification: { outcome: 'trafficked_person', agencyId: 'a-social', by: 'u', at: at(3) },
      intake: { caseworkerId: 'u-2', by: 'u', at: at(4) },
      casePlan: { servicesNeeded: ['shelter'], plan: sealed, by: 'u', at: at(5) },
      safetyAssessment: { riskLevel: 'high', by: 'u', at: at(6) },
    });
    expect(view.personalData).toEqual({ identity: sealed, safety: sealed });
    expect(view.indicators).toEqual(['physical.untreated_injuries_or_illness']);
  });
  it('on erasure keeps only that each step happened: no outcome, plan, risk level or flag name', () => {
    const view = foldCaseView(
      [...path, { type: 'CaseErased', data: { requestId: 'r', reason: 'person_requested', requestedBy: 'u', by: 'u-2', at: at(7) } }],
      '2026-03-01T00:00:00.000Z',
    )!;
    expect(view.path).toEqual({
      screening: { by: 'u', at: at(2) },
      identification: { by: 'u', at: at(3) },
      intake: { by: 'u', at: at(4) },
      casePlan: { by: 'u', at: at(5) },
      safetyAssessment: { by: 'u', at: at(6) },
    });
    expect(view.personalData).toEqual({});
    const reasons = Object.fromEntries(view.timeline.map((t) => [t.type, t.reason]));
    expect(reasons).toMatchObject({ CaseInterrupted: 'declined_assistance', CaseErased: 'person_requested' });
    for (const step of ['ScreeningRecorded', 'IdentificationRecorded', 'SafetyAssessed', 'SafetyFlagRaised'])
      expect(reasons[step]).toBeUndefined();
  });
});
