import type { LiftSafetyFlag, RaiseSafetyFlag } from '../commands.js';
import type { CaseEvent } from '../events.js';
import { reject } from '../rejection.js';
import { isSafetyFlag, requireOwner, requireStatus } from './guards.js';
import { withOrphansWithdrawn } from './policy.js';
import type { ExistingCase } from './state.js';

export function raiseSafetyFlag(command: RaiseSafetyFlag, state: ExistingCase): CaseEvent[] {
  // Possible whatever the case's status: a flag only narrows what others receive.
  requireOwner(state, command.actor, 'raise a safety flag');
  if (!isSafetyFlag(command.flag)) reject('invalid', `unknown safety flag: ${String(command.flag)}`);
  if (state.safetyFlags.includes(command.flag)) reject('conflict', `safety flag ${command.flag} is already raised`);
  const raised: CaseEvent = { type: 'SafetyFlagRaised', data: { flag: command.flag, by: command.actor.userId, at: command.at } };
  return withOrphansWithdrawn(state, raised, 'safety_flag_raised', command);
}

export function liftSafetyFlag(command: LiftSafetyFlag, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'lift a safety flag');
  requireStatus(state, ['open', 'paused'], 'lift a safety flag');
  if (!state.safetyFlags.includes(command.flag)) reject('conflict', `safety flag ${command.flag} is not raised`);
  return [{ type: 'SafetyFlagLifted', data: { flag: command.flag, by: command.actor.userId, at: command.at } }];
}
