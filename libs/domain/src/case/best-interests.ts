import type {
  ApproveBestInterestsDetermination,
  ProposeBestInterestsDetermination,
  RejectBestInterestsDetermination,
} from '../commands.js';
import type { CaseEvent } from '../events.js';
import { reject } from '../rejection.js';
import { checkGrant, requireOwner, requireStatus } from './guards.js';
import { type ExistingCase, treatedAsChild } from './state.js';

export function proposeBestInterestsDetermination(command: ProposeBestInterestsDetermination, state: ExistingCase): CaseEvent[] {
  requireOwner(state, command.actor, 'propose a best-interests determination');
  requireStatus(state, ['open', 'paused'], 'propose a best-interests determination');
  if (!treatedAsChild(state.ageGroup)) reject('invalid', 'a best-interests determination is for a child; an adult decides by consent');
  if (state.determinations[command.determinationId]) reject('conflict', `determination ${command.determinationId} already exists`);
  if (command.scope.length === 0) reject('invalid', 'a determination needs at least one scope entry');
  command.scope.forEach((grant, index) => {
    const label = `scope entry ${index + 1}`;
    checkGrant(grant, label, command.actor);
    if (grant.validUntil === undefined)
      reject('invalid', `${label} needs an end: a decision made for a child is reviewed, never open-ended`);
  });
  const { determinationId, scope, reasons } = command;
  return [
    { type: 'BestInterestsDeterminationProposed', data: { determinationId, scope, reasons, by: command.actor.userId, at: command.at } },
  ];
}

export function decideOnDetermination(
  command: ApproveBestInterestsDetermination | RejectBestInterestsDetermination,
  state: ExistingCase,
): CaseEvent[] {
  requireOwner(state, command.actor, 'decide on a best-interests determination');
  requireStatus(state, ['open', 'paused'], 'decide on a best-interests determination');
  const { determinationId } = command;
  const current = state.determinations[determinationId] ?? reject('not_found', `determination ${determinationId} not found`);
  if (current.status !== 'proposed') reject('conflict', `determination ${determinationId} is already ${current.status}`);
  // The second pair of eyes decides either way: the proposer neither approves nor rejects their own proposal.
  if (current.proposal.by === command.actor.userId) {
    reject('forbidden', 'a best-interests determination is approved or rejected by someone other than the person who proposed it');
  }
  const step = { determinationId, by: command.actor.userId, at: command.at };
  if (command.type === 'RejectBestInterestsDetermination') return [{ type: 'BestInterestsDeterminationRejected', data: step }];
  return [{ type: 'BestInterestsDetermined', data: { ...step, decidedBy: current.proposal.by } }];
}
