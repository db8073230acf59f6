import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type ApiResponseSchemaHost } from '@nestjs/swagger';
import { PROBLEM_TYPES, type ProblemKind, kindOfStatus, problemDescription } from './problem-catalogue.js';
import { PROBLEM_SCHEMA } from './openapi-problems.js';

/** A JSON Schema as @nestjs/swagger takes it (the package exports the type only inside this one). */
export type SchemaObject = Omit<ApiResponseSchemaHost['schema'], '$ref'>;

/**
 * The error answers a route names beside the ones every route of its shape gets (openapi-problems.ts),
 * each as application/problem+json of the catalogue's ProblemDetails schema, described by its kind: a
 * status stands for its usual kind, a kind's slug names a narrower one.
 */
export const ApiProblems = (...problems: Array<number | ProblemKind>) =>
  applyDecorators(
    ...problems.map((problem) => {
      const kind = typeof problem === 'number' ? kindOfStatus(problem) : problem;
      return ApiResponse({
        status: typeof problem === 'number' ? problem : PROBLEM_TYPES[problem].status,
        description: kind ? problemDescription(kind) : 'A problem',
        content: { 'application/problem+json': { schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA}` } } },
      });
    }),
  );

/** Small schema builders for the response bodies below and in the controllers: JSON Schema as OpenAPI 3.0 writes it. */
export const text = (extra: SchemaObject = {}): SchemaObject => ({ type: 'string', ...extra });
export const instant: SchemaObject = { type: 'string', format: 'date-time' };
export const oneOf = (values: readonly string[]): SchemaObject => ({ type: 'string', enum: [...values] });
export const list = (items: SchemaObject): SchemaObject => ({ type: 'array', items });
export const record = (properties: Record<string, SchemaObject>, required: readonly string[] = Object.keys(properties)): SchemaObject => ({
  type: 'object',
  properties,
  required: [...required],
});
/** Personal data as the caller may read it: by category, each an object of the fields recorded. */
export const personalData: SchemaObject = { type: 'object', additionalProperties: { type: 'object', additionalProperties: true } };
/** A page of a list, with the cursor of the next one when there is more. */
export const page = (item: SchemaObject): SchemaObject => ({
  type: 'object',
  properties: { items: list(item), nextCursor: text() },
  required: ['items'],
});
