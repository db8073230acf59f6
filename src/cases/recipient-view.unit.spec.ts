import { describe, expect, it } from '@jest/globals';
import type { ConsentProvision, DataCategory } from '../../libs/consent-policy/index.js';
import type { CaseEvent, ConsentGiven, ReferralRequested } from '../../libs/domain/index.js';
import { type CaseRecord, evolveCaseRecord } from './case-record.js';
import { foldCaseView } from './case-view.js';
import { consentSubjectOfView, recipientSlice, recipientView } from './recipient-view.js';

const sealed = (label: string) => ({ alg: 'A256GCM', v: 1, iv: label, ct: label, tag: label });
const shelter = { agencyId: 'a-shelter', agencyKind: 'shelter' } as const;
const opened: CaseEvent = {
  type: 'CaseOpened',
  data: {
    caseId: 'c-1',
    owningAgencyId: 'a-social',
    openedBy: 'u',
    openedAt: '2026-01-01T00:00:00.000Z',
    source: 'observation',
    indicators: [],
    ageGroup: 'adult',
    personalData: { identity: sealed('identity'), location: sealed('location'), contact: sealed('contact') },
  },
};
/** A consent the person gave on 1 January; `given` changes who gave it and what it provides. */
const consentGiven = (given: Partial<ConsentGiven['data']>): CaseEvent => ({
  type: 'ConsentGiven',
  data: {
    consentId: 'k-1',
    grantor: 'person',
    method: 'verbal',
    language: 'ha',
    interpreterUsed: false,
    noticeVersion: 'n',
    recordedBy: 'u',
    givenAt: '2026-01-01T00:00:00.000Z',
    provisions: [],
    ...given,
  },
});
/** A provision letting the shelter receive `categories` to give it shelter, from 1 January unless `period` says otherwise. */
const toShelter = (
  provisionId: string,
  categories: DataCategory[],
  period: { validFrom?: string; validUntil?: string } = {},
): ConsentProvision => ({
  provisionId,
  recipient: { agencyId: 'a-shelter' },
  purpose: 'service_provision',
  serviceTypes: ['shelter'],
  categories,
  validFrom: '2026-01-01T00:00:00.000Z',
  ...period,
});
const consent = (validUntil?: string): CaseEvent =>
  consentGiven({
    provisions: [
      toShelter('p-id', ['identity', 'safety'], validUntil ? { validUntil } : {}),
      {
        provisionId: 'p-loc',
        recipient: { agencyKind: 'shelter' },
        purpose: 'service_provision',
        serviceTypes: ['shelter'],
        categories: ['location'],
        validFrom: '2026-01-01T00:00:00.000Z',
      },
    ],
  });
