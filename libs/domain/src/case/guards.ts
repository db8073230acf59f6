import {
  type DisclosureGrant,
  OUT_OF_JUDICIAL_COOPERATION,
  SAFETY_FLAGS,
  basisNeeded,
  isOneOf,
  staysOutOfJudicialCooperation,
} from '../../../consent-policy/index.js';
import { parseInstant } from '../../../time/index.js';
import type { Actor } from '../commands.js';
import { type IndicatorCode, isIndicatorCode } from '../indicators.js';
import { reject } from '../rejection.js';
import type { CaseStatus, ExistingCase } from './state.js';

/** Whether the case was referred to the agency: it then knows of the case, and is told what it may not do. */
export const isRecipient = (state: ExistingCase, agencyId: string): boolean =>
  Object.values(state.referrals).some(({ referral }) => referral.toAgencyId === agencyId);

/** Only the owning agency; a recipient is told so, anyone else learns nothing of the case. */
export function requireOwner(state: ExistingCase, actor: Actor, action: string): void {
  if (actor.agencyId === state.owningAgencyId) return;
  if (isRecipient(state, actor.agencyId)) reject('forbidden', `only the owning agency may ${action}`);
  reject('not_found', 'case not found');
}

export function requireStatus(state: ExistingCase, allowed: readonly CaseStatus[], action: string): void {
  if (!allowed.includes(state.status)) reject('conflict', `case is ${state.status}; cannot ${action}`);
}

export function checkIndicators(indicators: readonly IndicatorCode[], known: readonly IndicatorCode[] = []): void {
  const unknown = indicators.filter((code) => !isIndicatorCode(code));
  if (unknown.length > 0) reject('invalid', `unknown indicator codes: ${unknown.join(', ')}`);
  if (new Set([...known, ...indicators]).size !== known.length + indicators.length) reject('invalid', 'indicator codes are repeated');
}

export const isSafetyFlag = isOneOf(SAFETY_FLAGS);

/** The rules every consent provision and every determination scope entry obeys; `label` names it in the message. */
export function checkGrant(grant: DisclosureGrant, label: string, actor: Actor): void {
  if (grant.categories.length === 0) reject('invalid', `${label} names no data category`);
  if (new Set(grant.categories).size !== grant.categories.length) reject('invalid', `${label} repeats a category`);
  if (grant.purpose === 'service_provision' && grant.serviceTypes.length === 0) {
    reject('invalid', `${label}: service_provision needs the service types agreed to`);
  }
  if (grant.purpose !== 'service_provision' && grant.serviceTypes.length > 0) {
    reject('invalid', `${label}: service types belong to service_provision only`);
  }
  checkPeriod(grant, label);
  // Judicial cooperation is what must name the agency, for an adult as for a child.
  if (basisNeeded(grant.purpose, grant.recipient, false).namedAgency) {
    if (staysOutOfJudicialCooperation(actor.agencyKind)) reject('forbidden', OUT_OF_JUDICIAL_COOPERATION);
    // Refuse what the policy could never use.
    if (!('agencyId' in grant.recipient))
      reject('invalid', `${label}: data for law enforcement or prosecution goes to a named agency, not a kind of agency`);
  }
}

/** Read by the one strict reader: a time it cannot read is refused, never taken for another. */
function checkPeriod(grant: DisclosureGrant, label: string): void {
  const from = parseInstant(grant.validFrom) ?? reject('invalid', `${label} starts at no RFC 3339 date-time`);
  if (
    grant.validUntil !== undefined &&
    (parseInstant(grant.validUntil) ?? reject('invalid', `${label} ends at no RFC 3339 date-time`)) <= from
  ) {
    reject('invalid', `${label} ends before it starts`);
  }
}
