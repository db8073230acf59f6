import { Body, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Allow } from '../identity/access.decorators.js';
import { Write, type WriteContext } from '../platform/write-context.js';
import { CaseAnswer } from './case-answer.js';
import { CaseRoutes, uuid } from './case-routes.js';
import { sealedField, sealLater } from './case-sealing.js';
import { type CommandDraft, CaseWrites } from './case-writes.service.js';
import { RecordIdentificationDto } from './case-path.dtos.js';
import { CompleteReferralDto, DeclineReferralDto, ReReferralDto, RequestReferralDto } from './referral.dtos.js';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import { ApiProblems } from '../platform/api-responses.js';
import { CASE_WRITTEN } from './case-responses.js';

/** A referral's path: requested by the owning agency, answered by the agency it names. */
@CaseRoutes()
export class CaseReferralsController {
  constructor(private readonly writes: CaseWrites) {}

  @Post(':caseId/referrals')
  @Allow('referral.request')
  @ApiOperation({ summary: 'Refer to another agency; refused unless live consent covers the agency, purpose and every shared category' })
  @ApiCreatedResponse({ schema: CASE_WRITTEN })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422, 429)
  async requestReferral(@Param('caseId', uuid) caseId: string, @Body() body: RequestReferralDto, @Write() context: WriteContext) {
    const { referralId, outcome } = await this.writes.requestReferral(caseId, body, context);
    return CaseAnswer.written(outcome, { caseId, referralId });
  }

  @Post(':caseId/referrals/:referralId/re-referral')
  @Allow('referral.request')
  @ApiOperation({ summary: 'After a decline, refer the same need to another agency; the new referral names the one it replaces' })
  @ApiCreatedResponse({ schema: CASE_WRITTEN })
  async reRefer(
    @Param('caseId', uuid) caseId: string,
    @Param('referralId', uuid) referralId: string,
    @Body() body: ReReferralDto,
    @Write() context: WriteContext,
  ) {
    const { referralId: newReferralId, outcome } = await this.writes.reRefer(caseId, referralId, body, context);
    return CaseAnswer.written(outcome, { caseId, referralId: newReferralId, reReferralOf: referralId });
  }

  @Post(':caseId/referrals/:referralId/identification')
  @Allow('case.manage')
  @ApiOperation({
    summary: 'The agency that conducted the in-depth interview records its outcome (trafficked person / not / inconclusive)',
  })
  @ApiCreatedResponse({ schema: CASE_WRITTEN })
  async identifyOnReferral(
    @Param('caseId', uuid) caseId: string,
    @Param('referralId', uuid) referralId: string,
    @Body() body: RecordIdentificationDto,
    @Write() context: WriteContext,
  ) {
    const outcome = await this.writes.execute(caseId, context, body, () => ({
      type: 'RecordIdentification',
      outcome: body.outcome,
      referralId,
    }));
    return CaseAnswer.written(outcome, { caseId, referralId, identification: body.outcome });
  }

  @Post(':caseId/referrals/:referralId/acknowledge')
  @ApiOperation({ summary: 'The receiving agency acknowledges the referral: it has seen it and will answer' })
  @HttpCode(200)
  @Allow('referral.respond')
  @ApiOkResponse({ schema: CASE_WRITTEN })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422, 429)
  acknowledge(@Param('caseId', uuid) caseId: string, @Param('referralId', uuid) referralId: string, @Write() context: WriteContext) {
    return this.step(caseId, referralId, context, {}, { type: 'AcknowledgeReferral', referralId });
  }

  @Post(':caseId/referrals/:referralId/accept')
  @ApiOperation({ summary: 'The receiving agency accepts the referral' })
  @HttpCode(200)
  @Allow('referral.respond')
  @ApiOkResponse({ schema: CASE_WRITTEN })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422, 429)
  accept(@Param('caseId', uuid) caseId: string, @Param('referralId', uuid) referralId: string, @Write() context: WriteContext) {
    return this.step(caseId, referralId, context, {}, { type: 'AcceptReferral', referralId });
  }

  @Post(':caseId/referrals/:referralId/decline')
  @ApiOperation({ summary: 'The receiving agency declines the referral with a reason; the owner may refer the need elsewhere' })
  @HttpCode(200)
  @Allow('referral.respond')
  @ApiOkResponse({ schema: CASE_WRITTEN })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422, 429)
  decline(
    @Param('caseId', uuid) caseId: string,
    @Param('referralId', uuid) referralId: string,
    @Body() body: DeclineReferralDto,
    @Write() context: WriteContext,
  ) {
    return this.step(caseId, referralId, context, body, {
      type: 'DeclineReferral',
      referralId,
      reason: body.reason,
      ...(body.note ? { note: sealLater(sealedField.declineNote(referralId), body.note) } : {}),
    });
  }

  @Post(':caseId/referrals/:referralId/complete')
  @ApiOperation({ summary: 'The receiving agency records the service as delivered' })
  @HttpCode(200)
  @Allow('referral.respond')
  @ApiOkResponse({ schema: CASE_WRITTEN })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422, 429)
  complete(
    @Param('caseId', uuid) caseId: string,
    @Param('referralId', uuid) referralId: string,
    @Body() body: CompleteReferralDto,
    @Write() context: WriteContext,
  ) {
    return this.step(caseId, referralId, context, body, {
      type: 'CompleteReferral',
      referralId,
      outcome: sealLater(sealedField.outcome(referralId), body.outcome),
    });
  }

  @Post(':caseId/referrals/:referralId/withdraw')
  @ApiOperation({ summary: 'The owning agency withdraws its referral; the receiving agency sees no more of the case through it' })
  @HttpCode(200)
  @Allow('referral.withdraw')
  @ApiOkResponse({ schema: CASE_WRITTEN })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422, 429)
  withdraw(@Param('caseId', uuid) caseId: string, @Param('referralId', uuid) referralId: string, @Write() context: WriteContext) {
    return this.step(caseId, referralId, context, {}, { type: 'WithdrawReferral', referralId });
  }

  /** A step on an existing referral answers with the referral it moved. */
  private async step(caseId: string, referralId: string, context: WriteContext, body: object, draft: CommandDraft) {
    return CaseAnswer.written(await this.writes.execute(caseId, context, body, () => draft), { caseId, referralId });
  }
}
