import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  permits, type BestInterestsDetermination, type ConsentProvision, type ConsentRecord, type ConsentSubject, type DisclosureGrant,
  type DisclosureRequest,
} from './permits.js';
import { SAFETY_FLAG_EFFECTS, SAFETY_FLAGS, type SafetyFlag } from './safety-flags.js';
import type { AgencyKind, DataCategory, Purpose, ServiceType } from './vocabulary.js';

const owner = { agencyId: 'a-social', agencyKind: 'government_social_service' } as const;
const shelter = { agencyId: 'a-shelter', agencyKind: 'shelter' } as const;
const police = { agencyId: 'a-police', agencyKind: 'law_enforcement' } as const;
const redCross = { agencyId: 'a-red-cross', agencyKind: 'red_cross_red_crescent' } as const;

const provision: ConsentProvision = {
  provisionId: 'p1', recipient: { agencyId: shelter.agencyId }, purpose: 'service_provision', serviceTypes: ['shelter'],
  categories: ['identity', 'safety'], validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-06-01T00:00:00Z',
};
const lawEnforcement: ConsentProvision = {
  provisionId: 'p-le', recipient: { agencyId: police.agencyId }, purpose: 'law_enforcement_report', serviceTypes: [],
  categories: ['identity'], validFrom: '2026-01-01T00:00:00Z',
};
const consent = (over: Partial<ConsentRecord> = {}): ConsentRecord => ({ consentId: 'c1', grantor: 'person', provisions: [provision], withdrawals: {}, ...over });
const guardianConsent = (over: Partial<ConsentRecord> = {}) => consent({ grantor: 'guardian', childAssent: true, ...over });
const { provisionId: _id, ...shelterGrant } = provision;
const determination = (over: Partial<BestInterestsDetermination> = {}): BestInterestsDetermination => ({
  determinationId: 'd1', decidedBy: 'u-caseworker', approvedBy: 'u-supervisor', approvedAt: '2026-01-10T00:00:00Z', scope: [shelterGrant], ...over,
});
const subject = (over: Partial<ConsentSubject> = {}): ConsentSubject => ({
  owningAgencyId: owner.agencyId, treatedAsChild: false, consents: [consent()], bestInterests: [], safetyFlags: [], erased: false, ...over,
});
const child = (over: Partial<ConsentSubject> = {}) => subject({ treatedAsChild: true, consents: [], ...over });
const request = (over: Partial<DisclosureRequest> = {}): DisclosureRequest => ({
  recipient: shelter, purpose: 'service_provision', serviceType: 'shelter', category: 'identity', at: '2026-02-01T00:00:00Z', ...over,
});
const toPolice = { recipient: police, purpose: 'law_enforcement_report', serviceType: undefined } as const;
const flagged = (...safetyFlags: SafetyFlag[]) => ({ safetyFlags });

type Row = [string, ConsentSubject, Partial<DisclosureRequest>, boolean];
const table = (rows: Row[]) =>
  it.each<Row>(rows)('%s', (_name, s, over, expected) => {
    expect(permits(s, request(over)).permitted).toBe(expected);
  });

