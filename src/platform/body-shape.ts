import {
  BadRequestException,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  UnsupportedMediaTypeException,
  type ValidationError,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';

/** Deeper than any body the API takes; a deeper one would only exhaust the validator's stack. */
const MAX_DEPTH = 16;
/** Names the validation layer removes or skips silently instead of refusing: refused here, by name. */
const RESERVED_NAMES = new Set([
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
]);

/** PostgreSQL stores no NUL in text or JSON, and no field means one: refused as malformed instead of failing at the database. */
const NUL = '\u0000';
const NUL_REFUSED = 'the request holds a NUL character (U+0000), which no field, parameter or name takes';

/**
 * Refuses, before any pipe runs: a body that is not JSON (415 where the route takes one, naming JSON
 * in Accept), a body on a route that takes none (it would be ignored silently),
 * a body nested deeper than MAX_DEPTH, fields with reserved names, and a NUL character anywhere in
 * the body (names and values), the query or the path parameters. Iterative, so a hostile body
 * cannot exhaust the stack here either.
 */
@Injectable()
export class BodyShapeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const body = request.body as unknown;
    const empty = body === undefined || (isPlainObject(body) && Object.keys(body).length === 0);
    const takes = takesBody(context);
    // Only JSON is parsed: any other content would reach the route as no body at all, or be ignored.
    if (hasContent(request) && !request.is('application/json')) {
      if (!takes) throw new BadRequestException('this action takes no body');
      context.switchToHttp().getResponse<Response>().setHeader('Accept', 'application/json');
      throw new UnsupportedMediaTypeException('this route takes a JSON body (Content-Type: application/json)');
    }
    if (!empty && !takes) throw new BadRequestException('this action takes no body');
    check(request.query, 'parameters');
    check(request.params, 'parameters');
    if (!empty) check(body, 'body');
    return next.handle();
  }
}

/** Content is what a length above zero or a chunked transfer announces; an empty body is no body. */
const hasContent = (request: Request): boolean =>
  request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;

function takesBody(context: ExecutionContext): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as Record<string, unknown>;
  return Object.keys(args).some((key) => key.startsWith(`${RouteParamtypes.BODY}:`));
}

/** A body's depth and names are limited too; the query and path parameters (flat, parsed by the router) are only searched for NULs. */
function check(input: unknown, kind: 'body' | 'parameters'): void {
  const pending: Array<[unknown, number]> = [[input, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value === 'string' && value.includes(NUL)) throw new BadRequestException(NUL_REFUSED);
    if (value === null || typeof value !== 'object') continue;
    if (kind === 'body' && depth > MAX_DEPTH) throw new BadRequestException(`the body is nested deeper than ${MAX_DEPTH} levels`);
    for (const key of Object.keys(value)) {
      if (kind === 'body' && RESERVED_NAMES.has(key)) throw new BadRequestException('the body has a field with a reserved name');
      if (key.includes(NUL)) throw new BadRequestException(NUL_REFUSED);
      pending.push([(value as Record<string, unknown>)[key], depth + 1]);
    }
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validation messages for the problem details. A field the route does not take is reported by
 * where it is, never by its name: a client could have put anything there, a person's name included.
 */
export function validationMessages(errors: readonly ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) =>
      rule === 'whitelistValidation'
        ? `${parent || 'the body'} has a field this route does not take`
        : message.replace(error.property, path),
    );
    return [...own, ...validationMessages(error.children ?? [], path)];
  });
}
