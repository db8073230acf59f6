import type { OpenAPIObject, ResponseObject } from '@nestjs/swagger';

const ETAG = {
  ETag: { description: 'The case revision, to send back as If-Match on the next write: `"3"`', schema: { type: 'string' } },
} satisfies ResponseObject['headers'];
const REPLAYED = {
  'Idempotent-Replayed': {
    description: '`true` when the answer is the first one to the same Idempotency-Key, nothing appended again',
    schema: { type: 'string', enum: ['true'] },
  },
} satisfies ResponseObject['headers'];

/**
 * The headers case routes set on success (src/cases/case-answer.ts): the revision as ETag on a write
 * and on the owner's read, and Idempotent-Replayed on a write answered again. Case routes are the ones
 * that take If-Match (src/cases/case-routes.ts).
 */
export function describeSuccessHeaders(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item) as Array<[string, { parameters?: unknown[]; responses?: object }]>) {
      if (!operation.responses || !operation.parameters?.some((p) => (p as { name?: string }).name === 'If-Match')) continue;
      if (method === 'get' && path !== '/cases/{caseId}') continue;
      const headers = method === 'get' ? ETAG : { ...ETAG, ...REPLAYED };
      for (const [status, response] of Object.entries(operation.responses as Record<string, ResponseObject>)) {
        if (/^2\d\d$/.test(status) && 'description' in response) response.headers = { ...response.headers, ...headers };
      }
    }
  }
  return document;
}
