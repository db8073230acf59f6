import { describe, it } from '@jest/globals';
import type { CaseCommand, ProposeBestInterestsDetermination } from '../commands.js';
import {
  closed,
  determined,
  guardianConsented,
  lawEnforcement,
  opened,
  owner,
  police,
  proposed,
  referred,
  rejectedDetermination,
  scope,
  sealed,
  shelter,
  shelterGrant,
  spec,
  supervisor,
  t1,
  t3,
} from './testing/fixtures.js';

describe('ProposeBestInterestsDetermination', () => {
  const propose = (over: Partial<ProposeBestInterestsDetermination> = {}): CaseCommand => ({
    type: 'ProposeBestInterestsDetermination',
    actor: owner,
    at: t1,
    determinationId: 'd-1',
    scope,
    reasons: sealed,
    ...over,
  });
  const { provisionId: _le, ...report } = { ...lawEnforcement, validUntil: t3 };
  it('records the proposal for a child', () =>
    spec
      .given([opened('child')])
      .when(propose())
      .then([proposed()]));
  it('records the proposal for a person who says they are a child', () =>
    spec
      .given([opened('claims_to_be_child')])
      .when(propose())
      .then([proposed()]));
  it('is refused for an adult, who decides by consent', () =>
    spec
      .given([opened()])
      .when(propose())
      .thenThrows({ kind: 'invalid', message: 'a best-interests determination is for a child; an adult decides by consent' }));
  it('learns nothing of the case for an agency unrelated to it', () =>
    spec
      .given([opened('child')])
      .when(propose({ actor: police }))
      .thenThrows({ kind: 'not_found', message: 'case not found' }));
  it('is for the owning agency only, not for a recipient', () =>
    spec
      .given([opened('child'), guardianConsented(), referred])
      .when(propose({ actor: shelter }))
      .thenThrows({ kind: 'forbidden' }));
  it('is refused on a closed case', () =>
    spec
      .given([opened('child'), closed])
      .when(propose())
      .thenThrows({ kind: 'conflict' }));
  it('is refused for an id already used', () =>
    spec
      .given([opened('child'), proposed()])
      .when(propose())
      .thenThrows({ kind: 'conflict', message: 'determination d-1 already exists' }));
  it('needs a scope', () =>
    spec
      .given([opened('child')])
      .when(propose({ scope: [] }))
      .thenThrows({ kind: 'invalid' }));
  it('needs a category in every scope entry, as a consent provision does', () =>
    spec
      .given([opened('child')])
      .when(propose({ scope: [{ ...scope[0]!, categories: [] }] }))
      .thenThrows({ kind: 'invalid', message: 'scope entry 1 names no data category' }));
  it('needs the service types for service_provision, as a consent provision does', () =>
    spec
      .given([opened('child')])
      .when(propose({ scope: [{ ...scope[0]!, serviceTypes: [] }] }))
      .thenThrows({ kind: 'invalid' }));
  it('needs an end to every scope entry', () =>
    spec
      .given([opened('child')])
      .when(propose({ scope: [shelterGrant] }))
      .thenThrows({ kind: 'invalid', message: 'scope entry 1 needs an end: a decision made for a child is reviewed, never open-ended' }));
  it('may cover a report to a named law-enforcement agency', () =>
    spec
      .given([opened('child')])
      .when(propose({ scope: [report] }))
      .then([proposed({ scope: [report] })]));
  it('never covers a report to a kind of agency', () =>
    spec
      .given([opened('child')])
      .when(propose({ scope: [{ ...report, recipient: { agencyKind: 'law_enforcement' } }] }))
      .thenThrows({ kind: 'invalid' }));
});

describe('ApproveBestInterestsDetermination and RejectBestInterestsDetermination', () => {
  type Decision = 'ApproveBestInterestsDetermination' | 'RejectBestInterestsDetermination';
  const decideOn = (type: Decision, actor = supervisor, determinationId = 'd-1'): CaseCommand => ({ type, actor, at: t1, determinationId });
  const given = [opened('child'), proposed()];
  it('records the approval by a second person, with who decided', () =>
    spec.given(given).when(decideOn('ApproveBestInterestsDetermination')).then([determined]));
  it('refuses approval by the person who proposed it', () =>
    spec.given(given).when(decideOn('ApproveBestInterestsDetermination', owner)).thenThrows({ kind: 'forbidden' }));
  it('records a rejection by a second person', () =>
    spec.given(given).when(decideOn('RejectBestInterestsDetermination')).then([rejectedDetermination]));
  it('refuses rejection by the person who proposed it, as it refuses approval', () =>
    spec.given(given).when(decideOn('RejectBestInterestsDetermination', owner)).thenThrows({
      kind: 'forbidden',
      message: 'a best-interests determination is approved or rejected by someone other than the person who proposed it',
    }));
  it('refuses to approve an unknown determination', () =>
    spec
      .given(given)
      .when(decideOn('ApproveBestInterestsDetermination', supervisor, 'd-9'))
      .thenThrows({ kind: 'not_found', message: 'determination d-9 not found' }));
  it('refuses to reject an unknown determination', () =>
    spec
      .given(given)
      .when(decideOn('RejectBestInterestsDetermination', supervisor, 'd-9'))
      .thenThrows({ kind: 'not_found' }));
  it('does not approve twice', () =>
    spec
      .given([...given, determined])
      .when(decideOn('ApproveBestInterestsDetermination'))
      .thenThrows({ kind: 'conflict', message: 'determination d-1 is already approved' }));
  it('does not reject an approved determination', () =>
    spec
      .given([...given, determined])
      .when(decideOn('RejectBestInterestsDetermination'))
      .thenThrows({ kind: 'conflict' }));
  it('does not approve a rejected determination', () =>
    spec
      .given([...given, rejectedDetermination])
      .when(decideOn('ApproveBestInterestsDetermination'))
      .thenThrows({ kind: 'conflict', message: 'determination d-1 is already rejected' }));
  it('learns nothing of the case for an agency unrelated to it', () =>
    spec
      .given(given)
      .when(decideOn('ApproveBestInterestsDetermination', police))
      .thenThrows({ kind: 'not_found', message: 'case not found' }));
  it('is for the owning agency only, not for a recipient', () =>
    spec
      .given([...given, determined, referred])
      .when(decideOn('RejectBestInterestsDetermination', shelter))
      .thenThrows({ kind: 'forbidden' }));
  it('is refused on a closed case', () =>
    spec
      .given([...given, closed])
      .when(decideOn('ApproveBestInterestsDetermination'))
      .thenThrows({ kind: 'conflict' }));
});
