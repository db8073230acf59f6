import { describe, expect, it } from '@jest/globals';
import { type ReferralEvent, type ReferralFactRow, nextFact } from './referral-facts.projection.js';

const sealed = { alg: 'A256GCM', v: 1, iv: 'aXY', ct: 'Y3Q', tag: 'dGFn' };
const requested: ReferralEvent = {
  type: 'ReferralRequested',
  data: {
    referralId: 'r',
    fromAgencyId: 'a-social',
    toAgencyId: 'a-shelter',
    toAgencyKind: 'shelter',
    purpose: 'service_provision',
    serviceType: 'shelter',
    urgency: 'high',
    sharedCategories: ['identity'],
    legalBasis: [],
    note: sealed,
    requestedBy: 'u',
    requestedAt: '2026-01-01T00:00:00.000Z',
    respondBy: '2026-01-04T00:00:00.000Z',
    serviceId: 's',
    area: 'Jere',
    reReferralOf: 'r-before',
  },
};
const step = (type: 'ReferralAcknowledged' | 'ReferralAccepted' | 'ReferralPutOnHold', at: string): ReferralEvent => ({
  type,
  data: { referralId: 'r', by: 'u', at },
});
const fold = (...events: ReferralEvent[]) => events.reduce<ReferralFactRow | undefined>(nextFact, undefined);

describe('nextFact', () => {
  it('keeps what a referral was, never a note, a case or a person', () => {
    expect(fold(requested)).toEqual({
      referral_id: 'r',
      from_agency_id: 'a-social',
      to_agency_id: 'a-shelter',
      to_agency_kind: 'shelter',
      purpose: 'service_provision',
      service_type: 'shelter',
      area: 'Jere',
      urgency: 'high',
      requested_at: '2026-01-01T00:00:00.000Z',
      respond_by: '2026-01-04T00:00:00.000Z',
      on_hold: false,
      first_response_at: null,
      decided_at: null,
      completed_at: null,
      status: 'requested',
      decline_reason: null,
      withdrawal_cause: null,
      re_referral_of: 'r-before',
    });
  });

  it('counts a legal_assistance or family_tracing referral by its directory service, a law-enforcement report by none (issue 12, finding 10)', () => {
    const { serviceType: _shelter, ...bare } = requested.data;
    const of = (purpose: 'legal_assistance' | 'family_tracing' | 'law_enforcement_report') =>
      fold({ type: 'ReferralRequested', data: { ...bare, purpose } })!.service_type;
    expect(of('legal_assistance')).toBe('legal_assistance');
    expect(of('family_tracing')).toBe('family_tracing_and_reunification');
    expect(of('law_enforcement_report')).toBeNull();
  });

  it('takes the first response from the acknowledgement and the decision from the acceptance', () => {
    const row = fold(
      requested,
      step('ReferralAcknowledged', '2026-01-01T02:00:00.000Z'),
      step('ReferralAccepted', '2026-01-02T00:00:00.000Z'),
      { type: 'ReferralCompleted', data: { referralId: 'r', by: 'u', at: '2026-01-09T00:00:00.000Z', outcome: sealed } },
    );
    expect(row).toMatchObject({
      status: 'completed',
      first_response_at: '2026-01-01T02:00:00.000Z',
      decided_at: '2026-01-02T00:00:00.000Z',
      completed_at: '2026-01-09T00:00:00.000Z',
    });
  });

  it('records a decline as the first response and the decision, with its reason', () => {
    const row = fold(requested, {
      type: 'ReferralDeclined',
      data: { referralId: 'r', by: 'u', at: '2026-01-01T05:00:00.000Z', reason: 'no_capacity', note: sealed },
    });
    expect(row).toMatchObject({
      status: 'declined',
      decline_reason: 'no_capacity',
      first_response_at: '2026-01-01T05:00:00.000Z',
      decided_at: '2026-01-01T05:00:00.000Z',
    });
  });

  it('holds a referral while its case is paused and takes the new deadline on resumption', () => {
    const held = fold(requested, step('ReferralPutOnHold', '2026-01-02T00:00:00.000Z'))!;
    expect(held).toMatchObject({ on_hold: true, status: 'requested', respond_by: '2026-01-04T00:00:00.000Z' });
    expect(
      nextFact(held, {
        type: 'ReferralResumed',
        data: { referralId: 'r', by: 'u', at: '2026-02-01T00:00:00.000Z', respondBy: '2026-02-03T00:00:00.000Z' },
      }),
    ).toMatchObject({ on_hold: false, status: 'requested', respond_by: '2026-02-03T00:00:00.000Z', first_response_at: null });
  });

  it('ends the hold of a referral withdrawn while its case is paused', () => {
    const row = fold(requested, step('ReferralPutOnHold', '2026-01-02T00:00:00.000Z'), {
      type: 'ReferralWithdrawn',
      data: { referralId: 'r', by: 'u', at: '2026-01-03T00:00:00.000Z', cause: 'case_closed' },
    });
    expect(row).toMatchObject({ status: 'withdrawn', withdrawal_cause: 'case_closed', on_hold: false, first_response_at: null });
  });
});
