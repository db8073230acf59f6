import { BadRequestException, Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Allow } from '../identity/access.decorators.js';
import { CurrentPrincipal, type Principal } from '../identity/principal.js';
import { Write, type WriteContext } from '../platform/write-context.js';
import { CaseAnswer, withdrawnReferrals } from './case-answer.js';
import { CaseReader } from './case-reader.service.js';
import { CaseRoutes, uuid } from './case-routes.js';
import { sealedField, sealLater } from './case-sealing.js';
import { CaseWrites } from './case-writes.service.js';
import { CloseCaseDto, InterruptCaseDto, ListCasesDto, OpenCaseDto } from './case.dtos.js';
import { ReferralSuggestionsDto } from './referral.dtos.js';
import { ReferralSuggestions } from './referral-suggestions.service.js';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import { ApiProblems } from '../platform/api-responses.js';
import { CASE_LIST, CASE_VIEW, CASE_WRITTEN } from './case-responses.js';

/** A case as a whole: opening it, reading it, its worklist, and pausing, closing and reopening it. */
@CaseRoutes()
export class CasesController {
  constructor(
    private readonly writes: CaseWrites,
    private readonly reader: CaseReader,
    private readonly suggestions: ReferralSuggestions,
  ) {}

  @Post()
  @Allow('case.open')
  @ApiOperation({ summary: "Open a case from observed indicators; personal data is encrypted under the case's own key" })
  @ApiCreatedResponse({ schema: CASE_WRITTEN })
  @ApiProblems(400, 401, 403, 422, 429)
  async open(@Body() body: OpenCaseDto, @Write() context: WriteContext) {
    const { caseId, outcome } = await this.writes.open(body, context);
    return CaseAnswer.written(outcome, { caseId }, `/cases/${caseId}`);
  }

  @Get()
  @Allow('case.read')
  @ApiOperation({ summary: "The caller's agency's cases, own and referred, most recently changed first; no personal data" })
  @ApiOkResponse({ schema: CASE_LIST })
  @ApiProblems(400, 401, 403)
  list(@Query() query: ListCasesDto, @CurrentPrincipal() principal: Principal) {
    if (query.status && query.relation === 'recipient') throw new BadRequestException("status filters only the agency's own cases");
    return this.reader.list(principal, {
      ...(query.relation ? { relation: query.relation } : {}),
      ...(query.status ? { status: query.status } : {}),
      limit: query.limit ?? 50,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
  }

  @Get(':caseId')
  @Allow('case.read')
  @ApiOperation({
    summary: "The case as the caller's agency may see it: whole for the owner, only what live consent permits for a referred agency",
  })
  @ApiOkResponse({ schema: CASE_VIEW })
  @ApiProblems(400, 401, 403, 404)
  async get(@Param('caseId', uuid) caseId: string, @CurrentPrincipal() principal: Principal) {
    // Only the owner writes to the case, so only the owner's view carries its revision for If-Match.
    return CaseAnswer.read(await this.reader.view(caseId, principal));
  }

  @Get(':caseId/referral-suggestions')
  @Allow('referral.suggest')
  @ApiOperation({
    summary:
      'Agencies offering a service (in an area) the person is eligible for: can each take the referral, does live consent cover it or what is missing; apart, those the person is known not to be eligible for, with why',
  })
  suggest(@Param('caseId', uuid) caseId: string, @Query() query: ReferralSuggestionsDto, @CurrentPrincipal() principal: Principal) {
    return this.suggestions.suggest(caseId, principal, query);
  }

  @Post(':caseId/interruption')
  @HttpCode(200)
  @Allow('case.change-status')
  @ApiOperation({ summary: 'Pause the case: the person declined assistance or contact was lost. Nobody searches for the person.' })
  @ApiOkResponse({ schema: CASE_WRITTEN })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422, 429)
  async interrupt(@Param('caseId', uuid) caseId: string, @Body() body: InterruptCaseDto, @Write() context: WriteContext) {
    const outcome = await this.writes.execute(caseId, context, body, () => ({
      type: 'InterruptCase',
      reason: body.reason,
      ...(body.note ? { note: sealLater(sealedField.interruptionNote, body.note) } : {}),
    }));
    return CaseAnswer.written(outcome, { caseId, status: 'paused' });
  }

  @Post(':caseId/resumption')
  @HttpCode(200)
  @Allow('case.change-status')
  @ApiOkResponse({ schema: CASE_WRITTEN })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422, 429)
  async resume(@Param('caseId', uuid) caseId: string, @Write() context: WriteContext) {
    return CaseAnswer.written(await this.writes.execute(caseId, context, {}, () => ({ type: 'ResumeCase' })), { caseId, status: 'open' });
  }

  @Post(':caseId/closure')
  @HttpCode(200)
  @Allow('case.change-status')
  @ApiOkResponse({ schema: CASE_WRITTEN })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422, 429)
  async close(@Param('caseId', uuid) caseId: string, @Body() body: CloseCaseDto, @Write() context: WriteContext) {
    const outcome = await this.writes.execute(caseId, context, body, () => ({ type: 'CloseCase', reason: body.reason }));
    return CaseAnswer.written(outcome, { caseId, status: 'closed', withdrawnReferrals: withdrawnReferrals(outcome.events) });
  }

  @Post(':caseId/reopening')
  @HttpCode(200)
  @Allow('case.change-status')
  @ApiOkResponse({ schema: CASE_WRITTEN })
  @ApiProblems(400, 401, 403, 404, 409, 412, 422, 429)
  async reopen(@Param('caseId', uuid) caseId: string, @Write() context: WriteContext) {
    return CaseAnswer.written(await this.writes.execute(caseId, context, {}, () => ({ type: 'ReopenCase' })), { caseId, status: 'open' });
  }
}
