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

/** Any command on an erased case, once the actor may know of the case: nothing more happens to it. */
export class CaseAlreadyErased extends CommandRejected {
  constructor() {
    super('conflict', 'the case is erased');
    this.name = 'CaseAlreadyErased';
  }
}

/**
 * The case is not at the revision the caller read (an If-Match), found either before deciding or
 * when appending. Not a rejection of the command: the caller reads the case again and decides anew.
 */
export class StaleRevision extends Error {
  constructor(
    readonly expected: number,
    /** The case's revision when it was read; absent when another write got in between reading and appending. */
    readonly actual?: number,
  ) {
    super(
      actual === undefined
        ? `the case changed after revision ${expected}; read it again`
        : `If-Match names revision ${expected}; the case is at revision ${actual}`,
    );
    this.name = 'StaleRevision';
  }
}