describe('permits: consent provisions', () => {
  table([
    ['covered by a live provision', subject(), {}, true],
    ['no consent at all: deny by default', subject({ consents: [] }), {}, false],
    ['another agency', subject(), { recipient: { agencyId: 'a-other', agencyKind: 'shelter' } }, false],
    ['the named kind of agency', subject({ consents: [consent({ provisions: [{ ...provision, recipient: { agencyKind: 'shelter' } }] })] }), { recipient: { agencyId: 'a-any', agencyKind: 'shelter' } }, true],
    ['another kind of agency', subject({ consents: [consent({ provisions: [{ ...provision, recipient: { agencyKind: 'shelter' } }] })] }), { recipient: { agencyId: 'a-any', agencyKind: 'health' } }, false],
    ['another purpose', subject(), { purpose: 'legal_assistance', serviceType: undefined }, false],
    ['another service', subject(), { serviceType: 'medical' }, false],
    ['service_provision without a service type', subject(), { serviceType: undefined }, false],
    ['a category not agreed', subject(), { category: 'trafficking_experience' }, false],
    ['before the provision starts', subject(), { at: '2025-12-31T23:59:59Z' }, false],
    ['at the moment it expires', subject(), { at: '2026-06-01T00:00:00Z' }, false],
    ['after the whole consent was withdrawn', subject({ consents: [consent({ withdrawals: { p1: '2026-01-15T00:00:00Z' } })] }), {}, false],
    ['before the withdrawal took effect (history)', subject({ consents: [consent({ withdrawals: { p1: '2026-03-01T00:00:00Z' } })] }), {}, true],
    ['a partial withdrawal leaves the other provisions',
      subject({ consents: [consent({ provisions: [provision, { ...provision, provisionId: 'p2', serviceTypes: ['medical'] }], withdrawals: { p2: '2026-01-15T00:00:00Z' } })] }), {}, true],
    ['a partial withdrawal ends the provisions withdrawn',
      subject({ consents: [consent({ provisions: [provision, { ...provision, provisionId: 'p2', serviceTypes: ['medical'] }], withdrawals: { p2: '2026-01-15T00:00:00Z' } })] }), { serviceType: 'medical' }, false],
    ['a later consent re-grants after a withdrawal',
      subject({ consents: [consent({ withdrawals: { p1: '2026-01-15T00:00:00Z' } }), consent({ consentId: 'c2', provisions: [{ ...provision, provisionId: 'p2' }] })] }), {}, true],
  ]);

  it('names the consent and provision it relied on', () => {
    expect(permits(subject(), request())).toEqual({ permitted: true, basis: { kind: 'consent', consentId: 'c1', provisionId: 'p1' } });
  });

  it('says what is missing without naming anyone', () => {
    expect(permits(subject({ consents: [] }), request())).toEqual({
      permitted: false, rule: 'no_basis', reason: 'no live consent covers identity for service_provision (shelter) to this agency',
    });
  });
});

describe('permits: the owning agency and erasure', () => {
  table([
    ['the owner sees its own case without any consent', subject({ consents: [] }), { recipient: owner }, true],
    ['safety flags do not narrow the owner', subject(flagged(...SAFETY_FLAGS)), { recipient: owner, category: 'location' }, true],
    ['nobody sees an erased case, not even the owner', subject({ erased: true }), { recipient: owner }, false],
    ['an erased case permits nothing to a consented agency', subject({ erased: true }), {}, false],
  ]);

  it('gives the owner basis', () => {
    expect(permits(subject(), request({ recipient: owner }))).toEqual({ permitted: true, basis: { kind: 'owner' } });
    expect(permits(subject({ erased: true }), request({ recipient: owner }))).toMatchObject({ permitted: false, rule: 'erased' });
  });
});

describe('permits: law_enforcement_report', () => {
  table([
    ['an adult\'s provision for exactly that purpose, naming the agency', subject({ consents: [consent({ provisions: [lawEnforcement] })] }), toPolice, true],
    ['never implied by another purpose', subject({ consents: [consent({ provisions: [{ ...lawEnforcement, purpose: 'case_management' }] })] }), toPolice, false],
    ['never implied by a provision naming a kind of agency',
      subject({ consents: [consent({ provisions: [{ ...lawEnforcement, recipient: { agencyKind: 'law_enforcement' } }] })] }), toPolice, false],
    ['never to the Red Cross or Red Crescent, even if named',
      subject({ consents: [consent({ provisions: [{ ...lawEnforcement, recipient: { agencyId: redCross.agencyId } }] })] }), { ...toPolice, recipient: redCross }, false],
    ['never for a child on a guardian\'s consent alone', child({ consents: [guardianConsent({ provisions: [lawEnforcement] })] }), toPolice, false],
    ['for a child through an approved determination naming the agency', child({ bestInterests: [determination({ scope: [{ ...lawEnforcement }] })] }), toPolice, true],
    ['not through a determination naming a kind of agency',
      child({ bestInterests: [determination({ scope: [{ ...lawEnforcement, recipient: { agencyKind: 'law_enforcement' } }] })] }), toPolice, false],
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
    ['an adult\'s provision naming the agency', subject({ consents: [consent({ provisions: [safety] })] }), toPoliceForSafety, true],
    ['never a provision naming the kind of agency',
      subject({ consents: [consent({ provisions: [{ ...safety, recipient: { agencyKind: 'law_enforcement' } }] })] }), toPoliceForSafety, false],
    ['nor for prosecution', subject({ consents: [consent({ provisions: [{ ...safety, purpose: 'case_management', serviceTypes: [], recipient: { agencyKind: 'prosecution' } }] })] }),
      { recipient: prosecutor, purpose: 'case_management', serviceType: undefined }, false],
    ['never for a child on a guardian\'s consent, even naming the agency', child({ consents: [guardianConsent({ provisions: [safety] })] }), toPoliceForSafety, false],
    ['for a child through an approved determination naming the agency', child({ bestInterests: [determination({ scope: [safety] })] }), toPoliceForSafety, true],
  ]);
});

