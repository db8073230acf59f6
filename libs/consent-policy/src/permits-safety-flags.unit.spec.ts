import { describe, expect, it } from '@jest/globals';
import { permits } from './permits.js';
import type { SafetyFlag } from './safety-flags.js';
import {
  child,
  consent,
  determination,
  flagged,
  guardianConsent,
  lawEnforcement,
  police,
  provision,
  request,
  subject,
  table,
  toPolice,
} from './testing/permits-fixtures.js';

describe('permits: safety flags', () => {
  const everything = consent({
    provisions: [
      {
        ...provision,
        provisionId: 'p-all',
        serviceTypes: ['shelter', 'family_tracing_and_reunification'],
        categories: ['identity', 'contact', 'location', 'family'],
        validUntil: undefined,
      },
      { ...provision, provisionId: 'p-tracing', purpose: 'family_tracing', serviceTypes: [], categories: ['identity'] },
      { ...provision, provisionId: 'p-phone', purpose: 'phone_case_management', serviceTypes: [], categories: ['identity'] },
      {
        ...provision,
        provisionId: 'p-police',
        recipient: { agencyId: police.agencyId },
        purpose: 'case_management',
        serviceTypes: [],
        categories: ['identity'],
      },
      lawEnforcement,
    ],
  });
  const s = (...flags: SafetyFlag[]) => subject({ consents: [everything], ...flagged(...flags) });
  table([
    ['location_must_not_be_shared withholds location', s('location_must_not_be_shared'), { category: 'location' }, false],
    ['location_must_not_be_shared withholds contact', s('location_must_not_be_shared'), { category: 'contact' }, false],
    ['location_must_not_be_shared leaves identity', s('location_must_not_be_shared'), {}, true],
    ['family_involved_in_trafficking withholds family data', s('family_involved_in_trafficking'), { category: 'family' }, false],
    [
      'family_involved_in_trafficking withholds family tracing',
      s('family_involved_in_trafficking'),
      { purpose: 'family_tracing', serviceType: undefined },
      false,
    ],
    [
      'family_involved_in_trafficking withholds the tracing service',
      s('family_involved_in_trafficking'),
      { serviceType: 'family_tracing_and_reunification' },
      false,
    ],
    ['family_involved_in_trafficking leaves other sharing', s('family_involved_in_trafficking'), { category: 'location' }, true],
    ['no_phone_contact withholds contact', s('no_phone_contact'), { category: 'contact' }, false],
    [
      'no_phone_contact withholds phone case management',
      s('no_phone_contact'),
      { purpose: 'phone_case_management', serviceType: undefined },
      false,
    ],
    [
      'authorities_involved_in_trafficking withholds everything from law enforcement',
      s('authorities_involved_in_trafficking'),
      { recipient: police, purpose: 'case_management', serviceType: undefined },
      false,
    ],
    ['authorities_involved_in_trafficking withholds a consented report', s('authorities_involved_in_trafficking'), toPolice, false],
    ['authorities_involved_in_trafficking leaves the shelter', s('authorities_involved_in_trafficking'), {}, true],
    ['lifting the flag restores consent', s(), { category: 'location' }, true],
    [
      "for a child, family_involved_in_trafficking voids the guardian's consent",
      child({ consents: [guardianConsent()], ...flagged('family_involved_in_trafficking') }),
      {},
      false,
    ],
    [
      'for a child, a determination still permits under family_involved_in_trafficking',
      child({ consents: [guardianConsent()], bestInterests: [determination()], ...flagged('family_involved_in_trafficking') }),
      {},
      true,
    ],
    [
      'a flag narrows a determination too',
      child({ bestInterests: [determination()], ...flagged('location_must_not_be_shared') }),
      { category: 'location' },
      false,
    ],
  ]);

  it('says a flag withholds, without saying which risk the person faces', () => {
    expect(permits(s('family_involved_in_trafficking'), request({ category: 'family' }))).toEqual({
      permitted: false,
      rule: 'safety_flag',
      reason: 'a safety flag on the case withholds family for service_provision (shelter) from other agencies',
    });
  });
});
