import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CommandRejected, type RejectionKind, StaleRevision } from '../../libs/domain/index.js';
import { WrongExpectedRevisionError } from '../../libs/event-store/index.js';

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

/** A problem whose details carry extension members beside `detail`; each must name fields and rules, never a submitted value. */
export class ExtendedProblem extends HttpException {
  constructor(
    status: number,
    detail: string,
    readonly extensions: Readonly<Record<string, unknown>>,
  ) {
    super(detail, status);
  }
}

const REJECTION_STATUS: Readonly<Record<RejectionKind, number>> = {
  invalid: HttpStatus.UNPROCESSABLE_ENTITY,
  not_found: HttpStatus.NOT_FOUND,
  forbidden: HttpStatus.FORBIDDEN,
  conflict: HttpStatus.CONFLICT,
  consent_required: HttpStatus.UNPROCESSABLE_ENTITY,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Request too large',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  428: 'Precondition required',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problems');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const problem = this.toProblem(exception);
    // The route's pattern (/cases/:caseId), never the path as sent: an id slot may hold anything, a
    // name included, and a case nobody may see must answer exactly as one that does not exist.
    const route = (request as { route?: { path?: unknown } }).route?.path;
    if (typeof route === 'string') problem.instance = route;
    // The id the request log has too (platform/logging.ts), so a caller's report finds its line.
    const { id } = request as { id?: unknown };
    const body = typeof id === 'string' ? { ...problem, requestId: id } : problem;
    http.getResponse<Response>().status(problem.status).type('application/problem+json').json(body);
  }

  private toProblem(exception: unknown): Problem {
    // CaseAlreadyErased is one of them: a conflict, as any command on an erased case has always been answered.
    if (exception instanceof CommandRejected) {
      const status = REJECTION_STATUS[exception.kind];
      return problem(status, exception.message, exception.kind.replace('_', '-'));
    }
    // The If-Match the caller sent is stale: its message names only revision numbers.
    if (exception instanceof StaleRevision) return problem(HttpStatus.PRECONDITION_FAILED, exception.message);
    if (exception instanceof WrongExpectedRevisionError) {
      return problem(
        HttpStatus.CONFLICT,
        'the case changed while this request was processed; read it again and retry',
        'concurrent-change',
      );
    }
    // Nest wraps body-parser's errors; their messages can quote the submitted text, so none is passed on.
    const bodyError = exception instanceof HttpException ? exception.cause : exception;
    const bodyErrorType = (bodyError as { type?: unknown } | null)?.type;
    if (bodyError instanceof SyntaxError || bodyErrorType === 'entity.parse.failed') {
      return problem(HttpStatus.BAD_REQUEST, 'the body is not valid JSON');
    }
    // body-parser's message names the charset as sent.
    if (bodyErrorType === 'charset.unsupported')
      return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "the body's charset is not one this service reads (utf-8)");
    if (exception instanceof ExtendedProblem) return { ...problem(exception.getStatus(), exception.message), ...exception.extensions };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Typed string | object, yet an HttpException may be built with anything, null included.
      const body: unknown = exception.getResponse();
      const messages = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : body;
      if (Array.isArray(messages)) return { ...problem(status, 'the request is not valid', 'validation'), errors: messages.map(String) };
      // The router's own 404 quotes the path, which a client may have filled with anything.
      if (status === (HttpStatus.NOT_FOUND as number) && typeof messages === 'string' && /^Cannot [A-Z]+ /.test(messages))
        return problem(status, 'there is no such route');
      return problem(status, typeof messages === 'string' ? messages : exception.message);
    }
    // body-parser's errors (malformed JSON, too large) carry a status but are not HttpExceptions.
    const status = (exception as { status?: unknown; type?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const { type } = exception as { type?: unknown };
      return problem(status, type === 'entity.too.large' ? 'the body is too large' : 'the request could not be read');
    }
    // The message of an unexpected error may hold anything, personal data included: log its kind and stack only.
    const error = exception instanceof Error ? exception : new Error('non-error thrown');
    this.logger.error(`${error.name} while handling a request`, error.stack?.split('\n').slice(1).join('\n'));
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, 'an unexpected error occurred');
  }
}

function problem(status: number, detail: string, slug?: string): Problem {
  const title = TITLES[status] ?? 'Error';
  return { type: `/problems/${slug ?? title.toLowerCase().replace(/ /g, '-')}`, title, status, detail };
}