const referral: ReferralRequested['data'] = {
  referralId: 'r-1',
  fromAgencyId: 'a-social',
  toAgencyId: 'a-shelter',
  toAgencyKind: 'shelter',
  purpose: 'service_provision',
  serviceType: 'shelter',
  urgency: 'high',
  sharedCategories: ['identity', 'location'],
  legalBasis: [
    { consentId: 'k-1', provisionId: 'p-id', category: 'identity' },
    { consentId: 'k-1', provisionId: 'p-loc', category: 'location' },
  ],
  note: sealed('note'),
  requestedBy: 'u',
  requestedAt: '2026-01-02T00:00:00.000Z',
  respondBy: '2026-01-05T00:00:00.000Z',
};
const referred: CaseEvent = { type: 'ReferralRequested', data: referral };
const at = '2026-02-01T00:00:00.000Z';
const see = (events: CaseEvent[], when = at, agency: { agencyId: string; agencyKind: 'shelter' | 'law_enforcement' } = shelter) =>
  recipientView(foldCaseView(events, when)!, agency, when);

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
    const withdrawal: CaseEvent = {
      type: 'ConsentWithdrawn',
      data: { consentId: 'k-1', provisionIds: ['p-loc'], whole: false, recordedBy: 'u', withdrawnAt: '2026-01-20T00:00:00.000Z' },
    };
    const view = see([opened, consent(), referred, withdrawal])!;
    expect(view.personalData).toEqual({ identity: sealed('identity') });
    expect(view.withdrawn).toEqual([{ category: 'location', since: '2026-01-20T00:00:00.000Z', reason: 'withdrawn' }]);
  });

  it('lets an expiry take effect at the stated time, with nobody touching the case', () => {
    const events = [opened, consent('2026-01-25T00:00:00.000Z'), referred];
    expect(see(events, '2026-01-24T23:59:59.000Z')!.personalData).toHaveProperty('identity');
    const after = see(events, '2026-01-25T00:00:00.000Z')!;
    expect(after.personalData).not.toHaveProperty('identity');
    expect(after.withdrawn).toEqual([{ category: 'identity', since: '2026-01-25T00:00:00.000Z', reason: 'expired' }]);
  });

  it('says expired at validUntil when a later consent expires, not the withdrawal of an earlier one (issue 12, finding 3)', () => {
    const withdrawn: CaseEvent[] = [
      {
        type: 'ConsentWithdrawn',
        data: { consentId: 'k-1', provisionIds: ['p-id', 'p-loc'], whole: true, recordedBy: 'u', withdrawnAt: '2026-01-10T00:00:00.000Z' },
      },
      { type: 'ReferralWithdrawn', data: { referralId: 'r-1', cause: 'consent_withdrawn', by: 'u', at: '2026-01-10T00:00:00.000Z' } },
    ];
    const again = consentGiven({
      consentId: 'k-2',
      givenAt: '2026-01-11T00:00:00.000Z',
      provisions: [toShelter('p-id-2', ['identity'], { validFrom: '2026-01-11T00:00:00.000Z', validUntil: '2026-01-25T00:00:00.000Z' })],
    });
    const second: CaseEvent = {
      type: 'ReferralRequested',
      data: {
        ...referral,
        referralId: 'r-2',
        sharedCategories: ['identity'],
        legalBasis: [{ consentId: 'k-2', provisionId: 'p-id-2', category: 'identity' }],
        requestedAt: '2026-01-12T00:00:00.000Z',
      },
    };
    const events = [opened, consent(), referred, ...withdrawn, again, second];
    expect(see(events, '2026-01-24T00:00:00.000Z')!.personalData).toEqual({ identity: sealed('identity') });
    expect(see(events, '2026-01-26T00:00:00.000Z')!.withdrawn).toEqual([
      { category: 'identity', since: '2026-01-25T00:00:00.000Z', reason: 'expired' },
      { category: 'location', since: '2026-01-10T00:00:00.000Z', reason: 'withdrawn' },
    ]);
  });

  it('takes everything back, note included, once the agency declines or the referral is withdrawn', () => {
    const declined: CaseEvent = {
      type: 'ReferralDeclined',
      data: { referralId: 'r-1', by: 'u2', at: '2026-01-03T00:00:00.000Z', reason: 'no_capacity' },
    };
    const view = see([opened, consent(), referred, declined])!;
    expect(view.personalData).toEqual({});
    expect(view.referrals[0]!.note).toBeUndefined();
    expect(view.withdrawn.map((w) => w.reason)).toEqual(['referral_declined', 'referral_declined']);
  });
});

describe("recipientView: the interviewing agency's finding on its referral", () => {
  const accepted: CaseEvent = { type: 'ReferralAccepted', data: { referralId: 'r-1', by: 'u2', at: '2026-01-03T00:00:00.000Z' } };
  const found: CaseEvent = {
    type: 'IdentificationRecorded',
    data: { outcome: 'trafficked_person', agencyId: 'a-shelter', referralId: 'r-1', by: 'u2', at: '2026-01-04T00:00:00.000Z' },
  };

  it('shows the agency its finding while it holds the referral under live consent', () => {
    expect(see([opened, consent(), referred, accepted, found])!.referrals[0]!.identification).toBe('trafficked_person');
  });

  it('takes the finding back with the rest once the referral is withdrawn', () => {
    const withdrawn: CaseEvent = {
      type: 'ReferralWithdrawn',
      data: { referralId: 'r-1', by: 'u', at: '2026-01-05T00:00:00.000Z', cause: 'consent_withdrawn' },
    };
    expect(see([opened, consent(), referred, accepted, found, withdrawn])!.referrals[0]!.identification).toBeUndefined();
  });
});

