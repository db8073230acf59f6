import { describe, it } from '@jest/globals';
import type { ConsentProvision } from '../../../consent-policy/index.js';
import type { CaseCommand } from '../commands.js';
import {
  closed,
  consented,
  lawEnforcement,
  opened,
  owner,
  police,
  redCross,
  referred,
  shelter,
  shelterProvision,
  spec,
  step,
  t0,
  t1,
  t2,
  t3,
  withdrawn,
} from './testing/fixtures.js';

describe('GiveConsent', () => {
  const give = (over: Partial<Extract<CaseCommand, { type: 'GiveConsent' }>> = {}): CaseCommand => ({
    type: 'GiveConsent',
    actor: owner,
    at: t0,
    consentId: 'c-1',
    grantor: 'person',
    method: 'verbal',
    language: 'ha',
    interpreterUsed: true,
    noticeVersion: 'n-2026-01',
    provisions: [shelterProvision],
    ...over,
  });
  it('records the consent with who recorded it and when', () => spec.given([opened()]).when(give()).then([consented()]));
  it('is refused on a case that does not exist', () => spec.given([]).when(give()).thenThrows({ kind: 'not_found' }));
  it('is refused to an agency unrelated to the case, without saying the case exists', () =>
    spec
      .given([opened()])
      .when(give({ actor: police }))
      .thenThrows({ kind: 'not_found', message: 'case not found' }));
  it('is refused on a closed case', () =>
    spec
      .given([opened(), { type: 'CaseClosed', data: { by: owner.userId, at: t1, reason: 'other' } }])
      .when(give())
      .thenThrows({ kind: 'conflict' }));
  it('is refused for a consent id already used', () => spec.given([opened(), consented()]).when(give()).thenThrows({ kind: 'conflict' }));
  it('needs a provision', () =>
    spec
      .given([opened()])
      .when(give({ provisions: [] }))
      .thenThrows({ kind: 'invalid' }));
  it('needs a category in every provision', () =>
    spec
      .given([opened()])
      .when(give({ provisions: [{ ...shelterProvision, categories: [] }] }))
      .thenThrows({ kind: 'invalid' }));
  it('needs the agreed service types for service_provision', () =>
    spec
      .given([opened()])
      .when(give({ provisions: [{ ...shelterProvision, serviceTypes: [] }] }))
      .thenThrows({ kind: 'invalid' }));
  it('refuses a provision that ends before it starts', () =>
    spec
      .given([opened()])
      .when(give({ provisions: [{ ...shelterProvision, validUntil: t0 }] }))
      .thenThrows({ kind: 'invalid', message: 'provision p-shelter ends before it starts' }));
  it.each(['2031-W01', '2031-200', '2031-01-01T00:00:00,5Z', '2031-01-01', '2031-02-30T00:00:00Z'])(
    'refuses a provision whose start %j is no RFC 3339 date-time, instead of taking it for now',
    (validFrom) =>
      spec
        .given([opened()])
        .when(give({ provisions: [{ ...shelterProvision, validFrom }] }))
        .thenThrows({ kind: 'invalid', message: 'provision p-shelter starts at no RFC 3339 date-time' }),
  );
  it('refuses a provision whose end is no RFC 3339 date-time, instead of taking it for no end', () =>
    spec
      .given([opened()])
      .when(give({ provisions: [{ ...shelterProvision, validUntil: '2031-W01' }] }))
      .thenThrows({ kind: 'invalid', message: 'provision p-shelter ends at no RFC 3339 date-time' }));
  it('refuses provision ids used before in the case', () =>
    spec
      .given([opened(), consented()])
      .when(give({ consentId: 'c-2' }))
      .thenThrows({ kind: 'invalid' }));
  it("for a child, refuses the child's own consent", () =>
    spec
      .given([opened('child')])
      .when(give())
      .thenThrows({ kind: 'invalid' }));
  it("for a child, refuses a guardian's consent without the child's assent recorded", () =>
    spec
      .given([opened('claims_to_be_child')])
      .when(give({ grantor: 'guardian' }))
      .thenThrows({ kind: 'invalid' }));
  it("for a child, records a guardian's consent with the child's assent", () =>
    spec
      .given([opened('child')])
      .when(give({ grantor: 'guardian', childAssent: true }))
      .then([consented({ grantor: 'guardian', childAssent: true })]));
  it('lets an adult agree explicitly to a law-enforcement report to a named agency', () =>
    spec
      .given([opened()])
      .when(give({ provisions: [lawEnforcement] }))
      .then([consented({ provisions: [lawEnforcement] })]));
  it('refuses a law-enforcement report to a kind of agency: the policy could never use it', () =>
    spec
      .given([opened()])
      .when(give({ provisions: [{ ...lawEnforcement, recipient: { agencyKind: 'law_enforcement' } }] }))
      .thenThrows({
        kind: 'invalid',
        message: 'provision p-le: data for law enforcement or prosecution goes to a named agency, not a kind of agency',
      }));
  it('refuses a provision for law enforcement by kind, whatever its purpose', () =>
    spec
      .given([opened()])
      .when(
        give({ provisions: [{ ...shelterProvision, serviceTypes: ['personal_safety'], recipient: { agencyKind: 'law_enforcement' } }] }),
      )
      .thenThrows({ kind: 'invalid' }));
  it('refuses a provision for prosecution by kind, whatever its purpose', () =>
    spec
      .given([opened()])
      .when(
        give({
          provisions: [{ ...shelterProvision, purpose: 'case_management', serviceTypes: [], recipient: { agencyKind: 'prosecution' } }],
        }),
      )
      .thenThrows({ kind: 'invalid' }));
  it('never takes a law-enforcement consent for a child without a best-interests determination', () =>
    spec
      .given([opened('child')])
      .when(give({ grantor: 'guardian', childAssent: true, provisions: [lawEnforcement] }))
      .thenThrows({
        kind: 'invalid',
        message: "sharing a child's data with law enforcement needs a best-interests determination, not consent alone",
      }));
  it('keeps Red Cross and Red Crescent members out of judicial cooperation', () =>
    spec
      .given([opened('adult', { owningAgencyId: redCross.agencyId })])
      .when(give({ actor: redCross, provisions: [lawEnforcement] }))
      .thenThrows({ kind: 'forbidden' }));
});

