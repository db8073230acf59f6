import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { CommandRejected, type RejectionKind, StaleRevision } from '../../libs/domain/index.js';
import { WrongExpectedRevisionError } from '../../libs/event-store/index.js';
import { allowedMethods } from './allowed-methods.js';
import { KindOfProblem, PROBLEM_TYPES, type ProblemKind, kindOfStatus, problemTypeUri } from './problem-catalogue.js';

/** RFC 9457 problem details. `detail` names rules and fields, never a submitted value. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: string[];
  /** Extension members (RFC 9457 section 3.2), e.g. the invalid records of an import. */
  readonly [member: string]: unknown;
}

/** What the filter decides before it knows where the problem pages are: a kind, or a bare status the catalogue does not name. */
interface Decided {
  readonly kind?: ProblemKind;
  readonly status: number;
  readonly detail: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
  /** Response headers the status calls for (Allow on 405). */
  readonly headers?: Readonly<Record<string, string>>;
}

const REJECTION_KIND: Readonly<Record<RejectionKind, ProblemKind>> = {
  invalid: 'rule-violated',
  not_found: 'not-found',
  forbidden: 'not-allowed',
  conflict: 'conflict',
  consent_required: 'consent-required',
};

/** The realm of every challenge: the protection space is the whole API. */
const REALM = 'referrals';
/** The schemes the credential strategies take (src/identity: the service's or the identity provider's tokens, partner API keys). */
const SCHEMES = ['Bearer', 'ApiKey'] as const;

/** A Host header that is a host name or address with an optional port, and nothing else. */
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problems');

  /** `publicUrl`: where clients reach the service (PUBLIC_URL); unset, the request's own origin. */
  constructor(private readonly publicUrl?: string) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const decided = this.withMethods(this.decide(exception), request);
    const problem = this.toProblem(decided, request);
    // The route's pattern (/cases/:caseId), never the path as sent: an id slot may hold anything, a
    // name included, and a case nobody may see must answer exactly as one that does not exist.
    const route = (request as { route?: { path?: unknown } }).route?.path;
    if (typeof route === 'string') problem.instance = route;
    for (const [name, value] of Object.entries(decided.headers ?? {})) response.setHeader(name, value);
    if (problem.status === (HttpStatus.UNAUTHORIZED as number)) response.setHeader('WWW-Authenticate', challenges(request));
    // The id the request log has too (platform/logging.ts), so a caller's report finds its line.
    const { id } = request as { id?: unknown };
    response
      .status(problem.status)
      .type('application/problem+json')
      .json(typeof id === 'string' ? { ...problem, requestId: id } : problem);
  }

  private toProblem({ kind, status, detail, extensions }: Decided, request: Request): Problem {
    if (!kind) return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, ...extensions };
    const { title } = PROBLEM_TYPES[kind];
    return { type: problemTypeUri(this.publicUrl ?? originOf(request), kind), title, status, detail, ...extensions };
  }

  /** The router's 404 for a path that exists with other methods is a 405 naming them (RFC 9110 section 15.5.6). */
  private withMethods(decided: Decided, request: Request): Decided {
    if (decided.kind !== 'not-found' || decided.detail !== NO_SUCH_ROUTE) return decided;
    const allowed = allowedMethods(request.app, request.path);
    if (allowed.length === 0) return decided;
    return {
      kind: 'method-not-allowed',
      status: HttpStatus.METHOD_NOT_ALLOWED,
      detail: `this route takes ${allowed.join(', ')}`,
      headers: { Allow: allowed.join(', ') },
    };
  }

  private decide(exception: unknown): Decided {
    // CaseAlreadyErased is one of them: a conflict, as any command on an erased case has always been answered.
    if (exception instanceof CommandRejected) return ofKind(REJECTION_KIND[exception.kind], exception.message);
    // The If-Match the caller sent is stale: its message names only revision numbers.
    if (exception instanceof StaleRevision) return ofKind('precondition-failed', exception.message);
    if (exception instanceof WrongExpectedRevisionError)
      return ofKind('concurrent-change', 'the case changed while this request was processed; read it again and retry');
    // Nest wraps body-parser's errors; their messages can quote the submitted text, so none is passed on.
    const bodyError = exception instanceof HttpException ? exception.cause : exception;
    const bodyErrorType = (bodyError as { type?: unknown } | null)?.type;
    if (bodyError instanceof SyntaxError || bodyErrorType === 'entity.parse.failed')
      return ofKind('malformed-request', 'the body is not valid JSON');
    // body-parser's message names the charset as sent.
    if (bodyErrorType === 'charset.unsupported')
      return ofKind('unsupported-media-type', "the body's charset is not one this service reads (utf-8)");
    if (exception instanceof KindOfProblem) return { ...ofKind(exception.kind, exception.message), extensions: exception.extensions };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Typed string | object, yet an HttpException may be built with anything, null included.
      const body: unknown = exception.getResponse();
      const messages = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : body;
      if (Array.isArray(messages)) return { ...ofStatus(status, 'the request is not valid'), extensions: { errors: messages.map(String) } };
      // The router's own 404 quotes the path, which a client may have filled with anything.
      if (status === (HttpStatus.NOT_FOUND as number) && typeof messages === 'string' && /^Cannot [A-Z]+ /.test(messages))
        return ofStatus(status, NO_SUCH_ROUTE);
      return ofStatus(status, typeof messages === 'string' ? messages : exception.message);
    }
    // body-parser's errors (too large, an unsupported Content-Encoding) carry a status but are not HttpExceptions.
    const status = (exception as { status?: unknown; type?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const { type } = exception as { type?: unknown };
      return ofStatus(status, type === 'entity.too.large' ? 'the body is too large' : 'the request could not be read');
    }
    // The message of an unexpected error may hold anything, personal data included: log its kind and stack only.
    const error = exception instanceof Error ? exception : new Error('non-error thrown');
    this.logger.error(`${error.name} while handling a request`, error.stack?.split('\n').slice(1).join('\n'));
    return ofKind('internal-error', 'an unexpected error occurred');
  }
}

const NO_SUCH_ROUTE = 'there is no such route';

const ofKind = (kind: ProblemKind, detail: string): Decided => ({ kind, status: PROBLEM_TYPES[kind].status, detail });

/** A status the catalogue does not name is answered as itself, with RFC 9457's `about:blank` type. */
const ofStatus = (status: number, detail: string): Decided => {
  const kind = kindOfStatus(status);
  return kind ? ofKind(kind, detail) : { status, detail };
};

/** The request's own origin, for a service with no PUBLIC_URL; a Host header that is not a plain host falls back to localhost. */
function originOf(request: Request): string {
  const host = request.get('host') ?? '';
  return `${request.protocol}://${HOST.test(host) ? host : 'localhost'}`;
}

/**
 * RFC 9110 section 11.6.1: a 401 names the schemes that would be taken. A credential that was sent
 * and refused gets RFC 6750's `invalid_token`; a request without one gets no error code.
 */
function challenges(request: Request): string[] {
  const sent = /^(\S+)\s/.exec(request.get('authorization') ?? '')?.[1]?.toLowerCase();
  return SCHEMES.map((scheme) =>
    sent === scheme.toLowerCase()
      ? `${scheme} realm="${REALM}", error="invalid_token", error_description="the credential is not valid"`
      : `${scheme} realm="${REALM}"`,
  );
}
