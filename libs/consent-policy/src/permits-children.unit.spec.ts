import { describe, expect, it } from '@jest/globals';
import { permits } from './permits.js';
import { child, consent, determination, guardianConsent, request, subject, table } from './testing/permits-fixtures.js';

describe('permits: children', () => {
  table([
    ["a guardian's consent with the child's assent counts", child({ consents: [guardianConsent()] }), {}, true],
    ["a guardian's consent without the child's assent does not", child({ consents: [guardianConsent({ childAssent: false })] }), {}, false],
    ["a guardian's consent with assent unrecorded does not", child({ consents: [consent({ grantor: 'guardian' })] }), {}, false],
    ["the child's own consent does not replace the guardian's", child({ consents: [consent({ childAssent: true })] }), {}, false],
    ['an approved determination stands in for consent', child({ bestInterests: [determination()] }), {}, true],
    [
      'a determination approved by the person who decided it counts for nothing',
      child({ bestInterests: [determination({ approvedBy: 'u-caseworker' })] }),
      {},
      false,
    ],
    [
      'a determination permits nothing before its approval',
      child({ bestInterests: [determination({ approvedAt: '2026-03-01T00:00:00Z' })] }),
      {},
      false,
    ],
    ['a determination ends with its scope', child({ bestInterests: [determination()] }), { at: '2026-06-01T00:00:00Z' }, false],
    ['a determination covers only its scope', child({ bestInterests: [determination()] }), { category: 'health' }, false],
    ['a determination does not speak for an adult', subject({ consents: [], bestInterests: [determination()] }), {}, false],
  ]);

  it('names the determination it relied on', () =>
    expect(permits(child({ bestInterests: [determination()] }), request())).toEqual({
      permitted: true,
      basis: { kind: 'best_interests', determinationId: 'd1' },
    }));

  it("prefers the guardian's consent to a determination", () =>
    expect(permits(child({ consents: [guardianConsent()], bestInterests: [determination()] }), request())).toEqual({
      permitted: true,
      basis: { kind: 'consent', consentId: 'c1', provisionId: 'p1' },
    }));

  it('mentions determinations when denying for a child', () => {
    expect(permits(child(), request())).toMatchObject({
      rule: 'no_basis',
      reason: 'no live consent or approved best-interests determination covers identity for service_provision (shelter) to this agency',
    });
  });
});