describe('WithdrawConsent', () => {
  const withdraw = (over: Partial<Extract<CaseCommand, { type: 'WithdrawConsent' }>> = {}): CaseCommand => ({
    type: 'WithdrawConsent',
    actor: owner,
    at: t2,
    consentId: 'c-1',
    ...over,
  });
  const medical: ConsentProvision = { ...shelterProvision, provisionId: 'p-medical', serviceTypes: ['medical'], categories: ['health'] };
  it('withdraws the whole consent and the open referrals that relied on it', () =>
    spec
      .given([opened(), consented(), referred])
      .when(withdraw())
      .then([withdrawn(['p-shelter'], true), step('ReferralWithdrawn', owner.userId, t2, { cause: 'consent_withdrawn' })]));
  it('withdraws some provisions and only the referrals they covered', () =>
    spec
      .given([opened(), consented({ provisions: [shelterProvision, medical] }), referred])
      .when(withdraw({ provisionIds: ['p-medical'] }))
      .then([withdrawn(['p-medical'], false)]));
  it('keeps a referral another live consent still covers', () =>
    spec
      .given([
        opened(),
        consented(),
        consented({ consentId: 'c-2', provisions: [{ ...shelterProvision, provisionId: 'p-shelter-2' }] }),
        referred,
      ])
      .when(withdraw())
      .then([withdrawn(['p-shelter'], true)]));
  it('leaves finished referrals alone', () =>
    spec
      .given([opened(), consented(), referred, step('ReferralDeclined', shelter.userId, t1, { reason: 'no_capacity' })])
      .when(withdraw())
      .then([withdrawn(['p-shelter'], true)]));
  it('is possible on a closed case: the person can change their mind at any time', () =>
    spec
      .given([opened(), consented(), closed])
      .when(withdraw())
      .then([withdrawn(['p-shelter'], true)]));
  it('refuses an unknown consent', () =>
    spec
      .given([opened(), consented()])
      .when(withdraw({ consentId: 'c-9' }))
      .thenThrows({ kind: 'not_found' }));
  it('refuses a provision not part of the consent', () =>
    spec
      .given([opened(), consented()])
      .when(withdraw({ provisionIds: ['p-9'] }))
      .thenThrows({ kind: 'not_found' }));
  it('refuses a second withdrawal of the whole consent', () =>
    spec
      .given([opened(), consented(), withdrawn(['p-shelter'], true)])
      .when(withdraw())
      .thenThrows({ kind: 'conflict' }));
  it('refuses a second withdrawal of a provision', () =>
    spec
      .given([opened(), consented(), withdrawn(['p-shelter'], true)])
      .when(withdraw({ provisionIds: ['p-shelter'] }))
      .thenThrows({ kind: 'conflict' }));
  it('is refused to the receiving agency', () =>
    spec
      .given([opened(), consented(), referred])
      .when(withdraw({ actor: shelter }))
      .thenThrows({ kind: 'forbidden' }));
});

describe('withdrawals triggered by a decision', () => {
  it('leave no open referral on less than full cover, and blame each on what really ended it', () => {
    const medical: ConsentProvision = { ...shelterProvision, provisionId: 'p-medical', serviceTypes: ['medical'], categories: ['health'] };
    // The shelter referral had lapsed by expiry before the unrelated withdrawal: withdrawn now, for its expiry.
    spec
      .given([
        opened(),
        consented({ provisions: [{ ...shelterProvision, validUntil: t2 }] }),
        consented({ consentId: 'c-2', provisions: [medical] }),
        referred,
      ])
      .when({ type: 'WithdrawConsent', actor: owner, at: t3, consentId: 'c-2' })
      .then([
        {
          type: 'ConsentWithdrawn',
          data: { consentId: 'c-2', provisionIds: ['p-medical'], whole: true, recordedBy: owner.userId, withdrawnAt: t3 },
        },
        { type: 'ReferralWithdrawn', data: { referralId: 'r-1', by: owner.userId, at: t3, cause: 'consent_expired' } },
      ]);
  });

  it('withdraw a referral whose one category expired when the consent for the other is withdrawn', () => {
    const split = [
      { ...shelterProvision, categories: ['identity'] as const, validUntil: t2 },
      { ...shelterProvision, provisionId: 'p-safety', categories: ['safety'] as const },
    ];
    spec
      .given([opened(), consented({ provisions: split }), referred])
      .when({ type: 'WithdrawConsent', actor: owner, at: t3, consentId: 'c-1' })
      .then([
        {
          type: 'ConsentWithdrawn',
          data: { consentId: 'c-1', provisionIds: ['p-shelter', 'p-safety'], whole: true, recordedBy: owner.userId, withdrawnAt: t3 },
        },
        { type: 'ReferralWithdrawn', data: { referralId: 'r-1', by: owner.userId, at: t3, cause: 'consent_expired' } },
      ]);
  });
});
