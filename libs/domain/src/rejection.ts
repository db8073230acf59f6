/**
 * Why a command was refused. The kinds map to HTTP statuses at the edge; the message is shown to
 * the caller, so it names rules, categories and ids, never personal data.
 */
export type RejectionKind =
  | 'invalid' // the command contradicts a domain rule on its own
  | 'not_found' // no such case, or not one the actor may know about
  | 'forbidden' // the actor knows the case but may not do this
  | 'conflict' // not allowed in the case's or referral's current state
  | 'consent_required'; // no live consent covers the disclosure

export class CommandRejected extends Error {
  constructor(
    readonly kind: RejectionKind,
    message: string,
  ) {
    super(message);
    this.name = 'CommandRejected';
  }
}

export function reject(kind: RejectionKind, message: string): never {
  throw new CommandRejected(kind, message);
}
