import { HttpException } from '@nestjs/common';

/** One kind of problem: the page at its `type` URI says what it means and what to do about it. */
export interface ProblemType {
  readonly status: number;
  readonly title: string;
  readonly meaning: string;
  readonly whatToDo: string;
  /** A narrower kind of its status, named where it is raised; the other kind of that status is the one for everything else. */
  readonly narrower?: true;
}

/**
 * Every problem type the service answers with, one per kind of problem: the filter, the problem
 * pages and the OpenAPI document all read this table. The slug is the last segment of the type URI
 * (`<public URL>/problems/<slug>`), so renaming one breaks the clients that match on it.
 */
export const PROBLEM_TYPES = {
  'malformed-request': {
    status: 400,
    title: 'Malformed request',
    meaning:
      'The request could not be read or breaks a rule of its fields: JSON that does not parse, a field the route does not take, a missing or ill-formed value, an unknown code or agency, a cursor this service did not give out, a NUL character, or a body on an action that takes none.',
    whatToDo:
      'Correct the request as `detail` and, where present, `errors` say (they name the fields and rules, never the values sent), then send it again. Nothing was written.',
  },
  'not-signed-in': {
    status: 401,
    title: 'Not signed in',
    meaning:
      'The route needs a credential and the request carried none, or one that is not valid: expired, revoked, deactivated, or not issued by this service or its identity provider. The WWW-Authenticate header names the schemes taken (Bearer, ApiKey).',
    whatToDo:
      'Sign in again (`POST /auth/token`) or exchange the refresh token (`POST /auth/refresh`) and send the request with `Authorization: Bearer <token>`; a partner system sends `Authorization: ApiKey <key>` with a key that is still active.',
  },
  'not-allowed': {
    status: 403,
    title: 'Not allowed',
    meaning: "The caller is signed in, but the caller's role, API key or agency may not perform this action.",
    whatToDo: "Nothing to retry: ask your agency's admin if your work needs this action. The permission table is in the service's README.",
  },
  'password-change-required': {
    status: 403,
    title: 'Password change required',
    meaning:
      'The username and password are right, but the password is an initial one that someone else saw (the admin or coordinator who added the account): it signs in nobody until its user has chosen their own. No token was issued.',
    whatToDo:
      'Choose your own password with `POST /auth/password` (username, the current password, and a new one of at least 12 characters), then sign in with the new one.',
    narrower: true,
  },
  'not-found': {
    status: 404,
    title: 'Not found',
    meaning:
      "There is no such route, or no such case, referral, consent, service or agency that the caller's agency may know of. A case the caller may not see answers exactly as one that does not exist.",
    whatToDo: 'Check the path and the ids in it. If a colleague can see the record, it was not shared with your agency.',
  },
  'method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
    meaning: 'The path exists, but not with this HTTP method. The Allow header lists the methods it takes.',
    whatToDo: 'Send the request with one of the methods in the Allow header (see the API documentation at /api/docs).',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    meaning:
      'The record is in a state that does not allow this action: a referral already answered, a closed or erased case, an agency that left the network, a name already taken.',
    whatToDo: 'Read the record again to see its state; the action may no longer be needed, or needs another step first.',
  },
  'concurrent-change': {
    status: 409,
    title: 'Changed concurrently',
    meaning: 'The case changed again and again while this request was decided, so it was not written.',
    whatToDo: 'Read the case again and retry; send the same Idempotency-Key so the retry cannot write twice.',
    narrower: true,
  },
  'precondition-failed': {
    status: 412,
    title: 'Precondition failed',
    meaning: 'The If-Match header names a revision of the case that is no longer its latest: someone else changed it since you read it.',
    whatToDo: 'Read the case again, check that your change still makes sense, and send it with the new ETag as If-Match.',
  },
  'request-too-large': {
    status: 413,
    title: 'Request too large',
    meaning: 'The body is larger than this route takes (64 kB; 2 MB for a directory import).',
    whatToDo: 'Send a smaller body; split a large directory import into several.',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    meaning:
      'The body is not in a format this route reads: the API takes JSON (`Content-Type: application/json`, UTF-8) and nothing else, not text or form bodies. The Accept header names what is taken.',
    whatToDo: 'Send the body as JSON with `Content-Type: application/json`.',
  },
  'rule-violated': {
    status: 422,
    title: 'Refused by a rule',
    meaning:
      'The request is well formed, but a rule of the service refuses it: a determination for an adult, a service an agency may not offer, a law-enforcement grant naming only a kind of agency, invalid records in an import.',
    whatToDo: 'Read `detail` (and any list of records or fields) for the rule; change what the request asks for. Nothing was written.',
  },
  'consent-required': {
    status: 422,
    title: 'Consent required',
    meaning:
      'No live consent of the person (or approved best-interests determination for a child) covers sharing this with this recipient for this purpose: the referral or disclosure is refused. Nothing was shared.',
    whatToDo:
      'Ask the person for informed consent covering the recipient, purpose and data categories, record it (`POST /cases/:id/consents`), then send the request again. Never share outside the service instead.',
    narrower: true,
  },
  'idempotency-key-reused': {
    status: 422,
    title: 'Idempotency-Key reused',
    meaning: 'This Idempotency-Key was used before by your agency for a different request; a key names one request only.',
    whatToDo: 'Send a new request with a new Idempotency-Key; a retry of the first request sends exactly the same request and key.',
    narrower: true,
  },
  'too-many-requests': {
    status: 429,
    title: 'Too many requests',
    meaning: 'Too many sign-ins or writes came from this address, account or user in the last minute.',
    whatToDo: 'Wait as long as the Retry-After header says, then try again.',
  },
  'internal-error': {
    status: 500,
    title: 'Internal error',
    meaning: 'The service failed while handling the request. The failure is logged by its kind, without the data of the request.',
    whatToDo: 'Try again later; if it persists, tell the operators of the service the time and the route.',
  },
  'service-unavailable': {
    status: 503,
    title: 'Service unavailable',
    meaning: 'The service cannot answer now: its database does not answer, or its read models are catching up or stopped.',
    whatToDo: 'Try again in a little while; operators see the reason at /health/ready.',
  },
} as const satisfies Readonly<Record<string, ProblemType>>;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

export const PROBLEM_KINDS = Object.keys(PROBLEM_TYPES) as ProblemKind[];

/** The kind a bare HTTP status stands for: the one kind of that status that is not a narrower one. */
const KIND_OF_STATUS: ReadonlyMap<number, ProblemKind> = new Map(
  PROBLEM_KINDS.filter((kind) => !(PROBLEM_TYPES[kind] as ProblemType).narrower).map((kind) => [PROBLEM_TYPES[kind].status, kind]),
);

export const kindOfStatus = (status: number): ProblemKind | undefined => KIND_OF_STATUS.get(status);

/** How a kind reads in the OpenAPI document: its title and what it means. */
export const problemDescription = (kind: ProblemKind): string => `${PROBLEM_TYPES[kind].title}: ${PROBLEM_TYPES[kind].meaning}`;

export const isProblemKind = (slug: string): slug is ProblemKind => Object.hasOwn(PROBLEM_TYPES, slug);

/** Where a kind's page is: absolute, under the service's public URL. */
export const problemTypeUri = (publicUrl: string, kind: ProblemKind): string => `${publicUrl}/problems/${kind}`;

/**
 * A problem of a named kind, with extension members beside `detail` (RFC 9457 section 3.2); each
 * must name fields and rules, never a submitted value.
 */
export class KindOfProblem extends HttpException {
  constructor(
    readonly kind: ProblemKind,
    detail: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail, PROBLEM_TYPES[kind].status);
  }
}