describe('permits: children', () => {
  table([
    ['a guardian\'s consent with the child\'s assent counts', child({ consents: [guardianConsent()] }), {}, true],
    ['a guardian\'s consent without the child\'s assent does not', child({ consents: [guardianConsent({ childAssent: false })] }), {}, false],
    ['a guardian\'s consent with assent unrecorded does not', child({ consents: [consent({ grantor: 'guardian' })] }), {}, false],
    ['the child\'s own consent does not replace the guardian\'s', child({ consents: [consent({ childAssent: true })] }), {}, false],
    ['an approved determination stands in for consent', child({ bestInterests: [determination()] }), {}, true],
    ['a determination approved by the person who decided it counts for nothing', child({ bestInterests: [determination({ approvedBy: 'u-caseworker' })] }), {}, false],
    ['a determination permits nothing before its approval', child({ bestInterests: [determination({ approvedAt: '2026-03-01T00:00:00Z' })] }), {}, false],
    ['a determination ends with its scope', child({ bestInterests: [determination()] }), { at: '2026-06-01T00:00:00Z' }, false],
    ['a determination covers only its scope', child({ bestInterests: [determination()] }), { category: 'health' }, false],
    ['a determination does not speak for an adult', subject({ consents: [], bestInterests: [determination()] }), {}, false],
  ]);

  it('names the determination it relied on, and prefers the guardian\'s consent', () => {
    expect(permits(child({ bestInterests: [determination()] }), request())).toEqual({ permitted: true, basis: { kind: 'best_interests', determinationId: 'd1' } });
    expect(permits(child({ consents: [guardianConsent()], bestInterests: [determination()] }), request()))
      .toEqual({ permitted: true, basis: { kind: 'consent', consentId: 'c1', provisionId: 'p1' } });
  });

  it('mentions determinations when denying for a child', () => {
    expect(permits(child(), request())).toMatchObject({
      rule: 'no_basis', reason: 'no live consent or approved best-interests determination covers identity for service_provision (shelter) to this agency',
    });
  });
});

describe('permits: safety flags', () => {
  const everything = consent({
    provisions: [
      { ...provision, provisionId: 'p-all', serviceTypes: ['shelter', 'family_tracing_and_reunification'], categories: ['identity', 'contact', 'location', 'family'], validUntil: undefined },
      { ...provision, provisionId: 'p-tracing', purpose: 'family_tracing', serviceTypes: [], categories: ['identity'] },
      { ...provision, provisionId: 'p-phone', purpose: 'phone_case_management', serviceTypes: [], categories: ['identity'] },
      { ...provision, provisionId: 'p-police', recipient: { agencyId: police.agencyId }, purpose: 'case_management', serviceTypes: [], categories: ['identity'] },
      lawEnforcement,
    ],
  });
  const s = (...flags: SafetyFlag[]) => subject({ consents: [everything], ...flagged(...flags) });
  table([
    ['location_must_not_be_shared withholds location', s('location_must_not_be_shared'), { category: 'location' }, false],
    ['location_must_not_be_shared withholds contact', s('location_must_not_be_shared'), { category: 'contact' }, false],
    ['location_must_not_be_shared leaves identity', s('location_must_not_be_shared'), {}, true],
    ['family_involved_in_trafficking withholds family data', s('family_involved_in_trafficking'), { category: 'family' }, false],
    ['family_involved_in_trafficking withholds family tracing', s('family_involved_in_trafficking'), { purpose: 'family_tracing', serviceType: undefined }, false],
    ['family_involved_in_trafficking withholds the tracing service', s('family_involved_in_trafficking'), { serviceType: 'family_tracing_and_reunification' }, false],
    ['family_involved_in_trafficking leaves other sharing', s('family_involved_in_trafficking'), { category: 'location' }, true],
    ['no_phone_contact withholds contact', s('no_phone_contact'), { category: 'contact' }, false],
    ['no_phone_contact withholds phone case management', s('no_phone_contact'), { purpose: 'phone_case_management', serviceType: undefined }, false],
    ['authorities_involved_in_trafficking withholds everything from law enforcement',
      s('authorities_involved_in_trafficking'), { recipient: police, purpose: 'case_management', serviceType: undefined }, false],
    ['authorities_involved_in_trafficking withholds a consented report', s('authorities_involved_in_trafficking'), toPolice, false],
    ['authorities_involved_in_trafficking leaves the shelter', s('authorities_involved_in_trafficking'), {}, true],
    ['lifting the flag restores consent', s(), { category: 'location' }, true],
    ['for a child, family_involved_in_trafficking voids the guardian\'s consent', child({ consents: [guardianConsent()], ...flagged('family_involved_in_trafficking') }), {}, false],
    ['for a child, a determination still permits under family_involved_in_trafficking',
      child({ consents: [guardianConsent()], bestInterests: [determination()], ...flagged('family_involved_in_trafficking') }), {}, true],
    ['a flag narrows a determination too', child({ bestInterests: [determination()], ...flagged('location_must_not_be_shared') }), { category: 'location' }, false],
  ]);

  it('says a flag withholds, without saying which risk the person faces', () => {
    expect(permits(s('family_involved_in_trafficking'), request({ category: 'family' }))).toEqual({
      permitted: false, rule: 'safety_flag', reason: 'a safety flag on the case withholds family for service_provision (shelter) from other agencies',
    });
  });
});

