import { describe, expect, it } from '@jest/globals';
import { permits } from '../../../consent-policy/index.js';
import { evolve } from './evolve.js';
import { consentSubject, consentSubjectOf } from './policy.js';
import { type ExistingCase, initialState } from './state.js';
import {
  consented,
  determined,
  flagLifted,
  flagRaised,
  guardianConsented,
  opened,
  owner,
  proposed,
  scope,
  shelter,
  shelterProvision,
  supervisor,
  t1,
  t3,
} from './testing/fixtures.js';
import type { CaseEvent } from '../events.js';

const stateAfter = (events: CaseEvent[]) => events.reduce(evolve, initialState()) as ExistingCase;

describe('consentSubjectOf', () => {
  it('gives the policy the consents, the approved determinations only and the raised flags', () => {
    const state = stateAfter([
      opened('child'),
      guardianConsented(),
      proposed(),
      determined,
      proposed({ determinationId: 'd-2' }),
      flagRaised('no_phone_contact'),
      flagRaised('location_must_not_be_shared'),
      flagLifted('no_phone_contact'),
    ]);
    expect(consentSubjectOf(state)).toEqual({
      owningAgencyId: owner.agencyId,
      treatedAsChild: true,
      consents: [
        {
          consentId: 'c-1',
          grantor: 'guardian',
          childAssent: true,
          provisions: [shelterProvision],
          withdrawals: {},
          given: expect.anything(),
        },
      ],
      bestInterests: [{ determinationId: 'd-1', decidedBy: owner.userId, approvedBy: supervisor.userId, approvedAt: t1, scope }],
      safetyFlags: ['location_must_not_be_shared'],
      erased: false,
    });
  });

  it('tells the policy an erased case is erased, so it permits nothing', () => {
    const erased: CaseEvent = {
      type: 'CaseErased',
      data: { requestId: 'e-1', reason: 'person_requested', requestedBy: supervisor.userId, by: owner.userId, at: t3 },
    };
    const subject = consentSubjectOf(stateAfter([opened(), consented(), erased]));
    expect(subject.erased).toBe(true);
    expect(
      permits(subject, { recipient: shelter, purpose: 'service_provision', serviceType: 'shelter', category: 'identity', at: t3 })
        .permitted,
    ).toBe(false);
  });
});

describe('consentSubject', () => {
  const facts = { owningAgencyId: owner.agencyId, consents: [], bestInterests: [], safetyFlags: [], erased: false };
  it.each(['child', 'claims_to_be_child', 'possibly_child'] as const)("treats a case of age group %s as a child's", (ageGroup) =>
    expect(consentSubject({ ...facts, ageGroup }).treatedAsChild).toBe(true),
  );
  it("treats an adult's case as an adult's", () => expect(consentSubject({ ...facts, ageGroup: 'adult' }).treatedAsChild).toBe(false));
});
