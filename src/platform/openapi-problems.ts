import type { OpenAPIObject, ResponseObject } from '@nestjs/swagger';
import { PROBLEM_KINDS, PROBLEM_TYPES, type ProblemKind, kindOfStatus, problemDescription } from './problem-catalogue.js';

/** Set by @Public() on an operation; turned here into OpenAPI's own "no security" (`security: []`). */
export const PUBLIC_OPERATION = 'x-public';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The one schema of every problem answer (RFC 9457 calls it problem details). */
export const PROBLEM_SCHEMA = 'ProblemDetails';

const PROBLEM_CONTENT = { 'application/problem+json': { schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA}` } } };

/** Headers some problems carry, as RFC 9110 and RFC 6750 ask. */
const PROBLEM_HEADERS: Partial<Record<ProblemKind, ResponseObject['headers']>> = {
  'not-signed-in': {
    'WWW-Authenticate': {
      description:
        'The schemes taken, `Bearer realm="referrals"` and `ApiKey realm="referrals"`, with `error="invalid_token"` on the one sent and refused',
      schema: { type: 'string' },
    },
  },
  'unsupported-media-type': { Accept: { description: 'The media type the route takes: `application/json`', schema: { type: 'string' } } },
  'too-many-requests': {
    'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } },
    'RateLimit-Policy': { description: 'The policy met, its quota and window: `"writes";q=120;w=60`', schema: { type: 'string' } },
    RateLimit: { description: 'What remains of it (nothing) and for how long: `"writes";r=0;t=42`', schema: { type: 'string' } },
  },
};

/** The narrower kind a route named (@ApiProblems with a slug): its response carries that kind's description. */
const narrowerKindOf = (status: number, response: unknown): ProblemKind | undefined =>
  PROBLEM_KINDS.find(
    (kind) =>
      PROBLEM_TYPES[kind].status === status && (response as { description?: string } | undefined)?.description === problemDescription(kind),
  );

/**
 * Describes the problem answers in the generated OpenAPI document, from the one catalogue: a ProblemDetails
 * schema, a response per kind, and on each operation the problems that any operation of its shape can
 * get (a signed-in route 401 and 403, a body 400, 413 and 415, an id in the path 404, a write 429, a
 * write to a case 409, 412 and 422), every other one under `default`. Security is required everywhere
 * but on @Public() operations.
 */
export function describeProblems(document: OpenAPIObject): OpenAPIObject {
  const kinds = PROBLEM_KINDS.join('|');
  const components = document.components ?? {};
  components.schemas = {
    ...components.schemas,
    [PROBLEM_SCHEMA]: {
      type: 'object',
      description: 'RFC 9457 problem details. `detail` and `errors` name fields, rules and ids, never a value that was sent.',
      required: ['type', 'title', 'status'],
      properties: {
        type: {
          type: 'string',
          format: 'uri',
          pattern: `^(about:blank|https?://.+/problems/(${kinds}))$`,
          description:
            'The kind of problem: `<public URL>/problems/<kind>`, a page saying what it means and what to do (`about:blank` for a status with no kind of its own)',
        },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        instance: { type: 'string', description: "The route's pattern (`/cases/:caseId`), never the path as sent" },
        errors: { type: 'array', items: { type: 'string' }, description: 'Each field rule the request breaks (400)' },
      },
      additionalProperties: true,
    },
  };
  components.responses = {
    ...components.responses,
    ...Object.fromEntries(
      PROBLEM_KINDS.map((kind) => [
        kind,
        {
          description: problemDescription(kind),
          ...(PROBLEM_HEADERS[kind] ? { headers: PROBLEM_HEADERS[kind] } : {}),
          content: PROBLEM_CONTENT,
        },
      ]),
    ),
  };
  document.components = components;
  document.security = [{ bearer: [] }, { ApiKey: [] }];
  const refer = (kind: ProblemKind) => ({ $ref: `#/components/responses/${kind}` });
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      // The extension is not a member of the operation's type, yet that is where ApiExtension puts it.
      const members = operation as unknown as Record<string, unknown>;
      const open = members[PUBLIC_OPERATION] === true;
      Reflect.deleteProperty(members, PUBLIC_OPERATION);
      if (open) operation.security = [];
      const problems: Record<string, ProblemKind> = {
        ...(operation.requestBody || operation.parameters?.length ? { 400: 'malformed-request' } : {}),
        ...(open ? {} : { 401: 'not-signed-in', 403: 'not-allowed' }),
        ...(path.includes('{') ? { 404: 'not-found' } : {}),
        ...(operation.requestBody ? { 413: 'request-too-large', 415: 'unsupported-media-type' } : {}),
        ...(method === 'get' ? {} : { 429: 'too-many-requests' }),
        ...(method !== 'get' && writesCase(operation) ? { 409: 'conflict', 412: 'precondition-failed', 422: 'rule-violated' } : {}),
      };
      // An error a route names itself (@ApiProblems, or Terminus's 503) is the catalogue's response of its kind too, headers
      // included: every error is answered as problem details (problem-details.filter.ts), whatever a decorator says.
      const named = Object.entries(operation.responses).map(([status, response]) => {
        const kind = narrowerKindOf(Number(status), response) ?? kindOfStatus(Number(status));
        return [status, kind && Number(status) >= 400 ? refer(kind) : response] as const;
      });
      operation.responses = {
        ...Object.fromEntries(Object.entries(problems).map(([status, kind]) => [status, refer(kind)])),
        ...Object.fromEntries(named),
        default: { description: 'Any other problem (the responses in components name every kind)', content: PROBLEM_CONTENT },
      };
    }
  }
  return document;
}

/** A write to a case names the case's revision it expects (If-Match, src/cases/case-routes.ts). */
const writesCase = (operation: { parameters?: ReadonlyArray<{ name?: string; in?: string } | { $ref: string }> }) =>
  operation.parameters?.some((p) => 'name' in p && p.name === 'If-Match' && p.in === 'header') ?? false;
