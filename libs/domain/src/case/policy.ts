import { type ConsentSubject, type DataCategory, type DisclosureGrant, permits } from '../../../consent-policy/index.js';
import { instantOrNaN as instant } from '../../../time/index.js';
import type { Actor, RequestReferral } from '../commands.js';
import type { AgeGroup, CaseEvent, LegalBasis, ReferralRequested, ReferralWithdrawalCause } from '../events.js';
import { reject } from '../rejection.js';
import { evolve } from './evolve.js';
import { type ExistingCase, openReferrals, treatedAsChild } from './state.js';

/**
 * What the consent policy is told of a case, wherever it is read from (its state here, a stored view
 * elsewhere): the age group, so that whether it counts as a child's is decided here only.
 */
export type CaseFacts = Omit<ConsentSubject, 'treatedAsChild'> & { readonly ageGroup: AgeGroup };

export function consentSubject({ ageGroup, owningAgencyId, consents, bestInterests, safetyFlags, erased }: CaseFacts): ConsentSubject {
  return { owningAgencyId, treatedAsChild: treatedAsChild(ageGroup), consents, bestInterests, safetyFlags, erased };
}

/** What the consent policy knows of the case; an erased case permits nothing to anyone. */
export function consentSubjectOf(state: ExistingCase): ConsentSubject {
  return consentSubject({
    ...state,
    consents: Object.values(state.consents),
    bestInterests: Object.values(state.determinations).flatMap(({ proposal, approval }) =>
      approval
        ? [
            {
              determinationId: proposal.determinationId,
              decidedBy: approval.decidedBy,
              approvedBy: approval.by,
              approvedAt: approval.at,
              scope: proposal.scope,
            },
          ]
        : [],
    ),
  });
}

/** The categories of a referral that the policy no longer permits at `at`. */
export function uncovered(state: ExistingCase, referral: ReferralRequested['data'], at: string): DataCategory[] {
  const subject = consentSubjectOf(state);
  const recipient = { agencyId: referral.toAgencyId, agencyKind: referral.toAgencyKind };
  const service = referral.serviceType ? { serviceType: referral.serviceType } : {};
  return referral.sharedCategories.filter(
    (category) => !permits(subject, { recipient, purpose: referral.purpose, ...service, category, at }).permitted,
  );
}

/** The moments at which grants end (a provision's validUntil, a determination scope entry's end): when referrals may lapse. */
export const grantEnds = (grants: readonly DisclosureGrant[]): string[] =>
  grants.flatMap((grant) => (grant.validUntil === undefined ? [] : [grant.validUntil]));

/**
 * Whether a referral no longer stands at `at`: the policy does not cover it then, or did not at a
 * moment since it was made when a consent provision or an approved determination ended. Checked
 * at each such moment, so a consent given after the lapse does not revive a referral nobody has
 * withdrawn yet: every answer is the same whether or not the expiry process has run.
 */
export function hasLapsed(state: ExistingCase, referral: ReferralRequested['data'], at: string): boolean {
  const subject = consentSubjectOf(state);
  const [made, now] = [instant(referral.requestedAt), instant(at)];
  const ends = grantEnds([...subject.consents.flatMap((c) => c.provisions), ...subject.bestInterests.flatMap((d) => d.scope)]).filter(
    (end) => made < instant(end) && instant(end) <= now,
  );
  return [...ends, at].some((moment) => uncovered(state, referral, moment).length > 0);
}

/** A referral that had lapsed is withdrawn for its expiry, whoever ends it, so the cause stays true. */
export function referralEnded(
  state: ExistingCase,
  referral: ReferralRequested['data'],
  cause: ReferralWithdrawalCause,
  command: { actor: Actor; at: string },
): CaseEvent {
  const withdrawnFor = hasLapsed(state, referral, command.at) ? 'consent_expired' : cause;
  return {
    type: 'ReferralWithdrawn',
    data: { referralId: referral.referralId, cause: withdrawnFor, by: command.actor.userId, at: command.at },
  };
}

/**
 * `event` and, in the same decision, the withdrawal of every open referral the policy no longer
 * fully covers after it, including one a part of which had already lapsed (an expired category):
 * after a withdrawal or a flag, no open referral stands on less than full cover.
 */
export function withOrphansWithdrawn(
  state: ExistingCase,
  event: CaseEvent | readonly CaseEvent[],
  cause: ReferralWithdrawalCause,
  command: { actor: Actor; at: string },
): CaseEvent[] {
  const events: readonly CaseEvent[] = isEventList(event) ? event : [event];
  const after = events.reduce(evolve, state) as ExistingCase;
  const orphaned = openReferrals(state).filter(({ referral }) => hasLapsed(after, referral, command.at));
  return [...events, ...orphaned.map(({ referral }) => referralEnded(state, referral, cause, command))];
}

/** The basis each shared category of a new referral stands on, or a refusal naming what no basis covers or a flag withholds. */
export function legalBasisFor(state: ExistingCase, command: RequestReferral): LegalBasis[] {
  const subject = consentSubjectOf(state);
  const request = {
    recipient: command.recipient,
    purpose: command.purpose,
    ...(command.serviceType ? { serviceType: command.serviceType } : {}),
  };
  const legalBasis: LegalBasis[] = [];
  const uncoveredCategories: DataCategory[] = [];
  const withheld: DataCategory[] = [];
  for (const category of command.sharedCategories) {
    const decision = permits(subject, { ...request, category, at: command.at });
    if (!decision.permitted) (decision.rule === 'safety_flag' ? withheld : uncoveredCategories).push(category);
    else if (decision.basis.kind === 'consent')
      legalBasis.push({ category, consentId: decision.basis.consentId, provisionId: decision.basis.provisionId });
    else if (decision.basis.kind === 'best_interests') legalBasis.push({ category, determinationId: decision.basis.determinationId });
  }
  // The referral's earlier checks leave only these two denials; the owner basis cannot apply to another agency.
  const basis = `no live consent${subject.treatedAsChild ? ' or approved best-interests determination' : ''}`;
  const service = command.serviceType ? ` (${command.serviceType})` : '';
  const problems = [
    ...(uncoveredCategories.length > 0
      ? [`${basis} covers sharing ${uncoveredCategories.join(', ')} with this agency for ${command.purpose}${service}`]
      : []),
    ...(withheld.length > 0 ? [`a safety flag on the case withholds ${withheld.join(', ')} from other agencies`] : []),
  ];
  if (problems.length > 0) reject('consent_required', problems.join('; '));
  return legalBasis;
}

/** Array.isArray does not narrow a readonly array out of a union. */
const isEventList = (event: CaseEvent | readonly CaseEvent[]): event is readonly CaseEvent[] => Array.isArray(event);
