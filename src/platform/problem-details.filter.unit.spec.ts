import { describe, expect, it } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import { HttpException, PreconditionFailedException } from '@nestjs/common';
import { CaseAlreadyErased, CommandRejected, StaleRevision } from '../../libs/domain/index.js';
import { type Problem, ProblemDetailsFilter } from './problem-details.filter.js';

/**
 * The answer the filter writes for an exception thrown while handling POST /cases/:caseId/resumption,
 * on a service at PUBLIC_URL https://referrals.example.org unless `publicUrl` says otherwise (null: none set).
 */
function answer(
  exception: unknown,
  publicUrl: string | null = 'https://referrals.example.org',
  hostHeader = 'api.example.net:8443',
): Problem {
  let written: Problem | undefined;
  const response = { setHeader: () => response, status: () => response, type: () => response, json: (body: Problem) => (written = body) };
  const request = {
    route: { path: '/cases/:caseId/resumption' },
    protocol: 'http',
    get: (name: string) => (name === 'host' ? hostHeader : undefined),
  };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) } as unknown as ArgumentsHost;
  new ProblemDetailsFilter(publicUrl ?? undefined).catch(exception, host);
  return written!;
}

describe('ProblemDetailsFilter', () => {
  it('answers a command on an erased case as the conflict it always was', () => {
    expect(answer(new CaseAlreadyErased())).toEqual(answer(new CommandRejected('conflict', 'the case is erased')));
    expect(answer(new CaseAlreadyErased())).toMatchObject({
      status: 409,
      type: 'https://referrals.example.org/problems/conflict',
      detail: 'the case is erased',
    });
  });

  it('answers an If-Match behind the case with 412, naming both revisions', () => {
    expect(answer(new StaleRevision(1, 3))).toEqual({
      type: 'https://referrals.example.org/problems/precondition-failed',
      title: 'Precondition failed',
      status: 412,
      detail: 'If-Match names revision 1; the case is at revision 3',
      instance: '/cases/:caseId/resumption',
    });
  });

  it('answers a write that lost the race after an If-Match with 412, asking to read again', () => {
    expect(answer(new StaleRevision(4))).toMatchObject({ status: 412, detail: 'the case changed after revision 4; read it again' });
  });

  it('answers a stale revision exactly as the HTTP exception the command service threw before', () => {
    const detail = 'If-Match names revision 5; the case is at revision 0';
    expect(answer(new StaleRevision(5, 0))).toEqual(answer(new PreconditionFailedException(detail)));
  });

  it('points problem types under the origin the request was sent to when no PUBLIC_URL is set', () => {
    expect(answer(new StaleRevision(1, 3), null).type).toBe('http://api.example.net:8443/problems/precondition-failed');
  });

  it('never builds a type from a Host header that is not a plain host and port', () => {
    expect(answer(new StaleRevision(1, 3), null, 'evil.example/"><script>').type).toBe('http://localhost/problems/precondition-failed');
  });

  it('answers a status the catalogue has no kind for with about:blank and the status text', () => {
    expect(answer(new HttpException('no tea here', 418))).toMatchObject({ type: 'about:blank', title: "I'm a Teapot", status: 418 });
  });
});
