import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../identity/access.decorators.js';
import { CurrentPrincipal, type Principal } from '../identity/principal.js';
import { ApiProblems, instant, oneOf, page, record, text } from '../platform/api-responses.js';
import { PageQueryDto } from '../platform/keyset-cursor.js';
import { CaseViews } from './case-views.reader.js';

const WAITING_APPROVALS = page(
  record({
    kind: oneOf(['best_interests_determination', 'erasure_request']),
    caseId: text({ format: 'uuid' }),
    id: text({ format: 'uuid', description: "The determination's or the erasure request's id, as its approval route names it" }),
    proposedBy: text({ description: 'The user who proposed it: they may not approve it themself' }),
    proposedAt: instant,
  }),
);

/** The supervisor's worklist: decisions of the agency's own cases that wait for a second person. No personal data. */
@ApiTags('cases')
@Controller('approvals')
export class ApprovalsController {
  constructor(private readonly views: CaseViews) {}

  @Get()
  @Allow('approval.list')
  @ApiOperation({
    summary:
      "What waits for a second person's approval in your agency's cases (best-interests determinations, erasure requests), oldest first, a page at a time: follow nextCursor while it is given",
  })
  @ApiOkResponse({ schema: WAITING_APPROVALS })
  @ApiProblems(401, 403)
  list(@Query() query: PageQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.views.waitingApprovals(principal.agencyId, { limit: query.limit ?? 50, ...(query.cursor ? { cursor: query.cursor } : {}) });
  }
}
