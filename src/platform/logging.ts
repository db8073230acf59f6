import type { LoggerService } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { type DestinationStream, type Logger, pino } from 'pino';

/**
 * Credentials that could reach a log line by accident (an error's message, a library's output):
 * bearer tokens, JWTs, the service's API keys and refresh tokens, anything after `password`, and the
 * `user:password@` of a URL (KURRENTDB_URL's, a database URL's) in a library's message.
 */
const SECRETS: ReadonlyArray<[RegExp, string]> = [
  [/\b(Bearer|ApiKey)\s+\S+/gi, '$1 [redacted]'],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
  [/\b(rk|rt)_[0-9a-f]{32}_[A-Za-z0-9_-]+/g, '$1_[redacted]'],
  [/("?password"?\s*[:=]\s*)("[^"]*"|\S+)/gi, '$1[redacted]'],
  // Up to the last `@` of the URL: a password may hold an `@` the writer forgot to encode.
  [/\b([a-z][a-z0-9+.-]*:\/\/)\S*@/gi, '$1[redacted]@'],
];

export const redact = (text: string): string => SECRETS.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), text);
/** JSON.stringify gives undefined for undefined or a function, whatever its type says. */
const stringified = (value: unknown) => JSON.stringify(value) as string | undefined;

/**
 * The service's structured log: one JSON object per line (time, level, message, and what each line
 * adds), to stdout unless told where. Nothing logged through it carries a value a client sent.
 */
export function createLog(destination?: DestinationStream): Logger {
  const options = {
    messageKey: 'message',
    base: null,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Nest's messages through the structured log (LOG_FORMAT=json). They are written by this service and
 * never carry personal data; credentials are redacted in case a library's do.
 */
export class StructuredLogger implements LoggerService {
  constructor(private readonly out: Logger) {}

  log(message: unknown, ...rest: unknown[]) {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, rest: unknown[]): void {
    // Nest passes the context last; an error's stack comes before it.
    const context = typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : undefined;
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    const text =
      typeof message === 'string' ? message : message instanceof Error ? `${message.name}: ${message.message}` : stringified(message);
    this.out[level]({ ...(context ? { context } : {}), ...(stack ? { stack: redact(stack) } : {}) }, redact(text ?? ''));
  }
}

/**
 * A proxy's or a client's request id is kept when it is a UUID or 16 to 64 hex digits (nginx's
 * $request_id, a trace id); any other shape could carry anything, a name included, into the logs.
 */
const WELL_FORMED_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,64})$/i;
export const requestIdOf = (given: string | undefined): string => (given && WELL_FORMED_ID.test(given) ? given : randomUUID());

export type IdentifiedRequest = Request & { id?: string };

/** The route's pattern (/cases/:caseId), never the path as sent: an id slot may hold anything, a name included. */
export const routeOf = (request: Request): string => {
  const path = (request as { route?: { path?: unknown } }).route?.path;
  return typeof path === 'string' ? path : 'unmatched';
};

/**
 * Gives each request its id (echoed in `X-Request-Id` and in problem details) and, with a log, one
 * line when it is answered: id, method, route pattern, status and duration. No path, query, header
 * or body is logged: any of them may hold personal data or a credential.
 */
export function requestLogging(log: Logger | undefined) {
  return (request: IdentifiedRequest, response: Response, next: NextFunction): void => {
    const id = requestIdOf(request.header('x-request-id'));
    request.id = id;
    response.setHeader('X-Request-Id', id);
    if (log) {
      const started = process.hrtime.bigint();
      response.on('finish', () =>
        log.info(
          {
            requestId: id,
            method: request.method,
            route: routeOf(request),
            status: response.statusCode,
            durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          },
          'request answered',
        ),
      );
    }
    next();
  };
}
