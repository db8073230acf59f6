import { describe, expect, it } from '@jest/globals';
import type { CaseEvent, ReferralRequested } from '../../libs/domain/index.js';
import { foldCaseView } from './case-view.js';
import { recipientView } from './recipient-view.js';

const sealed = (label: string) => ({ alg: 'A256GCM', v: 1, iv: label, ct: label, tag: label });
const shelter = { agencyId: 'a-shelter', agencyKind: 'shelter' } as const;
const opened: CaseEvent = {
  type: 'CaseOpened',
  data: {
    caseId: 'c-1', owningAgencyId: 'a-social', openedBy: 'u', openedAt: '2026-01-01T00:00:00.000Z', source: 'observation', indicators: [],
    ageGroup: 'adult', personalData: { identity: sealed('identity'), location: sealed('location'), contact: sealed('contact') },
  },
};
const consent = (validUntil?: string): CaseEvent => ({
  type: 'ConsentGiven',
  data: {
    consentId: 'k-1', grantor: 'person', method: 'verbal', language: 'ha', interpreterUsed: false, noticeVersion: 'n', recordedBy: 'u', givenAt: '2026-01-01T00:00:00.000Z',
    provisions: [
      { provisionId: 'p-id', recipient: { agencyId: 'a-shelter' }, purpose: 'service_provision', serviceTypes: ['shelter'], categories: ['identity', 'safety'], validFrom: '2026-01-01T00:00:00.000Z', ...(validUntil ? { validUntil } : {}) },
      { provisionId: 'p-loc', recipient: { agencyKind: 'shelter' }, purpose: 'service_provision', serviceTypes: ['shelter'], categories: ['location'], validFrom: '2026-01-01T00:00:00.000Z' },
    ],
  },
});
const referral: ReferralRequested['data'] = {
  referralId: 'r-1', fromAgencyId: 'a-social', toAgencyId: 'a-shelter', toAgencyKind: 'shelter', purpose: 'service_provision', serviceType: 'shelter', urgency: 'high',
  sharedCategories: ['identity', 'location'], legalBasis: [
    { consentId: 'k-1', provisionId: 'p-id', category: 'identity' },
    { consentId: 'k-1', provisionId: 'p-loc', category: 'location' },
  ],
  note: sealed('note'), requestedBy: 'u', requestedAt: '2026-01-02T00:00:00.000Z', respondBy: '2026-01-05T00:00:00.000Z',
};
const referred: CaseEvent = { type: 'ReferralRequested', data: referral };
const at = '2026-02-01T00:00:00.000Z';
const see = (events: CaseEvent[], when = at, agency: { agencyId: string; agencyKind: 'shelter' | 'law_enforcement' } = shelter) => recipientView(foldCaseView(events, when)!, agency, when);

describe('recipientView', () => {
  it('shows a referred agency exactly the categories shared with it under live consent, never contact', () => {
    const view = see([opened, consent(), referred])!;
    expect(view.personalData).toEqual({ identity: sealed('identity'), location: sealed('location') });
    expect(view.withdrawn).toEqual([]);
    expect(view.referrals[0]).toMatchObject({ referralId: 'r-1', status: 'requested', note: sealed('note') });
    expect(view.status).toBeUndefined(); // case_progress was not shared
  });

  it('shows nothing of a case to an agency it was not referred to', () => {
    expect(see([opened, consent(), referred], at, { agencyId: 'a-police', agencyKind: 'law_enforcement' })).toBeUndefined();
    expect(see([opened, consent()])).toBeUndefined();
  });

  it('redacts what a partial withdrawal took back, leaving a stub that says when', () => {
    const withdrawal: CaseEvent = { type: 'ConsentWithdrawn', data: { consentId: 'k-1', provisionIds: ['p-loc'], whole: false, recordedBy: 'u', withdrawnAt: '2026-01-20T00:00:00.000Z' } };
    const view = see([opened, consent(), referred, withdrawal])!;
    expect(view.personalData).toEqual({ identity: sealed('identity') });
    expect(view.withdrawn).toEqual([{ category: 'location', since: '2026-01-20T00:00:00.000Z', reason: 'consent_withdrawn' }]);
  });

  it('lets an expiry take effect at the stated time, with nobody touching the case', () => {
    const events = [opened, consent('2026-01-25T00:00:00.000Z'), referred];
    expect(see(events, '2026-01-24T23:59:59.000Z')!.personalData).toHaveProperty('identity');
    const after = see(events, '2026-01-25T00:00:00.000Z')!;
    expect(after.personalData).not.toHaveProperty('identity');
    expect(after.withdrawn).toEqual([{ category: 'identity', since: '2026-01-25T00:00:00.000Z', reason: 'consent_expired' }]);
  });

  it('takes everything back, note included, once the agency declines or the referral is withdrawn', () => {
    const declined: CaseEvent = { type: 'ReferralDeclined', data: { referralId: 'r-1', by: 'u2', at: '2026-01-03T00:00:00.000Z', reason: 'no_capacity' } };
    const view = see([opened, consent(), referred, declined])!;
    expect(view.personalData).toEqual({});
    expect(view.referrals[0]!.note).toBeUndefined();
    expect(view.withdrawn.map((w) => w.reason)).toEqual(['referral_declined', 'referral_declined']);
  });
});
