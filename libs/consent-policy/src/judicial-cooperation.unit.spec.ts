import { describe, expect, it } from '@jest/globals';
import { type BasisNeeded, basisNeeded, basisNeededInWords, judicialServiceRefusal, mayOffer } from './judicial-cooperation.js';
import type { AgencyKind, Purpose } from './vocabulary.js';

const police = { agencyId: 'a-police', agencyKind: 'law_enforcement' } as const;
const shelter = { agencyId: 'a-shelter', agencyKind: 'shelter' } as const;
const redCross = { agencyId: 'a-red-cross', agencyKind: 'red_cross_red_crescent' } as const;

describe('basisNeeded', () => {
  it.each<[string, Purpose, { agencyId: string; agencyKind: AgencyKind }, boolean, BasisNeeded]>([
    ['an adult, for a service', 'service_provision', shelter, false, { consent: 'any', bestInterests: false, namedAgency: false }],
    [
      'a child, for a service',
      'service_provision',
      shelter,
      true,
      { consent: 'guardian_with_child_assent', bestInterests: true, namedAgency: false },
    ],
    [
      'an adult, a report to law enforcement',
      'law_enforcement_report',
      police,
      false,
      { consent: 'any', bestInterests: false, namedAgency: true },
    ],
    [
      'a child, a report to law enforcement',
      'law_enforcement_report',
      police,
      true,
      { consent: 'none', bestInterests: true, namedAgency: true },
    ],
    [
      'an adult, a service from the police',
      'service_provision',
      police,
      false,
      { consent: 'any', bestInterests: false, namedAgency: true },
    ],
    ['a child, a service from the police', 'service_provision', police, true, { consent: 'none', bestInterests: true, namedAgency: true }],
    [
      'an adult, a service from the Red Cross',
      'service_provision',
      redCross,
      false,
      { consent: 'any', bestInterests: false, namedAgency: false },
    ],
  ])('%s', (_name, purpose, recipient, child, expected) => expect(basisNeeded(purpose, recipient, child)).toEqual(expected));

  it("refuses a report to law enforcement through the Red Cross, whatever the person's age", () =>
    expect(basisNeeded('law_enforcement_report', redCross, false)).toMatchObject({
      refusal: 'Red Cross and Red Crescent members do not take part in judicial cooperation',
      consent: 'none',
      bestInterests: false,
    }));

  it('counts a grant naming an agency by id by its purpose alone', () =>
    expect(basisNeeded('service_provision', { agencyId: police.agencyId }, false)).toMatchObject({ namedAgency: false }));
});

describe('basisNeededInWords', () => {
  const inWords = (kind: AgencyKind, child: boolean) => basisNeededInWords(basisNeeded('service_provision', { agencyKind: kind }, child));
  it('asks an adult for consent', () => expect(inWords('shelter', false)).toBe("the person's consent"));
  it('asks an adult for explicit consent naming a law-enforcement agency', () =>
    expect(inWords('law_enforcement', false)).toBe("the person's explicit consent naming the agency"));
  it("asks for a child's guardian with the child's assent, or a determination", () =>
    expect(inWords('shelter', true)).toBe("a guardian's consent with the child's assent, or an approved best-interests determination,"));
  it('asks for a determination naming a law-enforcement agency for a child', () =>
    expect(inWords('law_enforcement', true)).toBe('an approved best-interests determination naming the agency,'));
  it('has no words for what nothing can permit', () =>
    expect(basisNeededInWords(basisNeeded('law_enforcement_report', redCross, false))).toBeUndefined());
});

describe('mayOffer', () => {
  it.each<[AgencyKind, Parameters<typeof mayOffer>[1], boolean]>([
    ['law_enforcement', 'personal_safety', true],
    ['law_enforcement', 'in_depth_interview', false],
    ['prosecution', 'legal_assistance', false],
    ['shelter', 'in_depth_interview', true],
    ['health', 'personal_safety', true],
  ])('a %s agency may offer %s: %s', (kind, serviceType, expected) => expect(mayOffer(kind, serviceType)).toBe(expected));

  it('says why a judicial agency offers no other service', () =>
    expect(judicialServiceRefusal('law_enforcement', 'in_depth_interview')).toBe(
      'a law enforcement agency does not offer in depth interview through the network: data reaching it is judicial cooperation',
    ));
});
