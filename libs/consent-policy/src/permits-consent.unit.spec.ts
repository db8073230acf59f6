import { describe, expect, it } from '@jest/globals';
import { permits } from './permits.js';
import { SAFETY_FLAGS } from './safety-flags.js';
import { consent, flagged, owner, provision, request, subject, table } from './testing/permits-fixtures.js';

describe('permits: consent provisions', () => {
  table([
    ['covered by a live provision', subject(), {}, true],
    ['no consent at all: deny by default', subject({ consents: [] }), {}, false],
    ['another agency', subject(), { recipient: { agencyId: 'a-other', agencyKind: 'shelter' } }, false],
    [
      'the named kind of agency',
      subject({ consents: [consent({ provisions: [{ ...provision, recipient: { agencyKind: 'shelter' } }] })] }),
      { recipient: { agencyId: 'a-any', agencyKind: 'shelter' } },
      true,
    ],
    [
      'another kind of agency',
      subject({ consents: [consent({ provisions: [{ ...provision, recipient: { agencyKind: 'shelter' } }] })] }),
      { recipient: { agencyId: 'a-any', agencyKind: 'health' } },
      false,
    ],
    ['another purpose', subject(), { purpose: 'legal_assistance', serviceType: undefined }, false],
    ['another service', subject(), { serviceType: 'medical' }, false],
    ['service_provision without a service type', subject(), { serviceType: undefined }, false],
    ['a category not agreed', subject(), { category: 'trafficking_experience' }, false],
    ['before the provision starts', subject(), { at: '2025-12-31T23:59:59Z' }, false],
    ['at the moment it expires', subject(), { at: '2026-06-01T00:00:00Z' }, false],
    ['after the whole consent was withdrawn', subject({ consents: [consent({ withdrawals: { p1: '2026-01-15T00:00:00Z' } })] }), {}, false],
    [
      'before the withdrawal took effect (history)',
      subject({ consents: [consent({ withdrawals: { p1: '2026-03-01T00:00:00Z' } })] }),
      {},
      true,
    ],
    [
      'a partial withdrawal leaves the other provisions',
      subject({
        consents: [
          consent({
            provisions: [provision, { ...provision, provisionId: 'p2', serviceTypes: ['medical'] }],
            withdrawals: { p2: '2026-01-15T00:00:00Z' },
          }),
        ],
      }),
      {},
      true,
    ],
    [
      'a partial withdrawal ends the provisions withdrawn',
      subject({
        consents: [
          consent({
            provisions: [provision, { ...provision, provisionId: 'p2', serviceTypes: ['medical'] }],
            withdrawals: { p2: '2026-01-15T00:00:00Z' },
          }),
        ],
      }),
      { serviceType: 'medical' },
      false,
    ],
    [
      'a later consent re-grants after a withdrawal',
      subject({
        consents: [
          consent({ withdrawals: { p1: '2026-01-15T00:00:00Z' } }),
          consent({ consentId: 'c2', provisions: [{ ...provision, provisionId: 'p2' }] }),
        ],
      }),
      {},
      true,
    ],
  ]);

  it('names the consent and provision it relied on', () => {
    expect(permits(subject(), request())).toEqual({ permitted: true, basis: { kind: 'consent', consentId: 'c1', provisionId: 'p1' } });
  });

  it('says what is missing without naming anyone', () => {
    expect(permits(subject({ consents: [] }), request())).toEqual({
      permitted: false,
      rule: 'no_basis',
      reason: 'no live consent covers identity for service_provision (shelter) to this agency',
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

  it('gives the owner basis', () =>
    expect(permits(subject(), request({ recipient: owner }))).toEqual({ permitted: true, basis: { kind: 'owner' } }));

  it('says erasure is the rule that denied the owner', () =>
    expect(permits(subject({ erased: true }), request({ recipient: owner }))).toMatchObject({ permitted: false, rule: 'erased' }));
});
