import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { Allow } from '../identity/access.decorators.js';
import { CurrentPrincipal, type Principal } from '../identity/principal.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { readAsAgency } from '../platform/agency-scope.js';
import { PageQueryDto, decodeCursor, instantPart, pageOf, uuidPart } from '../platform/keyset-cursor.js';
import { Clock } from '../platform/clock.js';
import { INBOX_COLUMNS, type InboxRow, WAITING_FOR_RESPONSE } from './referral-inbox.projection.js';
import { ApiProblems } from '../platform/api-responses.js';
import { REFERRAL_LIST } from '../cases/case-responses.js';

const DIRECTIONS = ['incoming', 'outgoing'] as const;
const STATUSES = ['requested', 'acknowledged', 'accepted', 'declined', 'completed', 'withdrawn'] as const;

export class ReferralQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DIRECTIONS, default: 'incoming' }) @IsOptional() @IsIn(DIRECTIONS) direction?: (typeof DIRECTIONS)[number];
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: (typeof STATUSES)[number];
  @ApiPropertyOptional({ description: 'Only referrals still awaiting an answer after their respond-by deadline (none while on hold)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;
}

@ApiTags('referrals')
@Controller('referrals')
export class ReferralsController {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Allow('referral.list')
  @ApiOperation({
    summary: "The caller's agency's referrals, incoming or outgoing, most recently requested first, paged by nextCursor; no personal data",
  })
  @ApiOkResponse({ schema: REFERRAL_LIST })
  @ApiProblems(400, 401, 403)
  async list(@Query() query: ReferralQueryDto, @CurrentPrincipal() principal: Principal) {
    const direction = query.direction ?? 'incoming';
    const limit = query.limit ?? 50;
    const [requestedAt, referralId] = query.cursor === undefined ? [null, null] : decodeCursor(query.cursor, [instantPart, uuidPart]);
    const rows = await readAsAgency(this.db, principal.agencyId, (tx) =>
      tx.query<InboxRow>(
        `SELECT ${INBOX_COLUMNS} FROM referral_inbox WHERE agency_id = $1 AND direction = $2 AND ($3::text IS NULL OR status = $3)
         AND (NOT $4::boolean OR (${WAITING_FOR_RESPONSE} AND respond_by < $5::timestamptz))
         AND ($6::timestamptz IS NULL OR (requested_at, referral_id) < ($6::timestamptz, $7::uuid))
       ORDER BY requested_at DESC, referral_id DESC LIMIT $8`,
        [principal.agencyId, direction, query.status ?? null, query.overdue === true, this.clock.now(), requestedAt, referralId, limit + 1],
      ),
    );
    const page = pageOf(rows, limit, (row) => [new Date(row.requested_at).toISOString(), row.referral_id]);
    const items = page.rows.map((row) => ({
      referralId: row.referral_id,
      caseId: row.case_id,
      [direction === 'incoming' ? 'fromAgencyId' : 'toAgencyId']: row.counterpart_agency_id,
      purpose: row.purpose,
      serviceType: row.service_type ?? undefined,
      urgency: row.urgency,
      sharedCategories: row.shared_categories,
      status: row.status,
      withdrawalCause: row.withdrawal_cause ?? undefined,
      declineReason: row.decline_reason ?? undefined,
      requestedAt: new Date(row.requested_at).toISOString(),
      respondBy: new Date(row.respond_by).toISOString(),
      ...(row.on_hold ? { onHold: true } : {}),
      updatedAt: new Date(row.updated_at).toISOString(),
    }));
    return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }
}
