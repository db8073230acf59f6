import { Body, HttpCode, Param, ParseEnumPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { SAFETY_FLAGS, type SafetyFlag } from '../../libs/consent-policy/index.js';
import { Allow } from '../identity/access.decorators.js';
import { MemberAgencies } from '../identity/member-agencies.js';
import { Write, type WriteContext } from '../platform/write-context.js';
import { CaseAnswer, withdrawnReferrals } from './case-answer.js';
import { CASE_WRITTEN } from './case-responses.js';
import { CaseRoutes, uuid } from './case-routes.js';
import { sealedField, sealLater } from './case-sealing.js';
import { CaseWrites } from './case-writes.service.js';
import {
  AssessSafetyDto,
  RaiseSafetyFlagDto,
  RecordCasePlanDto,
  RecordIdentificationDto,
  RecordIntakeDto,
  RecordScreeningDto,
} from './case-path.dtos.js';

/** ParseEnumPipe wants an enum-like object. */
const SAFETY_FLAG_VALUES = Object.fromEntries(SAFETY_FLAGS.map((f) => [f, f]));

/** The owning agency's steps on the case path, and the person's safety. */
@CaseRoutes()
export class CasePathController {
  constructor(
    private readonly writes: CaseWrites,
    private readonly agencies: MemberAgencies,
  ) {}

  @Post(':caseId/screening')
  @Allow('case.manage')
  @ApiOperation({
    summary: 'Record the screening outcome and any further indicators; an in-depth interview follows only confirmed indicators',
  })
  @ApiCreatedResponse({ schema: CASE_WRITTEN })
  async screen(@Param('caseId', uuid) caseId: string, @Body() body: RecordScreeningDto, @Write() context: WriteContext) {
    const outcome = await this.writes.execute(caseId, context, body, () => ({
      type: 'RecordScreening',
      outcome: body.outcome,
      indicators: body.indicators ?? [],
    }));
    return CaseAnswer.written(outcome, { caseId, screening: body.outcome });
  }

  @Post(':caseId/identification')
  @Allow('case.manage')
  @ApiOperation({
    summary: 'The owning agency\'s trained staff record the identification outcome; "not trafficked" still allows referral for other needs',
  })
  @ApiCreatedResponse({ schema: CASE_WRITTEN })
  async identify(@Param('caseId', uuid) caseId: string, @Body() body: RecordIdentificationDto, @Write() context: WriteContext) {
    const outcome = await this.writes.execute(caseId, context, body, () => ({ type: 'RecordIdentification', outcome: body.outcome }));
    return CaseAnswer.written(outcome, { caseId, identification: body.outcome });
  }

  @Post(':caseId/intake')
  @Allow('case.manage')
  @ApiOperation({ summary: 'Intake: the caseworker of the owning agency who manages the case' })
  @ApiCreatedResponse({ schema: CASE_WRITTEN })
  async intake(@Param('caseId', uuid) caseId: string, @Body() body: RecordIntakeDto, @Write() context: WriteContext) {
    const caseworkerIsStaff = await this.agencies.isCaseStaff(context.principal.agencyId, body.caseworkerId);
    const outcome = await this.writes.execute(caseId, context, body, () => ({
      type: 'RecordIntake',
      caseworkerId: body.caseworkerId,
      caseworkerIsStaff,
    }));
    return CaseAnswer.written(outcome, { caseId, caseworkerId: body.caseworkerId });
  }

  @Post(':caseId/case-plan')
  @Allow('case.manage')
  @ApiOperation({ summary: 'Record the case plan (replaces the last one); the plan is encrypted and stays with the owning agency' })
  @ApiCreatedResponse({ schema: CASE_WRITTEN })
  async casePlan(@Param('caseId', uuid) caseId: string, @Body() body: RecordCasePlanDto, @Write() context: WriteContext) {
    const outcome = await this.writes.execute(caseId, context, body, () => ({
      type: 'RecordCasePlan',
      servicesNeeded: body.servicesNeeded,
      plan: sealLater(sealedField.casePlan, body.plan),
    }));
    return CaseAnswer.written(outcome, { caseId });
  }

  @Post(':caseId/safety-assessments')
  @Allow('safety-flag.manage')
  @ApiOperation({
    summary: 'Record a safety assessment and plan (shared only as the safety category); flags it raises narrow sharing at once',
  })
  @ApiCreatedResponse({ schema: CASE_WRITTEN })
  async assessSafety(@Param('caseId', uuid) caseId: string, @Body() body: AssessSafetyDto, @Write() context: WriteContext) {
    const outcome = await this.writes.execute(caseId, context, body, () => ({
      type: 'AssessSafety',
      riskLevel: body.riskLevel,
      flags: body.flags ?? [],
      plan: sealLater(sealedField.safetyPlan, { riskLevel: body.riskLevel, plan: body.plan }),
    }));
    return CaseAnswer.written(outcome, { caseId, riskLevel: body.riskLevel, withdrawnReferrals: withdrawnReferrals(outcome.events) });
  }

  @Post(':caseId/safety-flags')
  @HttpCode(200)
  @Allow('safety-flag.manage')
  @ApiOperation({
    summary: 'Raise a safety flag: it narrows what any consent lets other agencies see, and withdraws referrals it leaves uncovered',
  })
  @ApiOkResponse({ schema: CASE_WRITTEN })
  async raiseFlag(@Param('caseId', uuid) caseId: string, @Body() body: RaiseSafetyFlagDto, @Write() context: WriteContext) {
    const outcome = await this.writes.execute(caseId, context, body, () => ({ type: 'RaiseSafetyFlag', flag: body.flag }));
    return CaseAnswer.written(outcome, { caseId, flag: body.flag, withdrawnReferrals: withdrawnReferrals(outcome.events) });
  }

  @Post(':caseId/safety-flags/:flag/lifting')
  @ApiOperation({ summary: 'Lift a safety flag of the case: what consent covers is shared again from now on' })
  @HttpCode(200)
  @Allow('safety-flag.manage')
  @ApiOkResponse({ schema: CASE_WRITTEN })
  async liftFlag(
    @Param('caseId', uuid) caseId: string,
    @Param('flag', new ParseEnumPipe(SAFETY_FLAG_VALUES)) flag: SafetyFlag,
    @Write() context: WriteContext,
  ) {
    return CaseAnswer.written(await this.writes.execute(caseId, context, {}, () => ({ type: 'LiftSafetyFlag', flag })), { caseId, flag });
  }
}