describe('permits: invariants', () => {
  const instant = fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z');
  const agencyId = fc.constantFrom('a1', 'a2', 'a3');
  const kind = fc.constantFrom<AgencyKind>('shelter', 'law_enforcement', 'red_cross_red_crescent', 'health');
  const purpose = fc.constantFrom<Purpose>('service_provision', 'family_tracing', 'law_enforcement_report', 'phone_case_management', 'case_management');
  const category = fc.constantFrom<DataCategory>('identity', 'contact', 'location', 'family');
  const service = fc.constantFrom<ServiceType>('shelter', 'family_tracing_and_reunification');
  // A small vocabulary, so that generated requests often meet generated grants.
  const arbGrant: fc.Arbitrary<DisclosureGrant> = fc.record({
    recipient: fc.oneof(fc.record({ agencyId }), fc.record({ agencyKind: kind })),
    purpose,
    serviceTypes: fc.subarray(['shelter', 'family_tracing_and_reunification'] as ServiceType[]),
    categories: fc.subarray(['identity', 'contact', 'location', 'family'] as DataCategory[], { minLength: 1 }),
    validFrom: instant,
    validUntil: fc.option(instant, { nil: undefined }),
  }).map(({ validUntil, ...grant }) => (validUntil === undefined ? grant : { ...grant, validUntil }));
  const arbConsent: fc.Arbitrary<ConsentRecord> = fc.record({
    consentId: fc.uuid(),
    grantor: fc.constantFrom('person', 'guardian'),
    childAssent: fc.option(fc.boolean(), { nil: undefined }),
    grants: fc.array(fc.tuple(fc.uuid(), arbGrant, fc.option(instant, { nil: undefined })), { minLength: 1, maxLength: 3 }),
  }).map(({ grants, childAssent, ...c }) => ({
    ...c,
    ...(childAssent === undefined ? {} : { childAssent }),
    provisions: grants.map(([provisionId, grant]) => ({ provisionId, ...grant })),
    withdrawals: Object.fromEntries(grants.flatMap(([provisionId, , at]) => (at ? [[provisionId, at]] : []))),
  }));
  const arbDetermination: fc.Arbitrary<BestInterestsDetermination> = fc.record({
    determinationId: fc.uuid(),
    decidedBy: fc.constantFrom('u1', 'u2'),
    approvedBy: fc.constantFrom('u1', 'u2'),
    approvedAt: instant,
    scope: fc.array(arbGrant, { minLength: 1, maxLength: 3 }),
  });
  const arbSubject: fc.Arbitrary<ConsentSubject> = fc.record({
    owningAgencyId: fc.constantFrom('a1', 'a2', 'a3', 'a4'),
    treatedAsChild: fc.boolean(),
    consents: fc.array(arbConsent, { maxLength: 3 }),
    bestInterests: fc.array(arbDetermination, { maxLength: 2 }),
    safetyFlags: fc.oneof(fc.constant([]), fc.subarray([...SAFETY_FLAGS])),
    erased: fc.constant(false),
  });
  const arbRequest: fc.Arbitrary<DisclosureRequest> = fc.record({
    recipient: fc.record({ agencyId, agencyKind: kind }),
    purpose,
    serviceType: fc.option(service, { nil: undefined }),
    category,
    at: instant,
  }).map(({ serviceType, ...r }) => (serviceType === undefined ? r : { ...r, serviceType }));
  // Half the requests aim at a grant of the subject, so that permits are common enough to test.
  const arbCase: fc.Arbitrary<[ConsentSubject, DisclosureRequest]> = arbSubject.chain((s) => {
    const grants = [...s.consents.flatMap((c) => c.provisions), ...s.bestInterests.flatMap((d) => d.scope)];
    if (grants.length === 0) return fc.tuple(fc.constant(s), arbRequest);
    const aimed = fc.tuple(fc.constantFrom(...grants), arbRequest, fc.nat()).map(([g, r, pick]): DisclosureRequest => ({
      ...r,
      recipient: 'agencyId' in g.recipient ? { ...r.recipient, agencyId: g.recipient.agencyId } : { ...r.recipient, agencyKind: g.recipient.agencyKind },
      purpose: g.purpose,
      ...(g.serviceTypes.length > 0 ? { serviceType: g.serviceTypes[pick % g.serviceTypes.length]! } : {}),
      category: g.categories[pick % g.categories.length]!,
    }));
    return fc.tuple(fc.constant(s), fc.oneof(arbRequest, aimed));
  });
  const permitted = (s: ConsentSubject, r: DisclosureRequest) => permits(s, r).permitted;
  // Rare combinations (a self-approved determination aimed at by a request for a child) need many runs.
  const runs = { numRuns: 2000 };

  it('the generators reach every basis and every denial that can arise', () => {
    const seen = new Set(fc.sample(arbCase, 3000).map(([s, r]) => {
      const decision = permits(s, r);
      return decision.permitted ? decision.basis.kind : decision.rule;
    }));
    expect([...seen].sort()).toEqual(['best_interests', 'consent', 'incomplete_request', 'judicial_cooperation', 'no_basis', 'owner', 'safety_flag']);
  });

  it('erasing a case permits nothing to anyone', () => {
    fc.assert(fc.property(arbCase, ([s, r]) => {
      expect(permits({ ...s, erased: true }, r)).toMatchObject({ permitted: false, rule: 'erased' });
    }), runs);
  });

  it('withdrawing a provision never widens access', () => {
    fc.assert(fc.property(arbCase.filter(([s]) => s.consents.length > 0), instant, fc.nat(), ([s, r], at, pick) => {
      const target = s.consents[pick % s.consents.length]!;
      const { provisionId } = target.provisions[pick % target.provisions.length]!;
      if (provisionId in target.withdrawals) return; // a provision is withdrawn once
      const after = { ...s, consents: s.consents.map((c) => (c === target ? { ...c, withdrawals: { ...c.withdrawals, [provisionId]: at } } : c)) };
      if (permitted(after, r)) expect(permitted(s, r)).toBe(true);
    }), runs);
  });

  it('raising a safety flag never widens access, and a raised flag is honoured for every other agency', () => {
    fc.assert(fc.property(arbCase, fc.constantFrom(...SAFETY_FLAGS), ([s, r], flag) => {
      const before = { ...s, safetyFlags: s.safetyFlags.filter((f) => f !== flag) };
      const after = { ...before, safetyFlags: [...before.safetyFlags, flag] };
      if (permitted(after, r)) expect(permitted(before, r)).toBe(true);
      const effect = SAFETY_FLAG_EFFECTS[flag];
      const hit = effect.categories?.includes(r.category) || effect.purposes?.includes(r.purpose) ||
        (r.serviceType && effect.serviceTypes?.includes(r.serviceType)) || effect.agencyKinds?.includes(r.recipient.agencyKind);
      if (hit && r.recipient.agencyId !== s.owningAgencyId) expect(permitted(after, r)).toBe(false);
    }), runs);
  });

  it('permits another agency only on a live provision or approved determination naming recipient, purpose, service and category', () => {
    fc.assert(fc.property(arbCase, ([s, r]) => {
      const decision = permits(s, r);
      if (!decision.permitted) return;
      const t = Date.parse(r.at);
      const names = (g: DisclosureGrant) =>
        ('agencyId' in g.recipient ? g.recipient.agencyId === r.recipient.agencyId : g.recipient.agencyKind === r.recipient.agencyKind) &&
        g.purpose === r.purpose && g.categories.includes(r.category) &&
        (r.purpose !== 'service_provision' || g.serviceTypes.includes(r.serviceType!)) &&
        Date.parse(g.validFrom) <= t && (g.validUntil === undefined || t < Date.parse(g.validUntil));
      switch (decision.basis.kind) {
        case 'owner':
          expect(r.recipient.agencyId).toBe(s.owningAgencyId);
          return;
        case 'consent': {
          const { consentId, provisionId } = decision.basis;
          const used = s.consents.find((c) => c.consentId === consentId)!;
          expect(names(used.provisions.find((p) => p.provisionId === provisionId)!)).toBe(true);
          const withdrawnAt = used.withdrawals[provisionId];
          expect(withdrawnAt === undefined || t < Date.parse(withdrawnAt)).toBe(true);
          if (s.treatedAsChild) expect(used).toMatchObject({ grantor: 'guardian', childAssent: true });
          return;
        }
        case 'best_interests': {
          const { determinationId } = decision.basis;
          const used = s.bestInterests.find((d) => d.determinationId === determinationId)!;
          expect(s.treatedAsChild).toBe(true);
          expect(used.approvedBy).not.toBe(used.decidedBy);
          expect(Date.parse(used.approvedAt)).toBeLessThanOrEqual(t);
          expect(used.scope.some(names)).toBe(true);
        }
      }
    }), runs);
  });

  /** Judicial cooperation is permitted only by a grant naming the agency, and for a child only by a determination. */
  const expectJudicialRules = (s: ConsentSubject, r: DisclosureRequest) => {
    const decision = permits(s, r);
    if (!decision.permitted || decision.basis.kind === 'owner') return;
    if (s.treatedAsChild) expect(decision.basis.kind).toBe('best_interests');
    const { basis } = decision;
    const grants: readonly DisclosureGrant[] = basis.kind === 'consent'
      ? s.consents.find((c) => c.consentId === basis.consentId)!.provisions.filter((p) => p.provisionId === basis.provisionId)
      : s.bestInterests.find((d) => d.determinationId === basis.determinationId)!.scope;
    expect(grants.some((g) => g.purpose === r.purpose && 'agencyId' in g.recipient && g.recipient.agencyId === r.recipient.agencyId)).toBe(true);
  };

  it('law_enforcement_report: never to the Red Cross, only by a grant naming the agency, for a child only by a determination', () => {
    fc.assert(fc.property(arbCase, ([s, req]) => {
      const r = { ...req, purpose: 'law_enforcement_report' as const };
      if (r.recipient.agencyKind === 'red_cross_red_crescent') expect(permits(s, r).permitted).toBe(false);
      expectJudicialRules(s, r);
    }), runs);
  });

  it('to a law-enforcement agency, for any purpose: only by a grant naming the agency, for a child only by a determination', () => {
    fc.assert(fc.property(arbCase, ([s, req]) => expectJudicialRules(s, { ...req, recipient: { agencyId: req.recipient.agencyId, agencyKind: 'law_enforcement' } })), runs);
  });

  it('a child\'s guardian consent never counts while family_involved_in_trafficking is raised', () => {
    fc.assert(fc.property(arbCase, ([s, r]) => {
      const decision = permits({ ...s, treatedAsChild: true, safetyFlags: ['family_involved_in_trafficking'] }, r);
      if (decision.permitted) expect(decision.basis.kind).not.toBe('consent');
    }), runs);
  });

  it('denial reasons name no agency, consent, provision, determination or person', () => {
    fc.assert(fc.property(arbCase, ([s, r]) => {
      const decision = permits(s, r);
      if (decision.permitted) return;
      const ids = [
        s.owningAgencyId, r.recipient.agencyId,
        ...s.consents.flatMap((c) => [c.consentId, ...c.provisions.map((p) => p.provisionId)]),
        ...s.bestInterests.flatMap((d) => [d.determinationId, d.decidedBy, d.approvedBy]),
      ];
      for (const id of ids) expect(decision.reason).not.toContain(id);
    }), runs);
  });
});
