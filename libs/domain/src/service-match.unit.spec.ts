import { describe, expect, it } from '@jest/globals';
import { type OfferFacts, ageRangeOf, directoryServiceFor, eligibilityGaps, eligibilityGapsOf, referralTarget } from './service-match.js';

const offer = (over: Partial<OfferFacts> = {}): OfferFacts => ({
  serviceId: 's-1',
  agencyActive: true,
  status: 'active',
  areas: ['Maiduguri'],
  eligibility: { sexes: [], childrenAccepted: true, languages: [] },
  ...over,
});

describe('referralTarget', () => {
  it('picks a service that is open and has room, with its only area', () =>
    expect(
      referralTarget(
        [
          offer({ serviceId: 's-full', capacity: { total: 4, available: 0 } }),
          offer({ serviceId: 's-2', capacity: { total: 4, available: 1 } }),
        ],
        'shelter',
      ),
    ).toEqual({ offer: expect.objectContaining({ serviceId: 's-2' }), area: 'Maiduguri' }));
  it('says why none can take the referral: not offered, inactive agency, closed, full', () => {
    expect(referralTarget([], 'shelter')).toEqual({
      kind: 'not_offered',
      serviceType: 'shelter',
      reason: 'the agency does not offer shelter',
    });
    expect(referralTarget([offer({ agencyActive: false })], 'shelter')).toMatchObject({ kind: 'agency_inactive' });
    expect(referralTarget([offer({ status: 'temporarily closed' })], 'shelter')).toEqual({
      kind: 'closed',
      serviceType: 'shelter',
      status: 'temporarily closed',
      reason: "the agency's shelter service is temporarily closed",
    });
    expect(referralTarget([offer({ capacity: { total: 12, available: 0 } })], 'shelter')).toEqual({
      kind: 'full',
      serviceType: 'shelter',
      capacity: { total: 12, available: 0 },
      reason: "the agency's shelter service is full (no places available)",
    });
  });
  it('honours the service and area the referrer named, matching areas without regard to case', () => {
    const two = [offer(), offer({ serviceId: 's-2', areas: ['Jere', 'Konduga'] })];
    expect(referralTarget(two, 'mhpss', { area: 'jere' })).toEqual({ offer: two[1], area: 'Jere' });
    expect(referralTarget(two, 'mhpss', { serviceId: 's-2' })).toEqual({ offer: two[1] });
    expect(referralTarget(two, 'mhpss', { area: 'Bama' })).toEqual({
      kind: 'not_offered',
      serviceType: 'mhpss',
      where: 'area',
      reason: 'the agency does not offer mhpss in the area named',
    });
    expect(referralTarget(two, 'mhpss', { serviceId: 's-9' })).toMatchObject({ kind: 'not_offered' });
  });
});

describe('eligibilityGaps', () => {
  const womenOnly = offer({ eligibility: { sexes: ['female'], minimumAge: 18, childrenAccepted: false, languages: ['ha', 'kr'] } });
  it('finds nothing to object to in an eligible person, or in what is unknown', () => {
    expect(eligibilityGaps(womenOnly, { treatedAsChild: false, sex: 'female', age: ageRangeOf('18-24'), languages: ['kr'] })).toEqual([]);
    expect(eligibilityGaps(womenOnly, { treatedAsChild: false })).toEqual([]);
  });
  it('names each gap', () =>
    expect(eligibilityGaps(womenOnly, { treatedAsChild: true, sex: 'male', age: ageRangeOf('15-17'), languages: ['fr'] })).toEqual([
      'does not accept children',
      'accepts female only',
      'minimum age 18',
      'no language in common',
    ]));
  it('gives each gap in codes with what the service accepts, in the order of its words', () =>
    expect(eligibilityGapsOf(womenOnly, { treatedAsChild: true, sex: 'male', age: ageRangeOf('15-17'), languages: ['fr'] })).toEqual([
      { rule: 'children' },
      { rule: 'sex', accepted: ['female'] },
      { rule: 'minimum_age', age: 18 },
      { rule: 'language', accepted: ['ha', 'kr'] },
    ]));
  it('reads age bands', () => {
    expect(ageRangeOf('60+')).toEqual({ from: 60 });
    expect(ageRangeOf('unknown')).toBeUndefined();
    expect(
      eligibilityGaps(offer({ eligibility: { sexes: [], maximumAge: 59, childrenAccepted: true, languages: [] } }), {
        treatedAsChild: false,
        age: ageRangeOf('60+'),
      }),
    ).toEqual(['maximum age 59']);
  });
});

describe('directoryServiceFor', () => {
  it('maps purposes delivered as a directory service, and no others', () => {
    expect(directoryServiceFor('service_provision', 'shelter')).toBe('shelter');
    expect(directoryServiceFor('legal_assistance', undefined)).toBe('legal_assistance');
    expect(directoryServiceFor('family_tracing', undefined)).toBe('family_tracing_and_reunification');
    expect(directoryServiceFor('case_management', undefined)).toBeUndefined();
    expect(directoryServiceFor('law_enforcement_report', undefined)).toBeUndefined();
  });
});
