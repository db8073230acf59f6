import { Body, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Allow } from '../identity/access.decorators.js';
import { Write, type WriteContext } from '../platform/write-context.js';
import { CaseAnswer, withdrawnReferrals } from './case-answer.js';
import { CaseRoutes, uuid } from './case-routes.js';
import { CaseWrites } from './case-writes.service.js';
import { GiveConsentDto, ProposeBestInterestsDto, WithdrawConsentDto } from './consent.dtos.js';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../identity/principal.js';
import { ApiProblems } from '../platform/api-responses.js';
import { CASE_WRITTEN, WITHDRAWAL_PREVIEW } from './case-responses.js';

/** The bases for sharing: the person's consent, and for a child a best-interests determination. */
@CaseRoutes()
export class ConsentsController {
  constructor(private readonly writes: CaseWrites) {}

  @Post(':caseId/consents')
  @Allow('consent.record')
  @ApiOperation({ summary: "Record the person's informed consent: one provision per recipient and purpose" })
  @ApiCreatedResponse({ schema: CASE_WRITTEN })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422, 429)
  async giveConsent(@Param('caseId', uuid) caseId: string, @Body() body: GiveConsentDto, @Write() context: WriteContext) {
    const { consentId, outcome } = await this.writes.giveConsent(caseId, body, context);
    const given = outcome.events.find((e) => e.type === 'ConsentGiven');
    const provisionIds = given?.type === 'ConsentGiven' ? given.data.provisions.map((p) => p.provisionId) : [];
    return CaseAnswer.written(outcome, { caseId, consentId, provisionIds });
  }

  @Post(':caseId/consents/:consentId/withdrawal')
  @HttpCode(200)
  @Allow('consent.withdraw')
  @ApiOperation({ summary: 'Withdraw a consent, whole or some provisions; open referrals relying on it are withdrawn' })
  @ApiOkResponse({ schema: CASE_WRITTEN })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422, 429)
  async withdrawConsent(
    @Param('caseId', uuid) caseId: string,
    @Param('consentId', uuid) consentId: string,
    @Body() body: WithdrawConsentDto,
    @Write() context: WriteContext,
  ) {
    const outcome = await this.writes.execute(caseId, context, body, () => withdrawal(consentId, body));
    return CaseAnswer.written(outcome, { caseId, consentId, withdrawnReferrals: withdrawnReferrals(outcome.events) });
  }

  @Post(':caseId/consents/:consentId/withdrawal-preview')
  @HttpCode(200)
  @Allow('consent.withdraw')
  @ApiOperation({
    summary: 'Which referrals withdrawing this consent (whole or the provisions named) would withdraw now; nothing is written',
  })
  @ApiOkResponse({ schema: WITHDRAWAL_PREVIEW })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  async previewWithdrawal(
    @Param('caseId', uuid) caseId: string,
    @Param('consentId', uuid) consentId: string,
    @Body() body: WithdrawConsentDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const events = await this.writes.preview(caseId, principal, () => withdrawal(consentId, body));
    return { withdrawnReferrals: withdrawnReferrals(events) };
  }

  @Post(':caseId/best-interests-determinations')
  @Allow('best-interests.propose')
  @ApiOperation({
    summary: 'Propose a best-interests determination for a child; it permits nothing until a different supervisor approves it',
  })
  @ApiCreatedResponse({ schema: CASE_WRITTEN })
  async proposeBestInterests(@Param('caseId', uuid) caseId: string, @Body() body: ProposeBestInterestsDto, @Write() context: WriteContext) {
    const { determinationId, outcome } = await this.writes.proposeBestInterests(caseId, body, context);
    return CaseAnswer.written(outcome, { caseId, determinationId });
  }

  @Post(':caseId/best-interests-determinations/:determinationId/approval')
  @HttpCode(200)
  @Allow('best-interests.review')
  @ApiOperation({ summary: 'Approve a determination: refused (403) to the person who proposed it' })
  @ApiOkResponse({ schema: CASE_WRITTEN })
  async approveBestInterests(
    @Param('caseId', uuid) caseId: string,
    @Param('determinationId', uuid) determinationId: string,
    @Write() context: WriteContext,
  ) {
    const outcome = await this.writes.execute(caseId, context, {}, () => ({ type: 'ApproveBestInterestsDetermination', determinationId }));
    return CaseAnswer.written(outcome, { caseId, determinationId, status: 'approved' });
  }

  @Post(':caseId/best-interests-determinations/:determinationId/rejection')
  @ApiOperation({ summary: 'Reject a best-interests determination (not its proposer): it permits nothing' })
  @HttpCode(200)
  @Allow('best-interests.review')
  @ApiOkResponse({ schema: CASE_WRITTEN })
  async rejectBestInterests(
    @Param('caseId', uuid) caseId: string,
    @Param('determinationId', uuid) determinationId: string,
    @Write() context: WriteContext,
  ) {
    const outcome = await this.writes.execute(caseId, context, {}, () => ({ type: 'RejectBestInterestsDetermination', determinationId }));
    return CaseAnswer.written(outcome, { caseId, determinationId, status: 'rejected' });
  }
}

const withdrawal = (consentId: string, body: WithdrawConsentDto) =>
  ({ type: 'WithdrawConsent', consentId, ...(body.provisionIds ? { provisionIds: body.provisionIds } : {}) }) as const;
