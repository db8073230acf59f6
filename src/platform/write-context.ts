import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../identity/principal.js';

export interface WriteContext {
  readonly principal: Principal;
  readonly idempotencyKey?: string;
  /** The case revision named by If-Match. */
  readonly expectedRevision?: number;
  readonly correlationId: string;
  /** Method and path, so one Idempotency-Key cannot be replayed onto another request. */
  readonly route: string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,200}$/;
const IF_MATCH = /^(?:W\/)?"(\d{1,15})"$|^(\d{1,15})$/;
const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;

export function writeContextOf(request: Request & { user: Principal }): WriteContext {
  const key = request.header('idempotency-key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
    throw new BadRequestException('Idempotency-Key must be 8 to 200 visible ASCII characters');
  const ifMatch = request.header('if-match');
  let expectedRevision: number | undefined;
  if (ifMatch !== undefined) {
    const match = IF_MATCH.exec(ifMatch.trim());
    if (!match) throw new BadRequestException('If-Match must be the ETag of the case, e.g. "3"');
    expectedRevision = Number(match[1] ?? match[2]);
  }
  // Only well-formed ids are carried into events and logs; anything else is replaced.
  const requestId = request.header('x-request-id');
  return {
    principal: request.user,
    ...(key !== undefined ? { idempotencyKey: key } : {}),
    ...(expectedRevision !== undefined ? { expectedRevision } : {}),
    correlationId: requestId && REQUEST_ID.test(requestId) ? requestId : randomUUID(),
    route: `${request.method} ${request.path}`,
  };
}

export const Write = createParamDecorator((_: unknown, context: ExecutionContext) => writeContextOf(context.switchToHttp().getRequest()));
