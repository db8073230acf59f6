import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  permits,
  type BestInterestsDetermination,
  type ConsentRecord,
  type ConsentSubject,
  type DisclosureGrant,
  type DisclosureRequest,
} from './permits.js';
import { SAFETY_FLAG_EFFECTS, SAFETY_FLAGS } from './safety-flags.js';
import type { AgencyKind, DataCategory, Purpose, ServiceType } from './vocabulary.js';

describe('permits: invariants', () => {
  const instant = fc.constantFrom(
    '2026-01-01T00:00:00.000Z',
    '2026-02-01T00:00:00.000Z',
    '2026-03-01T00:00:00.000Z',
    '2026-04-01T00:00:00.000Z',
  );
  const agencyId = fc.constantFrom('a1', 'a2', 'a3');
  const kind = fc.constantFrom<AgencyKind>('shelter', 'law_enforcement', 'red_cross_red_crescent', 'health');
  const purpose = fc.constantFrom<Purpose>(
    'service_provision',
    'family_tracing',
    'law_enforcement_report',
    'phone_case_management',
    'case_management',
  );
  const category = fc.constantFrom<DataCategory>('identity', 'contact', 'location', 'family');
  const service = fc.constantFrom<ServiceType>('shelter', 'family_tracing_and_reunification');
  // A small vocabulary, so that generated requests often meet generated grants.
  const arbGrant: fc.Arbitrary<DisclosureGrant> = fc
    .record({
      recipient: fc.oneof(fc.record({ agencyId }), fc.record({ agencyKind: kind })),
      purpose,
      serviceTypes: fc.subarray(['shelter', 'family_tracing_and_reunification'] as ServiceType[]),
      categories: fc.subarray(['identity', 'contact', 'location', 'family'] as DataCategory[], { minLength: 1 }),
      validFrom: instant,
      validUntil: fc.option(instant, { nil: undefined }),
    })
    .map(({ validUntil, ...grant }) => (validUntil === undefined ? grant : { ...grant, validUntil }));
  const arbConsent: fc.Arbitrary<ConsentRecord> = fc
    .record({
      consentId: fc.uuid(),
      grantor: fc.constantFrom('person', 'guardian'),
      childAssent: fc.option(fc.boolean(), { nil: undefined }),
      grants: fc.array(fc.tuple(fc.uuid(), arbGrant, fc.option(instant, { nil: undefined })), { minLength: 1, maxLength: 3 }),
    })
    .map(({ grants, childAssent, ...c }) => ({
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
  const arbRequest: fc.Arbitrary<DisclosureRequest> = fc
    .record({
      recipient: fc.record({ agencyId, agencyKind: kind }),
      purpose,
      serviceType: fc.option(service, { nil: undefined }),
      category,
      at: instant,
    })
    .map(({ serviceType, ...r }) => (serviceType === undefined ? r : { ...r, serviceType }));
  // Half the requests aim at a grant of the subject, so that permits are common enough to test.
  const arbCase: fc.Arbitrary<[ConsentSubject, DisclosureRequest]> = arbSubject.chain((s) => {
    const grants = [...s.consents.flatMap((c) => c.provisions), ...s.bestInterests.flatMap((d) => d.scope)];
    if (grants.length === 0) return fc.tuple(fc.constant(s), arbRequest);
    const aimed = fc.tuple(fc.constantFrom(...grants), arbRequest, fc.nat()).map(([g, r, pick]): DisclosureRequest => ({
      ...r,
      recipient:
        'agencyId' in g.recipient
          ? { ...r.recipient, agencyId: g.recipient.agencyId }
          : { ...r.recipient, agencyKind: g.recipient.agencyKind },
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
    const seen = new Set(
      fc.sample(arbCase, 3000).map(([s, r]) => {
        const decision = permits(s, r);
        return decision.permitted ? decision.basis.kind : decision.rule;
      }),
    );
    expect([...seen].sort()).toEqual([
      'best_interests',
      'consent',
      'incomplete_request',
      'judicial_cooperation',
      'no_basis',
      'owner',
      'safety_flag',
    ]);
  });

  it('erasing a case permits nothing to anyone', () => {
    fc.assert(
      fc.property(arbCase, ([s, r]) => {
        expect(permits({ ...s, erased: true }, r)).toMatchObject({ permitted: false, rule: 'erased' });
      }),
      runs,
    );
  });

  it('withdrawing a provision never widens access', () => {
    fc.assert(
      fc.property(
        arbCase.filter(([s]) => s.consents.length > 0),
        instant,
        fc.nat(),
        ([s, r], at, pick) => {
          const target = s.consents[pick % s.consents.length]!;
          const { provisionId } = target.provisions[pick % target.provisions.length]!;
          if (provisionId in target.withdrawals) return; // a provision is withdrawn once
          const after = {
            ...s,
            consents: s.consents.map((c) => (c === target ? { ...c, withdrawals: { ...c.withdrawals, [provisionId]: at } } : c)),
          };
          if (permitted(after, r)) expect(permitted(s, r)).toBe(true);
        },
      ),
      runs,
    );
  });

  it('raising a safety flag never widens access, and a raised flag is honoured for every other agency', () => {
    fc.assert(
      fc.property(arbCase, fc.constantFrom(...SAFETY_FLAGS), ([s, r], flag) => {
        const before = { ...s, safetyFlags: s.safetyFlags.filter((f) => f !== flag) };
        const after = { ...before, safetyFlags: [...before.safetyFlags, flag] };
        if (permitted(after, r)) expect(permitted(before, r)).toBe(true);
        const effect = SAFETY_FLAG_EFFECTS[flag];
        const hit =
          effect.categories?.includes(r.category) ||
          effect.purposes?.includes(r.purpose) ||
          (r.serviceType && effect.serviceTypes?.includes(r.serviceType)) ||
          effect.agencyKinds?.includes(r.recipient.agencyKind);
        if (hit && r.recipient.agencyId !== s.owningAgencyId) expect(permitted(after, r)).toBe(false);
      }),
      runs,
    );
  });

  it('permits another agency only on a live provision or approved determination naming recipient, purpose, service and category', () => {
    fc.assert(
      fc.property(arbCase, ([s, r]) => {
        const decision = permits(s, r);
        if (!decision.permitted) return;
        const t = Date.parse(r.at);
        const names = (g: DisclosureGrant) =>
          ('agencyId' in g.recipient ? g.recipient.agencyId === r.recipient.agencyId : g.recipient.agencyKind === r.recipient.agencyKind) &&
          g.purpose === r.purpose &&
          g.categories.includes(r.category) &&
          (r.purpose !== 'service_provision' || g.serviceTypes.includes(r.serviceType!)) &&
          Date.parse(g.validFrom) <= t &&
          (g.validUntil === undefined || t < Date.parse(g.validUntil));
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
      }),
      runs,
    );
  });

  /** Judicial cooperation is permitted only by a grant naming the agency, and for a child only by a determination. */
  const expectJudicialRules = (s: ConsentSubject, r: DisclosureRequest) => {
    const decision = permits(s, r);
    if (!decision.permitted || decision.basis.kind === 'owner') return;
    if (s.treatedAsChild) expect(decision.basis.kind).toBe('best_interests');
    const { basis } = decision;
    const grants: readonly DisclosureGrant[] =
      basis.kind === 'consent'
        ? s.consents.find((c) => c.consentId === basis.consentId)!.provisions.filter((p) => p.provisionId === basis.provisionId)
        : s.bestInterests.find((d) => d.determinationId === basis.determinationId)!.scope;
    expect(grants.some((g) => g.purpose === r.purpose && 'agencyId' in g.recipient && g.recipient.agencyId === r.recipient.agencyId)).toBe(
      true,
    );
  };

  it('law_enforcement_report: never to the Red Cross, only by a grant naming the agency, for a child only by a determination', () => {
    fc.assert(
      fc.property(arbCase, ([s, req]) => {
        const r = { ...req, purpose: 'law_enforcement_report' as const };
        if (r.recipient.agencyKind === 'red_cross_red_crescent') expect(permits(s, r).permitted).toBe(false);
        expectJudicialRules(s, r);
      }),
      runs,
    );
  });

  it('to a law-enforcement agency, for any purpose: only by a grant naming the agency, for a child only by a determination', () => {
    fc.assert(
      fc.property(arbCase, ([s, req]) =>
        expectJudicialRules(s, { ...req, recipient: { agencyId: req.recipient.agencyId, agencyKind: 'law_enforcement' } }),
      ),
      runs,
    );
  });

  it("a child's guardian consent never counts while family_involved_in_trafficking is raised", () => {
    fc.assert(
      fc.property(arbCase, ([s, r]) => {
        const decision = permits({ ...s, treatedAsChild: true, safetyFlags: ['family_involved_in_trafficking'] }, r);
        if (decision.permitted) expect(decision.basis.kind).not.toBe('consent');
      }),
      runs,
    );
  });

  it('denial reasons name no agency, consent, provision, determination or person', () => {
    fc.assert(
      fc.property(arbCase, ([s, r]) => {
        const decision = permits(s, r);
        if (decision.permitted) return;
        const ids = [
          s.owningAgencyId,
          r.recipient.agencyId,
          ...s.consents.flatMap((c) => [c.consentId, ...c.provisions.map((p) => p.provisionId)]),
          ...s.bestInterests.flatMap((d) => [d.determinationId, d.decidedBy, d.approvedBy]),
        ];
        for (const id of ids) expect(decision.reason).not.toContain(id);
      }),
      runs,
    );
  });
});
