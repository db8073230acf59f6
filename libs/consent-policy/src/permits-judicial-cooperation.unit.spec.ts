import { describe, expect, it } from '@jest/globals';
import { permits } from './permits.js';
import {
  child,
  consent,
  determination,
  guardianConsent,
  lawEnforcement,
  police,
  redCross,
  request,
  subject,
  table,
  toPolice,
} from './testing/permits-fixtures.js';

describe('permits: law_enforcement_report', () => {
  table([
    [
      "an adult's provision for exactly that purpose, naming the agency",
      subject({ consents: [consent({ provisions: [lawEnforcement] })] }),
      toPolice,
      true,
    ],
    [
      'never implied by another purpose',
      subject({ consents: [consent({ provisions: [{ ...lawEnforcement, purpose: 'case_management' }] })] }),
      toPolice,
      false,
    ],
    [
      'never implied by a provision naming a kind of agency',
      subject({ consents: [consent({ provisions: [{ ...lawEnforcement, recipient: { agencyKind: 'law_enforcement' } }] })] }),
      toPolice,
      false,
    ],
    [
      'never to the Red Cross or Red Crescent, even if named',
      subject({ consents: [consent({ provisions: [{ ...lawEnforcement, recipient: { agencyId: redCross.agencyId } }] })] }),
      { ...toPolice, recipient: redCross },
      false,
    ],
    [
      "never for a child on a guardian's consent alone",
      child({ consents: [guardianConsent({ provisions: [lawEnforcement] })] }),
      toPolice,
      false,
    ],
    [
      'for a child through an approved determination naming the agency',
      child({ bestInterests: [determination({ scope: [{ ...lawEnforcement }] })] }),
      toPolice,
      true,
    ],
    [
      'not through a determination naming a kind of agency',
      child({ bestInterests: [determination({ scope: [{ ...lawEnforcement, recipient: { agencyKind: 'law_enforcement' } }] })] }),
      toPolice,
      false,
    ],
  ]);

  it('says judicial cooperation is the rule that denied', () => {
    expect(permits(subject(), request({ ...toPolice, recipient: redCross }))).toMatchObject({ rule: 'judicial_cooperation' });
  });
});

describe('permits: anything to a law-enforcement or prosecution agency is judicial cooperation, whatever the purpose', () => {
  const safety = { ...lawEnforcement, purpose: 'service_provision', serviceTypes: ['personal_safety'] } as const;
  const toPoliceForSafety = { recipient: police, purpose: 'service_provision', serviceType: 'personal_safety' } as const;
  const prosecutor = { agencyId: 'a-prosecutor', agencyKind: 'prosecution' } as const;
  table([
    ["an adult's provision naming the agency", subject({ consents: [consent({ provisions: [safety] })] }), toPoliceForSafety, true],
    [
      'never a provision naming the kind of agency',
      subject({ consents: [consent({ provisions: [{ ...safety, recipient: { agencyKind: 'law_enforcement' } }] })] }),
      toPoliceForSafety,
      false,
    ],
    [
      'nor for prosecution',
      subject({
        consents: [
          consent({ provisions: [{ ...safety, purpose: 'case_management', serviceTypes: [], recipient: { agencyKind: 'prosecution' } }] }),
        ],
      }),
      { recipient: prosecutor, purpose: 'case_management', serviceType: undefined },
      false,
    ],
    [
      "never for a child on a guardian's consent, even naming the agency",
      child({ consents: [guardianConsent({ provisions: [safety] })] }),
      toPoliceForSafety,
      false,
    ],
    [
      'for a child through an approved determination naming the agency',
      child({ bestInterests: [determination({ scope: [safety] })] }),
      toPoliceForSafety,
      true,
    ],
  ]);
});
