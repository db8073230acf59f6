import { describe, expect, it } from '@jest/globals';
import type { OpenAPIObject } from '@nestjs/swagger';
import { readFile } from 'node:fs/promises';
import { OpenApiContract } from './support/openapi-contract.js';
import { PUBLIC_ROUTES, isPublic } from './support/route-specs.js';
import { useTestApp } from './support/test-app.js';

/**
 * The OpenAPI document is what the screens' typed client is generated from (web/src/api/schema.ts):
 * every operation must say what it answers, success and problems alike, and say it truly. The
 * protected routes' real answers are checked against it in the security matrix (every cell); the
 * public ones here.
 */
interface Operation {
  security?: unknown[];
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<string, Response>;
}
interface Response {
  $ref?: string;
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: unknown }>;
}
const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

describe('the OpenAPI document (PGlite)', () => {
  const t = useTestApp();
  const document = async () => (await t.http.get('/api/docs-json').expect(200)).body as OpenAPIObject;
  const operations = async () =>
    Object.entries((await document()).paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, Operation>)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, method, path, operation })),
    );
  const resolved = (doc: OpenAPIObject, response: Response): Response =>
    response.$ref
      ? (doc.components!.responses as Record<string, Response>)[response.$ref.replace('#/components/responses/', '')]!
      : response;

  it('gives every operation a success answer with a schema for each media type (204 excepted)', async () => {
    const missing = (await operations()).flatMap(({ name, operation }) => {
      const successes = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (successes.length === 0) return [`${name}: no success answer`];
      return successes.flatMap(([status, response]) => {
        if (status === '204') return [];
        const content = Object.entries(response.content ?? {});
        if (content.length === 0) return [`${name} ${status}: no body described`];
        return content.filter(([, media]) => !media.schema).map(([type]) => `${name} ${status} ${type}: no schema`);
      });
    });
    expect(missing).toEqual([]);
  });

  it('answers every error of every operation as ProblemDetails, a 429 with Retry-After and RateLimit', async () => {
    const doc = await document();
    const wrong = (await operations()).flatMap(({ name, operation }) =>
      Object.entries(operation.responses)
        .filter(([status]) => status === 'default' || Number(status) >= 400)
        .filter(([, response]) => {
          const schema = resolved(doc, response).content?.['application/problem+json']?.schema as { $ref?: string } | undefined;
          return schema?.$ref !== '#/components/schemas/ProblemDetails';
        })
        .map(([status]) => `${name} ${status}`),
    );
    expect(wrong).toEqual([]);
    expect(Object.keys(resolved(doc, { $ref: '#/components/responses/too-many-requests' }).headers ?? {})).toEqual(
      expect.arrayContaining(['Retry-After', 'RateLimit', 'RateLimit-Policy']),
    );
  });

  it('names the problems each kind of operation can get: 401 and 403 when signed in, 429 on writes, 409, 412 and 422 on case writes', async () => {
    const all = await operations();
    const lacking = (want: (o: (typeof all)[number]) => boolean, statuses: string[]) =>
      all.filter(want).flatMap(({ name, operation }) => statuses.filter((s) => !operation.responses[s]).map((s) => `${name} ${s}`));
    const caseWrite = (o: (typeof all)[number]) => o.method !== 'get' && o.path.startsWith('/cases/');
    expect(lacking(({ operation }) => operation.security === undefined, ['401', '403'])).toEqual([]);
    expect(lacking(({ method }) => method !== 'get', ['429'])).toEqual([]);
    expect(lacking(caseWrite, ['409', '412', '422'])).toEqual([]);
  });

  it('documents the ETag and Idempotent-Replayed of case writes and the ETag of the owner’s read of a case', async () => {
    const all = await operations();
    const headersOf = (operation: Operation) =>
      Object.entries(operation.responses)
        .filter(([status]) => status.startsWith('2'))
        .map(([, response]) => Object.keys(response.headers ?? {}));
    for (const { operation } of all.filter((o) => o.method !== 'get' && o.path.startsWith('/cases')))
      for (const headers of headersOf(operation)) expect(headers).toEqual(expect.arrayContaining(['ETag', 'Idempotent-Replayed']));
    expect(headersOf(all.find((o) => o.name === 'GET /cases/{caseId}')!.operation)).toEqual([['ETag']]);
  });

  it('describes the other media types: FHIR JSON, CSV, plain text, JWKS, Prometheus text, HTML', async () => {
    const types = (name: string) => Object.keys(all.find((o) => o.name === name)!.operation.responses['200']!.content ?? {});
    const all = await operations();
    expect(types('GET /cases/{caseId}/fhir/consents')).toEqual(['application/fhir+json']);
    expect(types('GET /audit/access-log')).toEqual(['application/json', 'text/csv']);
    expect(types('GET /cases/{caseId}/consents/{consentId}/receipt.txt')).toEqual(['text/plain']);
    expect(types('GET /.well-known/jwks.json')).toEqual(['application/jwk-set+json']);
    expect(types('GET /metrics')).toEqual(['text/plain']);
    expect(types('GET /problems/{kind}')).toEqual(['text/html']);
  });

  it('requires a bearer token or an API key everywhere but on the public routes, which say `security: []`', async () => {
    const doc = await document();
    expect(Object.keys(doc.components!.securitySchemes!).sort()).toEqual(['ApiKey', 'bearer']);
    const misdeclared = (await operations())
      .filter(({ method, path, operation }) => isPublic(method.toUpperCase(), path) !== (JSON.stringify(operation.security) === '[]'))
      .map(({ name }) => name);
    expect(misdeclared).toEqual([]);
  });

  it('answers the public routes as documented', async () => {
    const contract = new OpenApiContract(await document());
    const token = (await t.http.post('/auth/token').send({ username: 'caseworker.social', password: t.password }).expect(200)).body as {
      refresh_token: string;
    };
    const refreshed = await t.http.post('/auth/refresh').send({ refresh_token: token.refresh_token });
    const calls: Array<[string, string, () => Promise<{ status: number; headers: Record<string, string>; body: unknown; text: string }>]> =
      [
        ['GET', '/health', () => t.http.get('/health')],
        ['GET', '/health/live', () => t.http.get('/health/live')],
        ['GET', '/health/ready', () => t.http.get('/health/ready')],
        ['GET', '/metrics', () => t.http.get('/metrics')],
        ['GET', '/.well-known/jwks.json', () => t.http.get('/.well-known/jwks.json')],
        ['GET', '/problems', () => t.http.get('/problems')],
        ['GET', '/problems/:kind', () => t.http.get('/problems/not-found')],
        ['GET', '/problems/:kind', () => t.http.get('/problems/no-such-kind')],
        ['GET', '/auth/oidc', () => t.http.get('/auth/oidc')],
        ['POST', '/auth/token', () => t.http.post('/auth/token').send({ username: 'caseworker.social', password: 'not-the-password' })],
        // A refusal (a new password too short), so the shared demo user keeps its password for the other tests.
        [
          'POST',
          '/auth/password',
          () => t.http.post('/auth/password').send({ username: 'caseworker.social', currentPassword: t.password, newPassword: 'short' }),
        ],
        ['POST', '/auth/refresh', () => Promise.resolve(refreshed)],
        ['POST', '/auth/refresh', () => t.http.post('/auth/refresh').send({ refresh_token: token.refresh_token })],
        ['POST', '/auth/logout', () => t.http.post('/auth/logout').send({ refresh_token: (refreshed.body as typeof token).refresh_token })],
      ];
    expect(new Set(calls.map(([method, path]) => `${method} ${path}`)).size).toBe(
      PUBLIC_ROUTES.filter((r) => !r.path.startsWith('/api/docs')).length + 3, // /health* stands for three, /problems* for two
    );
    for (const [method, path, send] of calls) contract.expectDocumented(method, path, await send());
  });

  it('generates a typed client with no `never` answer: only a 204 has no body', async () => {
    const client = await readFile('web/src/api/schema.ts', 'utf8');
    const bodiless = [...client.matchAll(/(\S+): \{\s*headers: \{\s*\[name: string\]: unknown;\s*\};\s*content\?: never;/g)].map(
      (m) => m[1],
    );
    expect(bodiless.every((status) => status === '204')).toBe(true);
    expect(client).not.toMatch(/content: never|: never\[\]|"application\/json": never/);
  });
});
