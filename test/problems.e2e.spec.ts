import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { PROBLEM_KINDS, PROBLEM_TYPES } from '../src/platform/problem-catalogue.js';
import { bearerOf, openCase, post, read } from './support/case-steps.js';
import { allEvents, useTestApp } from './support/test-app.js';

/**
 * Error answers as the RFCs say, over the real HTTP stack (PGlite: none of this differs by database):
 * WWW-Authenticate on 401 (RFC 9110, RFC 6750), 415 with Accept, 405 with Allow, and problem types
 * (RFC 9457) that are absolute, one per kind, and resolve to a page the service serves.
 */
describe('errors as the RFCs say', () => {
  const t = useTestApp();

  /** The problem's kind, after checking that its type is an absolute URI of this service's problem pages. */
  function kindOf(response: Response): string {
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const type = String(response.body.type);
    expect(type).toMatch(/^https:\/\/referrals\.example\.org\/problems\/[a-z-]+$/);
    return type.slice(type.lastIndexOf('/') + 1);
  }

  const challenge = (response: Response) => String(response.headers['www-authenticate']);

  describe('401 names the schemes taken', () => {
    it('challenges a request without a credential with Bearer and ApiKey, no error code', async () => {
      const response = await t.http.get('/cases');
      expect(response.status).toBe(401);
      expect(kindOf(response)).toBe('not-signed-in');
      expect(challenge(response)).toBe('Bearer realm="referrals", ApiKey realm="referrals"');
    });

    it('answers a bearer token that is refused with invalid_token on the Bearer challenge', async () => {
      const response = await t.http.get('/cases').set('Authorization', 'Bearer not-a-token');
      expect(response.status).toBe(401);
      expect(challenge(response)).toBe(
        'Bearer realm="referrals", error="invalid_token", error_description="the credential is not valid", ApiKey realm="referrals"',
      );
    });

    it('answers an API key that is refused with invalid_token on the ApiKey challenge', async () => {
      const response = await t.http.get('/referrals').set('Authorization', `ApiKey rk_${'0'.repeat(32)}_${'A'.repeat(43)}`);
      expect(response.status).toBe(401);
      expect(challenge(response)).toBe(
        'Bearer realm="referrals", ApiKey realm="referrals", error="invalid_token", error_description="the credential is not valid"',
      );
    });

    it('challenges a refused sign-in too', async () => {
      const response = await t.http.post('/auth/token').send({ username: 'caseworker.social', password: 'not the password' });
      expect(response.status).toBe(401);
      expect(challenge(response)).toBe('Bearer realm="referrals", ApiKey realm="referrals"');
    });
  });

  describe('415 for a body that is not JSON, naming JSON in Accept', () => {
    it.each([
      ['text/plain', 'text/plain', 'source=hotline'],
      ['a form', 'application/x-www-form-urlencoded', 'source=hotline&ageGroup=adult'],
      ['XML', 'application/xml', '<case><source>hotline</source></case>'],
    ])('refuses %s on a route that takes JSON, and writes nothing', async (_label, type, body) => {
      const before = (await allEvents(t.store)).length;
      const response = await t.http
        .post('/cases')
        .set(await bearerOf(t, 'caseworker.social'))
        .set('Content-Type', type)
        .send(body);
      expect(response.status).toBe(415);
      expect(kindOf(response)).toBe('unsupported-media-type');
      expect(response.headers.accept).toBe('application/json');
      expect(JSON.stringify(response.body)).not.toContain('hotline');
      expect((await allEvents(t.store)).length).toBe(before);
    });

    it('refuses a body sent without any Content-Type', async () => {
      const response = await t.http
        .post('/cases')
        .set(await bearerOf(t, 'caseworker.social'))
        .send(Buffer.from('{"source":"hotline","ageGroup":"adult","indicators":[]}'));
      expect(response.request.getHeader('Content-Type')).toBeUndefined();
      expect(response.status).toBe(415);
      expect(response.headers.accept).toBe('application/json');
    });

    it('answers no body at all with the fields it lacks (400), not 415: there is no content of any type', async () => {
      const response = await t.http.post('/cases').set(await bearerOf(t, 'caseworker.social'));
      expect(response.status).toBe(400);
      expect(kindOf(response)).toBe('malformed-request');
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^source /)]));
    });

    it('refuses a text body on an action that takes no body, instead of ignoring it', async () => {
      const caseId = await openCase(t);
      const response = await t.http
        .post(`/cases/${caseId}/resumption`)
        .set(await bearerOf(t, 'caseworker.social'))
        .set('Content-Type', 'text/plain')
        .send('resume please');
      expect(response.status).toBe(400);
      expect(response.body.detail).toBe('this action takes no body');
    });

    it('still answers a case the caller may not see as unknown, before anything is read of the body', async () => {
      const response = await t.http
        .post(`/cases/${randomUUID()}/consents`)
        .set(await bearerOf(t, 'caseworker.social'))
        .set('Content-Type', 'text/plain')
        .send('hello');
      // The media type is checked before the case is looked up, the same for every case id: it tells nothing of the case.
      expect(response.status).toBe(415);
    });
  });

  describe('405 with Allow for a path that exists with other methods', () => {
    it('answers DELETE /cases with the methods the registered routes take there', async () => {
      const response = await t.http.delete('/cases').set(await bearerOf(t, 'caseworker.social'));
      expect(response.status).toBe(405);
      expect(kindOf(response)).toBe('method-not-allowed');
      expect(response.headers.allow).toBe('GET, HEAD, POST');
    });

    it('matches path patterns, so an id that exists nowhere gets the same 405 and tells nothing of it', async () => {
      const response = await t.http.put(`/cases/${randomUUID()}`);
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
    });

    it('lists methods every one of which the path does take (none answers 405 or 404)', async () => {
      const allowed = (await t.http.patch('/directory/agencies')).headers.allow!.split(', ');
      expect(allowed).toEqual(['GET', 'HEAD', 'POST']);
      for (const method of allowed) {
        const response = await t.http[method.toLowerCase() as 'get' | 'head' | 'post']('/directory/agencies');
        expect([404, 405]).not.toContain(response.status);
      }
    });

    it('keeps 404 for a path no route has, without repeating it', async () => {
      const response = await t.http.delete('/cases/Amina-Test-Person/lives-here');
      expect(response.status).toBe(404);
      expect(response.headers.allow).toBeUndefined();
      expect(JSON.stringify(response.body)).not.toContain('Amina');
    });
  });

  describe('problem types: one per kind, absolute, each resolving to a page', () => {
    it('serves a page for every type in the catalogue, without signing in, saying what it means and what to do', async () => {
      for (const kind of PROBLEM_KINDS) {
        const page = await t.http.get(`/problems/${kind}`);
        expect(page.status).toBe(200);
        expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(page.text).toContain(`<h1>${PROBLEM_TYPES[kind].title}</h1>`);
        expect(page.text).toContain('What it means');
        expect(page.text).toContain('What to do');
      }
    });

    it('follows the type of an answer to its page', async () => {
      const problem = await t.http.get(`/cases/${randomUUID()}`).set(await bearerOf(t, 'caseworker.social'));
      const page = await t.http.get(new URL(problem.body.type as string).pathname);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`<h1>${problem.body.title as string}</h1>`);
    });

    it('lists every type on the index page', async () => {
      const index = await t.http.get('/problems').expect(200);
      for (const kind of PROBLEM_KINDS) expect(index.text).toContain(`href="problems/${kind}"`);
    });

    it('answers a type that does not exist with 404', async () => {
      const response = await t.http.get('/problems/victim-of-typo');
      expect(response.status).toBe(404);
      expect(kindOf(response)).toBe('not-found');
    });

    it('gives a rule the decider applies and a rule a service applies the same type', async () => {
      const caseId = await openCase(t);
      const intake = await post(t, `/cases/${caseId}/intake`, { caseworkerId: randomUUID() });
      const users = (await read(t, '/agency/users', 'admin.social')) as Array<{ id: string; username: string }>;
      const admin = users.find((u) => u.username === 'admin.social')!;
      const selfDeactivation = await post(t, `/agency/users/${admin.id}/deactivation`, {}, 'admin.social');
      expect([intake.status, selfDeactivation.status]).toEqual([422, 422]);
      expect(kindOf(intake)).toBe('rule-violated');
      expect(kindOf(selfDeactivation)).toBe('rule-violated');
    });

    it('names a missing consent as its own kind, which a caseworker acts on differently', async () => {
      const caseId = await openCase(t);
      const shelter = await t.agencyId('Shelter');
      const refused = await post(t, `/cases/${caseId}/referrals`, {
        toAgencyId: shelter,
        purpose: 'service_provision',
        serviceType: 'shelter',
        sharedCategories: ['identity'],
      });
      expect(refused.status).toBe(422);
      expect(kindOf(refused)).toBe('consent-required');
    });
  });

  describe('the OpenAPI document describes the problem answers', () => {
    it('has a ProblemDetails schema and one response per kind, WWW-Authenticate on 401 and Accept on 415', async () => {
      const document = (await t.http.get('/api/docs-json').expect(200)).body;
      expect(document.components.schemas.ProblemDetails.required).toEqual(['type', 'title', 'status']);
      expect(Object.keys(document.components.responses)).toEqual(PROBLEM_KINDS);
      expect(document.components.responses['not-signed-in'].headers).toHaveProperty('WWW-Authenticate');
      expect(document.components.responses['unsupported-media-type'].headers).toHaveProperty('Accept');
    });

    it('gives every operation a problem answer, and protected operations 401 and 403 with the security they need', async () => {
      const document = (await t.http.get('/api/docs-json').expect(200)).body;
      expect(document.security).toEqual([{ bearer: [] }, { ApiKey: [] }]);
      const openCaseOperation = document.paths['/cases'].post;
      expect(openCaseOperation.security).toBeUndefined();
      expect(openCaseOperation.responses['401']).toEqual({ $ref: '#/components/responses/not-signed-in' });
      expect(openCaseOperation.responses['415']).toEqual({ $ref: '#/components/responses/unsupported-media-type' });
      expect(document.paths['/auth/token'].post.security).toEqual([]);
      const paths: Record<string, Record<string, { responses: Record<string, unknown> }>> = document.paths;
      for (const item of Object.values(paths))
        for (const operation of Object.values(item))
          expect(operation.responses.default).toEqual(
            expect.objectContaining({ content: expect.objectContaining({ 'application/problem+json': expect.anything() }) }),
          );
    });
  });
});
