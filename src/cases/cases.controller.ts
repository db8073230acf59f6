import { BadRequestException, Body, Controller, Get, HttpCode, Param, ParseEnumPipe, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { SAFETY_FLAGS, type SafetyFlag } from '../../libs/consent-policy/index.js';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { CaseEvent } from '../../libs/domain/index.js';
import { Allow } from '../identity/access.decorators.js';
import { CurrentPrincipal, type Principal } from '../identity/principal.js';
import { Write, type WriteContext } from '../platform/write-context.js';
import type { CommandOutcome } from './case-commands.service.js';
import {
  AssessSafetyDto, CloseCaseDto, CompleteReferralDto, DeclineReferralDto, GiveConsentDto, InterruptCaseDto, ListCasesDto, OpenCaseDto, ProposeBestInterestsDto,
  RaiseSafetyFlagDto, RecordCasePlanDto, RecordIdentificationDto, RecordIntakeDto, RecordScreeningDto, ReferralSuggestionsDto, ReReferralDto, RequestErasureDto,
  RequestReferralDto, WithdrawConsentDto,
} from './case.dtos.js';
import { CasesService, sealedField } from './cases.service.js';

const uuid = new ParseUUIDPipe({ version: undefined });
/** ParseEnumPipe wants an enum-like object. */
const SAFETY_FLAG_VALUES = Object.fromEntries(SAFETY_FLAGS.map((f) => [f, f]));

/** Sets the case's new revision as ETag (for the next If-Match) and marks replays of an Idempotency-Key. */
function answer(response: Response, outcome: CommandOutcome, body: Record<string, unknown>) {
  response.setHeader('ETag', `"${outcome.revision}"`);
  if (outcome.replayed) response.setHeader('Idempotent-Replayed', 'true');
  return { ...body, revision: outcome.revision };
}

const withdrawnReferrals = (events: readonly CaseEvent[]) =>
  events.flatMap((e) => (e.type === 'ReferralWithdrawn' ? [e.data.referralId] : []));

@ApiTags('cases')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retried write with the same key returns the first result and appends nothing' })
@ApiHeader({ name: 'If-Match', required: false, description: 'The case ETag last read; a stale one gets 412' })
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post()
  @Allow('case.open')
  @ApiOperation({ summary: 'Open a case from observed indicators; personal data is encrypted under the case\'s own key' })
  async open(@Body() body: OpenCaseDto, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    const { caseId, outcome } = await this.cases.open(body, context);
    response.setHeader('Location', `/cases/${caseId}`);
    return answer(response, outcome, { caseId });
  }

  @Get()
  @Allow('case.read')
  @ApiOperation({ summary: 'The caller\'s agency\'s cases, own and referred, most recently changed first; no personal data' })
  list(@Query() query: ListCasesDto, @CurrentPrincipal() principal: Principal) {
    if (query.status && query.relation === 'recipient') throw new BadRequestException('status filters only the agency\'s own cases');
    return this.cases.list(principal, {
      ...(query.relation ? { relation: query.relation } : {}), ...(query.status ? { status: query.status } : {}),
      limit: query.limit ?? 50, ...(query.cursor ? { cursor: query.cursor } : {}),
    });
  }

  @Get(':caseId')
  @Allow('case.read')
  @ApiOperation({ summary: 'The case as the caller\'s agency may see it: whole for the owner, only what live consent permits for a referred agency' })
  async get(@Param('caseId', uuid) caseId: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    const view = await this.cases.view(caseId, principal);
    // Only the owner writes to the case, so only the owner gets its revision for If-Match.
    if (view.revision !== undefined) response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }

  @Post(':caseId/consents')
  @Allow('consent.record')
  @ApiOperation({ summary: 'Record the person\'s informed consent: one provision per recipient and purpose' })
  async giveConsent(@Param('caseId', uuid) caseId: string, @Body() body: GiveConsentDto, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    const { consentId, outcome } = await this.cases.giveConsent(caseId, body, context);
    const given = outcome.events.find((e) => e.type === 'ConsentGiven');
    const provisionIds = given?.type === 'ConsentGiven' ? given.data.provisions.map((p) => p.provisionId) : [];
    return answer(response, outcome, { caseId, consentId, provisionIds });
  }

  @Post(':caseId/consents/:consentId/withdrawal')
  @HttpCode(200)
  @Allow('consent.withdraw')
  @ApiOperation({ summary: 'Withdraw a consent, whole or some provisions; open referrals relying on it are withdrawn' })
  async withdrawConsent(
    @Param('caseId', uuid) caseId: string, @Param('consentId', uuid) consentId: string, @Body() body: WithdrawConsentDto,
    @Write() context: WriteContext, @Res({ passthrough: true }) response: Response,
  ) {
    const outcome = await this.cases.execute(caseId, context, body, () => ({
      type: 'WithdrawConsent', consentId, ...(body.provisionIds ? { provisionIds: body.provisionIds } : {}),
    }));
    return answer(response, outcome, { caseId, consentId, withdrawnReferrals: withdrawnReferrals(outcome.events) });
  }

  @Post(':caseId/referrals')
  @Allow('referral.request')
  @ApiOperation({ summary: 'Refer to another agency; refused unless live consent covers the agency, purpose and every shared category' })
  async requestReferral(@Param('caseId', uuid) caseId: string, @Body() body: RequestReferralDto, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    const { referralId, outcome } = await this.cases.requestReferral(caseId, body, context);
    return answer(response, outcome, { caseId, referralId });
  }

  @Post(':caseId/referrals/:referralId/re-referral')
  @Allow('referral.request')
  @ApiOperation({ summary: 'After a decline, refer the same need to another agency; the new referral names the one it replaces' })
  async reRefer(
    @Param('caseId', uuid) caseId: string, @Param('referralId', uuid) referralId: string, @Body() body: ReReferralDto,
    @Write() context: WriteContext, @Res({ passthrough: true }) response: Response,
  ) {
    const { referralId: newReferralId, outcome } = await this.cases.reRefer(caseId, referralId, body, context);
    return answer(response, outcome, { caseId, referralId: newReferralId, reReferralOf: referralId });
  }

  @Get(':caseId/referral-suggestions')
  @Allow('referral.suggest')
  @ApiOperation({ summary: 'Agencies offering a service (in an area): can each take the referral, is the person eligible, does live consent cover it or what is missing' })
  suggestions(@Param('caseId', uuid) caseId: string, @Query() query: ReferralSuggestionsDto, @CurrentPrincipal() principal: Principal) {
    return this.cases.referralSuggestions(caseId, principal, query);
  }

  @Post(':caseId/referrals/:referralId/identification')
  @Allow('case.manage')
  @ApiOperation({ summary: 'The agency that conducted the in-depth interview records its outcome (trafficked person / not / inconclusive)' })
  async identifyOnReferral(
    @Param('caseId', uuid) caseId: string, @Param('referralId', uuid) referralId: string, @Body() body: RecordIdentificationDto,
    @Write() context: WriteContext, @Res({ passthrough: true }) response: Response,
  ) {
    const outcome = await this.cases.execute(caseId, context, body, () => ({ type: 'RecordIdentification', outcome: body.outcome, referralId }));
    return answer(response, outcome, { caseId, referralId, identification: body.outcome });
  }

  @Post(':caseId/referrals/:referralId/acknowledge')
  @HttpCode(200)
  @Allow('referral.respond')
  async acknowledge(@Param('caseId', uuid) caseId: string, @Param('referralId', uuid) referralId: string, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    return answer(response, await this.cases.execute(caseId, context, {}, () => ({ type: 'AcknowledgeReferral', referralId })), { caseId, referralId });
  }

  @Post(':caseId/referrals/:referralId/accept')
  @HttpCode(200)
  @Allow('referral.respond')
  async accept(@Param('caseId', uuid) caseId: string, @Param('referralId', uuid) referralId: string, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    return answer(response, await this.cases.execute(caseId, context, {}, () => ({ type: 'AcceptReferral', referralId })), { caseId, referralId });
  }

  @Post(':caseId/referrals/:referralId/decline')
  @HttpCode(200)
  @Allow('referral.respond')
  async decline(
    @Param('caseId', uuid) caseId: string, @Param('referralId', uuid) referralId: string, @Body() body: DeclineReferralDto,
    @Write() context: WriteContext, @Res({ passthrough: true }) response: Response,
  ) {
    const outcome = await this.cases.execute(caseId, context, body, async (seal) => ({
      type: 'DeclineReferral', referralId, reason: body.reason,
      ...(body.note ? { note: await seal(sealedField.declineNote(referralId), body.note) } : {}),
    }));
    return answer(response, outcome, { caseId, referralId });
  }

  @Post(':caseId/referrals/:referralId/complete')
  @HttpCode(200)
  @Allow('referral.respond')
  async complete(
    @Param('caseId', uuid) caseId: string, @Param('referralId', uuid) referralId: string, @Body() body: CompleteReferralDto,
    @Write() context: WriteContext, @Res({ passthrough: true }) response: Response,
  ) {
    const outcome = await this.cases.execute(caseId, context, body, async (seal) => ({
      type: 'CompleteReferral', referralId, outcome: await seal(sealedField.outcome(referralId), body.outcome),
    }));
    return answer(response, outcome, { caseId, referralId });
  }

  @Post(':caseId/referrals/:referralId/withdraw')
  @HttpCode(200)
  @Allow('referral.withdraw')
  async withdrawReferral(@Param('caseId', uuid) caseId: string, @Param('referralId', uuid) referralId: string, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    return answer(response, await this.cases.execute(caseId, context, {}, () => ({ type: 'WithdrawReferral', referralId })), { caseId, referralId });
  }

  @Post(':caseId/screening')
  @Allow('case.manage')
  @ApiOperation({ summary: 'Record the screening outcome and any further indicators; an in-depth interview follows only confirmed indicators' })
  async screen(@Param('caseId', uuid) caseId: string, @Body() body: RecordScreeningDto, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    const outcome = await this.cases.execute(caseId, context, body, () => ({ type: 'RecordScreening', outcome: body.outcome, indicators: body.indicators ?? [] }));
    return answer(response, outcome, { caseId, screening: body.outcome });
  }

  @Post(':caseId/identification')
  @Allow('case.manage')
  @ApiOperation({ summary: 'The owning agency\'s trained staff record the identification outcome; "not trafficked" still allows referral for other needs' })
  async identify(@Param('caseId', uuid) caseId: string, @Body() body: RecordIdentificationDto, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    const outcome = await this.cases.execute(caseId, context, body, () => ({ type: 'RecordIdentification', outcome: body.outcome }));
    return answer(response, outcome, { caseId, identification: body.outcome });
  }

  @Post(':caseId/intake')
  @Allow('case.manage')
  @ApiOperation({ summary: 'Intake: the caseworker of the owning agency who manages the case' })
  async intake(@Param('caseId', uuid) caseId: string, @Body() body: RecordIntakeDto, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    const caseworkerIsStaff = await this.cases.isCaseStaff(context.principal.agencyId, body.caseworkerId);
    const outcome = await this.cases.execute(caseId, context, body, () => ({ type: 'RecordIntake', caseworkerId: body.caseworkerId, caseworkerIsStaff }));
    return answer(response, outcome, { caseId, caseworkerId: body.caseworkerId });
  }

  @Post(':caseId/case-plan')
  @Allow('case.manage')
  @ApiOperation({ summary: 'Record the case plan (replaces the last one); the plan is encrypted and stays with the owning agency' })
  async casePlan(@Param('caseId', uuid) caseId: string, @Body() body: RecordCasePlanDto, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    const outcome = await this.cases.execute(caseId, context, body, async (seal) => ({
      type: 'RecordCasePlan', servicesNeeded: body.servicesNeeded, plan: await seal(sealedField.casePlan, body.plan),
    }));
    return answer(response, outcome, { caseId });
  }

  @Post(':caseId/safety-assessments')
  @Allow('safety-flag.manage')
  @ApiOperation({ summary: 'Record a safety assessment and plan (shared only as the safety category); flags it raises narrow sharing at once' })
  async assessSafety(@Param('caseId', uuid) caseId: string, @Body() body: AssessSafetyDto, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    const outcome = await this.cases.execute(caseId, context, body, async (seal) => ({
      type: 'AssessSafety', riskLevel: body.riskLevel, flags: body.flags ?? [],
      plan: await seal(sealedField.safetyPlan, { riskLevel: body.riskLevel, plan: body.plan }),
    }));
    return answer(response, outcome, { caseId, riskLevel: body.riskLevel, withdrawnReferrals: withdrawnReferrals(outcome.events) });
  }

  @Post(':caseId/interruption')
  @HttpCode(200)
  @Allow('case.change-status')
  @ApiOperation({ summary: 'Pause the case: the person declined assistance or contact was lost. Nobody searches for the person.' })
  async interrupt(@Param('caseId', uuid) caseId: string, @Body() body: InterruptCaseDto, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    const outcome = await this.cases.execute(caseId, context, body, async (seal) => ({
      type: 'InterruptCase', reason: body.reason, ...(body.note ? { note: await seal(sealedField.interruptionNote, body.note) } : {}),
    }));
    return answer(response, outcome, { caseId, status: 'paused' });
  }

  @Post(':caseId/resumption')
  @HttpCode(200)
  @Allow('case.change-status')
  async resume(@Param('caseId', uuid) caseId: string, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    return answer(response, await this.cases.execute(caseId, context, {}, () => ({ type: 'ResumeCase' })), { caseId, status: 'open' });
  }

  @Post(':caseId/closure')
  @HttpCode(200)
  @Allow('case.change-status')
  async close(@Param('caseId', uuid) caseId: string, @Body() body: CloseCaseDto, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    const outcome = await this.cases.execute(caseId, context, body, () => ({ type: 'CloseCase', reason: body.reason }));
    return answer(response, outcome, { caseId, status: 'closed', withdrawnReferrals: withdrawnReferrals(outcome.events) });
  }

  @Post(':caseId/reopening')
  @HttpCode(200)
  @Allow('case.change-status')
  async reopen(@Param('caseId', uuid) caseId: string, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    return answer(response, await this.cases.execute(caseId, context, {}, () => ({ type: 'ReopenCase' })), { caseId, status: 'open' });
  }

  @Post(':caseId/safety-flags')
  @HttpCode(200)
  @Allow('safety-flag.manage')
  @ApiOperation({ summary: 'Raise a safety flag: it narrows what any consent lets other agencies see, and withdraws referrals it leaves uncovered' })
  async raiseFlag(@Param('caseId', uuid) caseId: string, @Body() body: RaiseSafetyFlagDto, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    const outcome = await this.cases.execute(caseId, context, body, () => ({ type: 'RaiseSafetyFlag', flag: body.flag }));
    return answer(response, outcome, { caseId, flag: body.flag, withdrawnReferrals: withdrawnReferrals(outcome.events) });
  }

  @Post(':caseId/safety-flags/:flag/lifting')
  @HttpCode(200)
  @Allow('safety-flag.manage')
  async liftFlag(@Param('caseId', uuid) caseId: string, @Param('flag', new ParseEnumPipe(SAFETY_FLAG_VALUES)) flag: SafetyFlag, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    return answer(response, await this.cases.execute(caseId, context, {}, () => ({ type: 'LiftSafetyFlag', flag })), { caseId, flag });
  }

  @Post(':caseId/best-interests-determinations')
  @Allow('best-interests.propose')
  @ApiOperation({ summary: 'Propose a best-interests determination for a child; it permits nothing until a different supervisor approves it' })
  async proposeBestInterests(@Param('caseId', uuid) caseId: string, @Body() body: ProposeBestInterestsDto, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    const { determinationId, outcome } = await this.cases.proposeBestInterests(caseId, body, context);
    return answer(response, outcome, { caseId, determinationId });
  }

  @Post(':caseId/best-interests-determinations/:determinationId/approval')
  @HttpCode(200)
  @Allow('best-interests.review')
  @ApiOperation({ summary: 'Approve a determination: refused (403) to the person who proposed it' })
  async approveBestInterests(@Param('caseId', uuid) caseId: string, @Param('determinationId', uuid) determinationId: string, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    return answer(response, await this.cases.execute(caseId, context, {}, () => ({ type: 'ApproveBestInterestsDetermination', determinationId })), { caseId, determinationId, status: 'approved' });
  }

  @Post(':caseId/best-interests-determinations/:determinationId/rejection')
  @HttpCode(200)
  @Allow('best-interests.review')
  async rejectBestInterests(@Param('caseId', uuid) caseId: string, @Param('determinationId', uuid) determinationId: string, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    return answer(response, await this.cases.execute(caseId, context, {}, () => ({ type: 'RejectBestInterestsDetermination', determinationId })), { caseId, determinationId, status: 'rejected' });
  }

  @Post(':caseId/erasure-requests')
  @Allow('case.erase.request')
  @ApiOperation({ summary: 'Ask for the case\'s personal data to be erased; someone else must approve it' })
  async requestErasure(@Param('caseId', uuid) caseId: string, @Body() body: RequestErasureDto, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    const { requestId, outcome } = await this.cases.requestErasure(caseId, body, context);
    return answer(response, outcome, { caseId, requestId });
  }

  @Post(':caseId/erasure-requests/:requestId/approval')
  @HttpCode(200)
  @Allow('case.erase.approve')
  @ApiOperation({ summary: 'Approve erasure (not the requester): the case\'s data key is destroyed; the audit trail keeps its metadata' })
  async approveErasure(@Param('caseId', uuid) caseId: string, @Param('requestId', uuid) requestId: string, @Write() context: WriteContext, @Res({ passthrough: true }) response: Response) {
    const outcome = await this.cases.approveErasure(caseId, requestId, context);
    return answer(response, outcome, { caseId, erased: true, withdrawnReferrals: withdrawnReferrals(outcome.events) });
  }
}
