import { describe, expect, it } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import { PreconditionFailedException } from '@nestjs/common';
import { CaseAlreadyErased, CommandRejected, StaleRevision } from '../../libs/domain/index.js';
import { type Problem, ProblemDetailsFilter } from './problem-details.filter.js';

/** The answer the filter writes for an exception thrown while handling POST /cases/:caseId/resumption. */
function answer(exception: unknown): Problem {
  let written: Problem | undefined;
  const response = { status: () => response, type: () => response, json: (body: Problem) => (written = body) };
  const host = {
    switchToHttp: () => ({ getRequest: () => ({ route: { path: '/cases/:caseId/resumption' } }), getResponse: () => response }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return written!;
}

describe('ProblemDetailsFilter', () => {
  it('answers a command on an erased case as the conflict it always was', () => {
    expect(answer(new CaseAlreadyErased())).toEqual(answer(new CommandRejected('conflict', 'the case is erased')));
    expect(answer(new CaseAlreadyErased())).toMatchObject({ status: 409, type: '/problems/conflict', detail: 'the case is erased' });
  });

  it('answers an If-Match behind the case with 412, naming both revisions', () => {
    expect(answer(new StaleRevision(1, 3))).toEqual({
      type: '/problems/precondition-failed',
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
});