describe("recipientSlice: what an agency's stored row holds", () => {
  const flagged: CaseEvent = {
    type: 'SafetyFlagRaised',
    data: { flag: 'location_must_not_be_shared', by: 'u', at: '2026-01-03T00:00:00.000Z' },
  };
  const record = (events: CaseEvent[]) => events.reduce<CaseRecord | undefined>(evolveCaseRecord, undefined)!;

  it('holds only the categories the agency may see, and reads back as the whole record does', () => {
    const events = [opened, consent(), referred];
    const slice = recipientSlice(record(events), shelter, at)!;
    expect(Object.keys(slice.personalData).sort()).toEqual(['identity', 'location']);
    expect(recipientView(slice, shelter, at)).toEqual(see(events));
  });

  it('withholds what a safety flag covers without saying a flag did it, in the row and in the view', () => {
    const slice = recipientSlice(record([opened, consent(), referred, flagged]), shelter, at)!;
    expect(Object.keys(slice.personalData)).toEqual(['identity']);
    expect(JSON.stringify(slice)).not.toContain('location_must_not_be_shared');
    const view = recipientView(slice, shelter, at)!;
    expect(view.personalData).toEqual({ identity: sealed('identity') });
    expect(view.withdrawn).toEqual([{ category: 'location', since: '2026-01-03T00:00:00.000Z', reason: 'withdrawn' }]);
  });

  it('drops a category at expiry when read, though the stored row was written before', () => {
    const slice = recipientSlice(record([opened, consent('2026-01-20T00:00:00.000Z'), referred]), shelter, '2026-01-02T00:00:00.000Z')!;
    expect(slice.personalData).toHaveProperty('identity');
    const view = recipientView(slice, shelter, at)!;
    expect(view.personalData).not.toHaveProperty('identity');
    expect(view.withdrawn).toContainEqual({ category: 'identity', since: '2026-01-20T00:00:00.000Z', reason: 'expired' });
  });
});

describe('recipientSlice, from the security review', () => {
  const record = (events: CaseEvent[]) => events.reduce<CaseRecord | undefined>(evolveCaseRecord, undefined)!;
  const child: CaseEvent = { ...opened, data: { ...opened.data, ageGroup: 'child' } };
  const guardianConsent = consentGiven({
    consentId: 'k-g',
    grantor: 'guardian',
    childAssent: true,
    provisions: [toShelter('p-g', ['identity', 'case_progress'])],
  });
  const childReferral: CaseEvent = {
    type: 'ReferralRequested',
    data: {
      ...referral,
      sharedCategories: ['identity', 'case_progress'],
      legalBasis: [
        { consentId: 'k-g', provisionId: 'p-g', category: 'identity' },
        { consentId: 'k-g', provisionId: 'p-g', category: 'case_progress' },
      ],
    },
  };
  const completed: CaseEvent = {
    type: 'ReferralCompleted',
    data: { referralId: 'r-1', by: 'u-s', at: '2026-01-04T00:00:00.000Z', outcome: sealed('outcome') },
  };
  const familyFlag: CaseEvent = {
    type: 'SafetyFlagRaised',
    data: { flag: 'family_involved_in_trafficking', by: 'u', at: '2026-01-06T00:00:00.000Z' },
  };

  it("keeps out a guardian's consent that a flag voids, so the stored row answers as the whole record does", () => {
    const events = [child, guardianConsent, childReferral, completed, familyFlag];
    const slice = recipientSlice(record(events), shelter, at)!;
    expect(slice.consents).toEqual([]);
    const view = recipientView(slice, shelter, at)!;
    expect(view.status).toBeUndefined();
    expect(view.personalData).toEqual({});
    expect(view).toEqual(see(events));
  });

  it("dates the row by what the agency may know of, not by the case's other events", () => {
    const interrupted: CaseEvent = { type: 'CaseInterrupted', data: { by: 'u', at: '2026-01-09T00:00:00.000Z', reason: 'lost_contact' } };
    const slice = recipientSlice(record([opened, consent(), referred, interrupted]), shelter, at)!;
    expect(slice.updatedAt).toBe(referral.requestedAt);
  });
});

describe('consentSubjectOfView', () => {
  const openedAs = (ageGroup: 'adult' | 'possibly_child'): CaseEvent =>
    ({ ...opened, data: { ...(opened.data as object), ageGroup } }) as CaseEvent;
  it('tells the policy a person who may be a child is treated as one, as the decider does', () =>
    expect(consentSubjectOfView(foldCaseView([openedAs('possibly_child'), consent(), referred], at)!).treatedAsChild).toBe(true));
  it('tells the policy an adult is an adult', () =>
    expect(consentSubjectOfView(foldCaseView([openedAs('adult'), consent(), referred], at)!).treatedAsChild).toBe(false));
});
