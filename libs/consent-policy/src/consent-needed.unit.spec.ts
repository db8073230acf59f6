import { describe, expect, it } from '@jest/globals';
import { consentNeeded, consentNeededInWords } from './consent-needed.js';
import type { PolicyDecision } from './permits.js';
import type { DataCategory } from './vocabulary.js';

const shelter = { agencyId: 'a-shelter', agencyKind: 'shelter' } as const;
const police = { agencyId: 'a-police', agencyKind: 'law_enforcement' } as const;
const noBasis: PolicyDecision = { permitted: false, rule: 'no_basis', reason: 'no live consent covers it' };
const flagged: PolicyDecision = { permitted: false, rule: 'safety_flag', reason: 'withheld by a safety flag' };
const missing = (...entries: Array<[DataCategory, PolicyDecision]>) => entries.map(([category, decision]) => ({ category, decision }));

describe('consentNeeded', () => {
  it('asks an adult for their consent to share what is missing with the agency, for the service', () => {
    const needed = consentNeeded(shelter, 'service_provision', 'shelter', missing(['identity', noBasis], ['safety', noBasis]), false);
    expect(needed).toEqual({
      recipient: shelter,
      purpose: 'service_provision',
      serviceType: 'shelter',
      categories: ['identity', 'safety'],
      consent: 'any',
      bestInterests: false,
      namedAgency: false,
      refused: false,
      withheldBySafetyFlag: [],
    });
    expect(consentNeededInWords(needed, 'Safe Haven')).toBe(
      "the person's consent to share identity, safety with Safe Haven for service_provision (shelter)",
    );
  });

  it("asks for a guardian's consent with the child's assent for a child", () => {
    const needed = consentNeeded(shelter, 'service_provision', 'shelter', missing(['identity', noBasis]), true);
    expect(needed).toMatchObject({ consent: 'guardian_with_child_assent', bestInterests: true, namedAgency: false });
    expect(consentNeededInWords(needed, 'Safe Haven')).toBe(
      "a guardian's consent with the child's assent, or an approved best-interests determination, to share identity with Safe Haven for service_provision (shelter)",
    );
  });

  it('says a law-enforcement agency must be named', () =>
    expect(consentNeeded(police, 'service_provision', 'personal_safety', missing(['identity', noBasis]), false)).toMatchObject({
      consent: 'any',
      namedAgency: true,
    }));

  it('names apart what a safety flag withholds, which no consent releases', () => {
    const needed = consentNeeded(shelter, 'service_provision', 'shelter', missing(['identity', noBasis], ['location', flagged]), false);
    expect(needed).toMatchObject({ categories: ['identity'], withheldBySafetyFlag: ['location'] });
    expect(consentNeededInWords(needed, 'Safe Haven')).toBe(
      "the person's consent to share identity with Safe Haven for service_provision (shelter); location withheld by a safety flag on the case",
    );
  });

  it('has only the safety flag to say when nothing else is missing', () =>
    expect(consentNeededInWords(consentNeeded(shelter, 'service_provision', 'shelter', missing(['location', flagged]), false), 'X')).toBe(
      'location withheld by a safety flag on the case',
    ));

  it('marks what nothing can permit, and asks for nothing', () => {
    const redCross = { agencyId: 'a-rc', agencyKind: 'red_cross_red_crescent' } as const;
    const needed = consentNeeded(redCross, 'law_enforcement_report', undefined, missing(['identity', noBasis]), false);
    expect(needed).toMatchObject({ refused: true, categories: ['identity'] });
    expect(consentNeededInWords(needed, 'Red Cross')).toBe('');
  });
});
