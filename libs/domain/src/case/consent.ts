import { basisNeeded } from '../../../consent-policy/index.js';
import type { ExpireLapsedConsent, GiveConsent, WithdrawConsent } from '../commands.js';
import type { CaseEvent } from '../events.js';
import { reject } from '../rejection.js';
import { checkGrant, requireOwner, requireStatus } from './guards.js';
import { withOrphansWithdrawn } from './policy.js';
import { type ExistingCase, treatedAsChild } from './state.js';

export function giveConsent(command: GiveConsent, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'record consent');
  requireStatus(state, ['open', 'paused'], 'record consent');
  if (state.consents[command.consentId]) reject('conflict', `consent ${command.consentId} already recorded`);
  if (command.provisions.length === 0) reject('invalid', 'a consent needs at least one provision');
  const child = treatedAsChild(state.ageGroup);
  const knownProvisionIds = new Set(Object.values(state.consents).flatMap((c) => c.provisions.map((p) => p.provisionId)));
  for (const provision of command.provisions) {
    if (knownProvisionIds.has(provision.provisionId)) reject('invalid', `provision ${provision.provisionId} is repeated`);
    knownProvisionIds.add(provision.provisionId);
    checkGrant(provision, `provision ${provision.provisionId}`, command.actor);
    if (child && basisNeeded(provision.purpose, provision.recipient, true).consent === 'none') {
      reject('invalid', "sharing a child's data with law enforcement needs a best-interests determination, not consent alone");
    }
  }
  if (child && (command.grantor !== 'guardian' || command.childAssent === undefined)) {
    reject('invalid', "for a child, record a guardian's consent and whether the child assented");
  }
  const { type: _type, actor, at, ...given } = command;
  return [{ type: 'ConsentGiven', data: { ...given, recordedBy: actor.userId, givenAt: at } }];
}

export function withdrawConsent(command: WithdrawConsent, state: ExistingCase): CaseEvent[] {
  // Withdrawal is always possible, whatever the case's status: the person can change their mind.
  requireOwner(state, command.actor, 'withdraw consent');
  const consent = state.consents[command.consentId] ?? reject('not_found', `consent ${command.consentId} not found`);
  const whole = command.provisionIds === undefined;
  const ids = command.provisionIds ?? consent.provisions.map((p) => p.provisionId).filter((id) => !(id in consent.withdrawals));
  for (const id of ids) {
    if (!consent.provisions.some((p) => p.provisionId === id))
      reject('not_found', `provision ${id} is not part of consent ${command.consentId}`);
    if (id in consent.withdrawals) reject('conflict', `provision ${id} is already withdrawn`);
  }
  if (ids.length === 0) reject('conflict', `consent ${command.consentId} is already withdrawn`);

  const withdrawal: CaseEvent = {
    type: 'ConsentWithdrawn',
    data: { consentId: command.consentId, provisionIds: ids, whole, recordedBy: command.actor.userId, withdrawnAt: command.at },
  };
  return withOrphansWithdrawn(state, withdrawal, 'consent_withdrawn', command);
}

/** Repeatable: when nothing lapsed since the last run, it decides nothing. */
export function expireLapsedConsent(command: ExpireLapsedConsent, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'expire consent');
  return withOrphansWithdrawn(state, [], 'consent_expired', command);
}
