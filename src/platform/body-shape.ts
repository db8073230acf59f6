import { BadRequestException, type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, type ValidationError } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

/** Deeper than any body the API takes; a deeper one would only exhaust the validator's stack. */
const MAX_DEPTH = 16;
/** Names the validation layer removes or skips silently instead of refusing: refused here, by name. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString']);

/**
 * Refuses, before any pipe runs: a body on a route that takes none (it would be ignored silently),
 * a body nested deeper than MAX_DEPTH, and fields with reserved names. Iterative, so a hostile body
 * cannot exhaust the stack here either.
 */
@Injectable()
export class BodyShapeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const body = context.switchToHttp().getRequest<Request>().body as unknown;
    const empty = body === undefined || (isPlainObject(body) && Object.keys(body).length === 0);
    if (!empty && !takesBody(context)) throw new BadRequestException('this action takes no body');
    if (!empty) check(body);
    return next.handle();
  }
}

function takesBody(context: ExecutionContext): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as Record<string, unknown>;
  return Object.keys(args).some((key) => key.startsWith(`${RouteParamtypes.BODY}:`));
}

function check(body: unknown): void {
  const pending: Array<[unknown, number]> = [[body, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_DEPTH) throw new BadRequestException(`the body is nested deeper than ${MAX_DEPTH} levels`);
    for (const key of Object.keys(value)) {
      if (RESERVED_NAMES.has(key)) throw new BadRequestException('the body has a field with a reserved name');
      pending.push([(value as Record<string, unknown>)[key], depth + 1]);
    }
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validation messages for the problem details. A field the route does not take is reported by
 * where it is, never by its name: a client could have put anything there, a person's name included.
 */
export function validationMessages(errors: readonly ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) =>
      rule === 'whitelistValidation' ? `${parent || 'the body'} has a field this route does not take` : message.replace(error.property, path));
    return [...own, ...validationMessages(error.children ?? [], path)];
  });
}
