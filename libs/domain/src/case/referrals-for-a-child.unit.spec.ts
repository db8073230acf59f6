import { describe, it } from '@jest/globals';
import type { CaseEvent } from '../events.js';
import {
  determined,
  flagRaised,
  guardianConsented,
  lawEnforcement,
  opened,
  police,
  proposed,
  referralData,
  referred,
  rejectedDetermination,
  requestShelter,
  spec,
  t3,
} from './testing/fixtures.js';

describe('RequestReferral for a child', () => {
  const byDetermination = (categories = ['identity', 'safety'] as const): CaseEvent => ({
    type: 'ReferralRequested',
    data: { ...referralData, legalBasis: categories.map((category) => ({ category, determinationId: 'd-1' })) },
  });
  const { provisionId: _le, ...report } = { ...lawEnforcement, validUntil: t3 };
  const toPolice = requestShelter({
    recipient: { agencyId: police.agencyId, agencyKind: 'law_enforcement' },
    purpose: 'law_enforcement_report',
    serviceType: undefined,
    sharedCategories: ['identity'],
  });
  it("relies on a guardian's consent given with the child's assent", () =>
    spec
      .given([opened('child'), guardianConsented()])
      .when(requestShelter())
      .then([referred]));
  it('is refused when the child did not assent', () =>
    spec
      .given([opened('child'), guardianConsented({ childAssent: false })])
      .when(requestShelter())
      .thenThrows({
        kind: 'consent_required',
        message:
          'no live consent or approved best-interests determination covers sharing identity, safety with this agency for service_provision (shelter)',
      }));
  it('relies on an approved best-interests determination instead', () =>
    spec
      .given([opened('child'), proposed(), determined])
      .when(requestShelter())
      .then([byDetermination()]));
  it('is refused on a determination only proposed', () =>
    spec
      .given([opened('child'), proposed()])
      .when(requestShelter())
      .thenThrows({ kind: 'consent_required' }));
  it('is refused on a rejected determination', () =>
    spec
      .given([opened('child'), proposed(), rejectedDetermination])
      .when(requestShelter())
      .thenThrows({ kind: 'consent_required' }));
  it('reports to a named law-enforcement agency through a determination', () =>
    spec
      .given([opened('child'), proposed({ scope: [report] }), determined])
      .when(toPolice)
      .then([
        {
          type: 'ReferralRequested',
          data: {
            ...referralData,
            toAgencyId: police.agencyId,
            toAgencyKind: 'law_enforcement',
            purpose: 'law_enforcement_report',
            serviceType: undefined,
            sharedCategories: ['identity'],
            legalBasis: [{ category: 'identity', determinationId: 'd-1' }],
          },
        },
      ]));
  it("never reports to law enforcement on a guardian's consent", () =>
    spec
      .given([opened('child'), guardianConsented({ provisions: [lawEnforcement] })])
      .when(toPolice)
      .thenThrows({ kind: 'consent_required' }));
  it('no longer relies on the guardian while the family may be involved', () =>
    spec
      .given([opened('child'), guardianConsented(), flagRaised('family_involved_in_trafficking')])
      .when(requestShelter())
      .thenThrows({ kind: 'consent_required' }));
  it('still relies on a determination while the family may be involved', () =>
    spec
      .given([opened('child'), guardianConsented(), flagRaised('family_involved_in_trafficking'), proposed(), determined])
      .when(requestShelter())
      .then([byDetermination()]));
});
