import { Body, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Allow } from '../identity/access.decorators.js';
import { Write, type WriteContext } from '../platform/write-context.js';
import { CaseAnswer, withdrawnReferrals } from './case-answer.js';
import { CASE_WRITTEN } from './case-responses.js';
import { CaseRoutes, uuid } from './case-routes.js';
import { CaseWrites } from './case-writes.service.js';
import { RequestErasureDto } from './case.dtos.js';

/** Erasure of a case's personal data: asked by one person, approved or rejected by another. */
@CaseRoutes()
export class ErasureController {
  constructor(private readonly writes: CaseWrites) {}

  @Post(':caseId/erasure-requests')
  @Allow('case.erase.request')
  @ApiOperation({ summary: "Ask for the case's personal data to be erased; someone else must approve it" })
  @ApiCreatedResponse({ schema: CASE_WRITTEN })
  async requestErasure(@Param('caseId', uuid) caseId: string, @Body() body: RequestErasureDto, @Write() context: WriteContext) {
    const { requestId, outcome } = await this.writes.requestErasure(caseId, body, context);
    return CaseAnswer.written(outcome, { caseId, requestId });
  }

  @Post(':caseId/erasure-requests/:requestId/approval')
  @HttpCode(200)
  @Allow('case.erase.approve')
  @ApiOperation({ summary: "Approve erasure (not the requester): the case's data key is destroyed; the audit trail keeps its metadata" })
  @ApiOkResponse({ schema: CASE_WRITTEN })
  async approveErasure(@Param('caseId', uuid) caseId: string, @Param('requestId', uuid) requestId: string, @Write() context: WriteContext) {
    const outcome = await this.writes.approveErasure(caseId, requestId, context);
    return CaseAnswer.written(outcome, { caseId, erased: true, withdrawnReferrals: withdrawnReferrals(outcome.events) });
  }

  @Post(':caseId/erasure-requests/:requestId/rejection')
  @HttpCode(200)
  @Allow('case.erase.approve')
  @ApiOperation({ summary: 'Reject erasure (not the requester): nothing is erased, and a new request may be made' })
  @ApiOkResponse({ schema: CASE_WRITTEN })
  async rejectErasure(@Param('caseId', uuid) caseId: string, @Param('requestId', uuid) requestId: string, @Write() context: WriteContext) {
    const outcome = await this.writes.execute(caseId, context, {}, () => ({
      type: 'RejectErasure',
      requestId,
      asCoordinator: context.principal.role === 'network_coordinator',
    }));
    return CaseAnswer.written(outcome, { caseId, requestId, status: 'rejected' });
  }
}
