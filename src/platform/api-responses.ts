import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, type ApiResponseSchemaHost, getSchemaPath } from '@nestjs/swagger';

/** A JSON Schema as @nestjs/swagger takes it (the package exports the type only inside this one). */
export type SchemaObject = Omit<ApiResponseSchemaHost['schema'], '$ref'>;

/** RFC 9457 problem details as every error of the service answers them (ProblemDetailsFilter). */
export class ProblemDetails {
  @ApiProperty({ example: 'about:blank' }) type!: string;
  @ApiProperty({ example: 'Unprocessable Entity' }) title!: string;
  @ApiProperty({ example: 422 }) status!: number;
  @ApiPropertyOptional({ description: 'What went wrong, naming fields and rules, never a submitted value' }) detail?: string;
  @ApiPropertyOptional() instance?: string;
  @ApiPropertyOptional({ type: [String] }) errors?: string[];
}

const MEANINGS: Record<number, string> = {
  400: 'The request is malformed or breaks a field rule',
  401: 'No valid credential',
  403: 'The role may not do this',
  404: 'No such resource, or one the caller may not see',
  409: 'The state of the resource does not allow this',
  412: 'If-Match names a revision that is no longer current',
  413: 'The body is too large',
  422: 'The rules refuse the request (consent, eligibility)',
  429: 'Too many requests; Retry-After says when to try again',
};

/** The error answers of a route, each as application/problem+json: one decorator, so the error schema is defined once. */
export const ApiProblems = (...statuses: Array<keyof typeof MEANINGS>) =>
  applyDecorators(
    ApiExtraModels(ProblemDetails),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: MEANINGS[status]!,
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetails) } } },
      }),
    ),
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
