import type { LoggerService } from '@nestjs/common';

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
 * One JSON object per line (LOG_FORMAT=json), for log collectors. Messages are written by this
 * service and never carry personal data; credentials are redacted in case a library's do.
 */
export class JsonLogger implements LoggerService {
  constructor(private readonly out: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

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
    this.write('verbose', message, rest);
  }

  private write(level: string, message: unknown, rest: unknown[]): void {
    // Nest passes the context last; an error's stack comes before it.
    const context = typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : undefined;
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    const text =
      typeof message === 'string' ? message : message instanceof Error ? `${message.name}: ${message.message}` : stringified(message);
    this.out(
      JSON.stringify({
        time: new Date().toISOString(),
        level,
        ...(context ? { context } : {}),
        message: redact(text ?? ''),
        ...(stack ? { stack: redact(stack) } : {}),
      }),
    );
  }
}
