import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { permits, type ConsentProvision, type ConsentRecord, type DisclosureRequest } from './permits.js';
import { AGENCY_KINDS, DATA_CATEGORIES, PURPOSES, SERVICE_TYPES } from './vocabulary.js';

const shelter = { agencyId: 'a-shelter', agencyKind: 'shelter' } as const;
const provision: ConsentProvision = {
  provisionId: 'p1', recipient: { agencyId: 'a-shelter' }, purpose: 'service_provision', serviceTypes: ['shelter'],
  categories: ['identity', 'safety'], validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-06-01T00:00:00Z',
};
const consent = (over: Partial<ConsentRecord> = {}): ConsentRecord => ({ consentId: 'c1', provisions: [provision], withdrawals: {}, ...over });
const request = (over: Partial<DisclosureRequest> = {}): DisclosureRequest => ({
  recipient: shelter, purpose: 'service_provision', serviceType: 'shelter', category: 'identity', at: '2026-02-01T00:00:00Z', ...over,
});

describe('permits', () => {
  it.each<[string, ConsentRecord[], Partial<DisclosureRequest>, boolean]>([
    ['covered by a live provision', [consent()], {}, true],
    ['no consent at all: deny by default', [], {}, false],
    ['another agency', [consent()], { recipient: { agencyId: 'a-other', agencyKind: 'shelter' } }, false],
    ['the named kind of agency', [consent({ provisions: [{ ...provision, recipient: { agencyKind: 'shelter' } }] })], { recipient: { agencyId: 'a-any', agencyKind: 'shelter' } }, true],
    ['another kind of agency', [consent({ provisions: [{ ...provision, recipient: { agencyKind: 'shelter' } }] })], { recipient: { agencyId: 'a-any', agencyKind: 'health' } }, false],
    ['another purpose', [consent()], { purpose: 'legal_assistance', serviceType: undefined }, false],
    ['law enforcement is never implied by another purpose', [consent()], { purpose: 'law_enforcement_report', serviceType: undefined }, false],
    ['another service', [consent()], { serviceType: 'medical' }, false],
    ['service_provision without a service type', [consent()], { serviceType: undefined }, false],
    ['a category not agreed', [consent()], { category: 'trafficking_experience' }, false],
    ['before the provision starts', [consent()], { at: '2025-12-31T23:59:59Z' }, false],
    ['at the moment it expires', [consent()], { at: '2026-06-01T00:00:00Z' }, false],
    ['after withdrawal', [consent({ withdrawals: { p1: '2026-01-15T00:00:00Z' } })], {}, false],
    ['before the withdrawal took effect (history)', [consent({ withdrawals: { p1: '2026-03-01T00:00:00Z' } })], {}, true],
    ['a later consent re-grants after a withdrawal', [consent({ withdrawals: { p1: '2026-01-15T00:00:00Z' } }), consent({ consentId: 'c2', provisions: [{ ...provision, provisionId: 'p2' }] })], {}, true],
  ])('%s', (_name, consents, over, expected) => {
    expect(permits(consents, request(over)).permitted).toBe(expected);
  });

  it('names the consent and provision it relied on', () => {
    expect(permits([consent()], request())).toEqual({ permitted: true, basis: { consentId: 'c1', provisionId: 'p1' } });
  });

  it('says what is missing without naming anyone', () => {
    const decision = permits([], request());
    expect(decision).toEqual({ permitted: false, reason: 'no live consent covers identity for service_provision (shelter) to this agency' });
  });
});

describe('permits: invariants', () => {
  const instant = fc.integer({ min: Date.parse('2026-01-01'), max: Date.parse('2027-01-01') }).map((t) => new Date(t).toISOString());
  const arbProvision = fc.record({
    provisionId: fc.uuid(),
    recipient: fc.oneof(fc.record({ agencyId: fc.constantFrom('a1', 'a2', 'a3') }), fc.record({ agencyKind: fc.constantFrom(...AGENCY_KINDS) })),
    purpose: fc.constantFrom(...PURPOSES),
    serviceTypes: fc.subarray([...SERVICE_TYPES]),
    categories: fc.subarray([...DATA_CATEGORIES], { minLength: 1 }),
    validFrom: instant,
    validUntil: fc.option(instant, { nil: undefined }),
  }).map(({ validUntil, ...p }) => (validUntil === undefined ? p : { ...p, validUntil })) as fc.Arbitrary<ConsentProvision>;
  const arbConsent = fc.record({ consentId: fc.uuid(), provisions: fc.array(arbProvision, { minLength: 1, maxLength: 4 }) })
    .map((c): ConsentRecord => ({ ...c, withdrawals: {} }));
  const arbRequest = fc.record({
    recipient: fc.record({ agencyId: fc.constantFrom('a1', 'a2', 'a3'), agencyKind: fc.constantFrom(...AGENCY_KINDS) }),
    purpose: fc.constantFrom(...PURPOSES),
    serviceType: fc.constantFrom(...SERVICE_TYPES),
    category: fc.constantFrom(...DATA_CATEGORIES),
    at: instant,
  }) as fc.Arbitrary<DisclosureRequest>;

  it('never permits without a provision naming recipient, purpose and category', () => {
    fc.assert(fc.property(fc.array(arbConsent, { maxLength: 3 }), arbRequest, (consents, req) => {
      const decision = permits(consents, req);
      if (!decision.permitted) return;
      const used = consents.find((c) => c.consentId === decision.basis.consentId)!.provisions.find((p) => p.provisionId === decision.basis.provisionId)!;
      expect(used.purpose).toBe(req.purpose);
      expect(used.categories).toContain(req.category);
      expect('agencyId' in used.recipient ? used.recipient.agencyId === req.recipient.agencyId : used.recipient.agencyKind === req.recipient.agencyKind).toBe(true);
    }));
  });

  it('withdrawing a provision never widens access', () => {
    fc.assert(fc.property(fc.array(arbConsent, { minLength: 1, maxLength: 3 }), arbRequest, instant, fc.nat(), (consents, req, at, pick) => {
      const target = consents[pick % consents.length]!;
      const provision = target.provisions[pick % target.provisions.length]!;
      const after = consents.map((c) => (c === target ? { ...c, withdrawals: { ...c.withdrawals, [provision.provisionId]: at } } : c));
      if (!permits(consents, req).permitted) expect(permits(after, req).permitted).toBe(false);
    }));
  });

  it('law_enforcement_report is granted only by a provision for that very purpose', () => {
    fc.assert(fc.property(fc.array(arbConsent, { maxLength: 3 }), arbRequest, (consents, req) => {
      const withoutLe = consents.map((c) => ({ ...c, provisions: c.provisions.filter((p) => p.purpose !== 'law_enforcement_report') }));
      expect(permits(withoutLe, { ...req, purpose: 'law_enforcement_report' }).permitted).toBe(false);
    }));
  });
});
