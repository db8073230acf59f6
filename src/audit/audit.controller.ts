import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { Allow } from '../identity/access.decorators.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { CHAIN_HASH } from '../../libs/audit-chain/index.js';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/index.js';
import { ProjectionRunner } from '../../libs/projections/index.js';
import { EVENT_MAC_KEY } from '../platform/persistence.module.js';
import { notYetProjected, verifyAuditChain } from './audit-chain.js';

const uuid = new ParseUUIDPipe({ version: undefined });

/** One export answers at most this many records; narrow the period to see more. */
const EXPORT_LIMIT = 10_000;

export class AuditQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() caseId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The reading agency (access log) or the recording agency (consent trail)' }) @IsOptional() @IsUUID() agencyId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) userId?: string;
  @ApiPropertyOptional({ description: 'ISO 8601, inclusive' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'ISO 8601, exclusive' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

export class VerifyQueryDto {
  @ApiPropertyOptional({ description: 'A head published earlier (64 hex digits): the chain must still hold it' })
  @IsOptional() @Matches(CHAIN_HASH) head?: string;
}

/** JSON as it is, or CSV with nested values as JSON in their cell (RFC 4180 quoting). */
function exported(records: ReadonlyArray<Record<string, unknown>>, columns: readonly string[], format: 'json' | 'csv' | undefined, response: Response, name: string) {
  // Cut at the limit, oldest first: say so, so an auditor narrows the period instead of missing records.
  if (records.length >= EXPORT_LIMIT) response.setHeader('X-Export-Truncated', 'true');
  if (format !== 'csv') return records;
  const cell = (value: unknown) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    // A leading = + - @ would make a spreadsheet run the cell as a formula.
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  response.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
  return [columns.join(','), ...records.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}

/** Auditors review consent and access without seeing any personal data. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(EVENT_MAC_KEY) private readonly macKey: Buffer,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
  ) {}

  @Get('verify')
  @Allow('audit.read')
  @ApiOperation({ summary: 'Recompute the hash chain over every event, the consent trail and the access records, check each event\'s MAC and a published head; names the first broken link' })
  verify(@Query() query: VerifyQueryDto) {
    return verifyAuditChain(this.db, { macKey: this.macKey, ...(query.head ? { head: query.head } : {}), pending: notYetProjected(this.runner, this.store) });
  }

  @Get('access-log')
  @Allow('audit.read')
  @ApiOperation({ summary: 'Reads of personal data across the network, filtered by case, reading agency, user and period; JSON or CSV' })
  async accessLogExport(@Query() query: AuditQueryDto, @Res({ passthrough: true }) response: Response) {
    const rows = await this.db.query<{ accessed_at: Date; user_id: string; agency_id: string; case_id: string; categories: string[]; legal_basis: unknown }>(
      `SELECT accessed_at, user_id, agency_id, case_id, categories, legal_basis FROM personal_data_access
        WHERE ($1::uuid IS NULL OR case_id = $1) AND ($2::text IS NULL OR agency_id = $2) AND ($3::text IS NULL OR user_id = $3)
          AND ($4::timestamptz IS NULL OR accessed_at >= $4) AND ($5::timestamptz IS NULL OR accessed_at < $5)
        ORDER BY id LIMIT ${EXPORT_LIMIT}`,
      [query.caseId ?? null, query.agencyId ?? null, query.userId ?? null, query.from ?? null, query.to ?? null],
    );
    const records = rows.map((row) => ({
      accessedAt: new Date(row.accessed_at).toISOString(), userId: row.user_id, agencyId: row.agency_id, caseId: row.case_id,
      categories: row.categories, legalBasis: row.legal_basis,
    }));
    return exported(records, ['accessedAt', 'userId', 'agencyId', 'caseId', 'categories', 'legalBasis'], query.format, response, 'access-log');
  }

  @Get('consent-trail')
  @Allow('audit.read')
  @ApiOperation({ summary: 'Consent events across the network, filtered by case, recording agency, user and period; JSON or CSV' })
  async consentTrailExport(@Query() query: AuditQueryDto, @Res({ passthrough: true }) response: Response) {
    const rows = await this.db.query<{ case_id: string; revision: number; event_type: string; occurred_at: Date; actor_user_id: string; actor_agency_id: string; details: unknown }>(
      `SELECT case_id, revision, event_type, occurred_at, actor_user_id, actor_agency_id, details FROM consent_trail
        WHERE ($1::uuid IS NULL OR case_id = $1) AND ($2::text IS NULL OR actor_agency_id = $2) AND ($3::text IS NULL OR actor_user_id = $3)
          AND ($4::timestamptz IS NULL OR occurred_at >= $4) AND ($5::timestamptz IS NULL OR occurred_at < $5)
        ORDER BY occurred_at, case_id, revision LIMIT ${EXPORT_LIMIT}`,
      [query.caseId ?? null, query.agencyId ?? null, query.userId ?? null, query.from ?? null, query.to ?? null],
    );
    const records = rows.map((row) => ({
      caseId: row.case_id, revision: row.revision, type: row.event_type, occurredAt: new Date(row.occurred_at).toISOString(),
      actorUserId: row.actor_user_id, actorAgencyId: row.actor_agency_id, details: row.details,
    }));
    return exported(records, ['caseId', 'revision', 'type', 'occurredAt', 'actorUserId', 'actorAgencyId', 'details'], query.format, response, 'consent-trail');
  }

  @Get('cases/:caseId/consent-trail')
  @Allow('audit.read')
  @ApiOperation({ summary: 'Who recorded which consent, to whom, for what, which categories; withdrawals; the referrals relying on it' })
  async consentTrail(@Param('caseId', uuid) caseId: string) {
    const rows = await this.db.query<{ revision: number; event_type: string; occurred_at: Date; actor_user_id: string; actor_agency_id: string; details: unknown }>(
      'SELECT revision, event_type, occurred_at, actor_user_id, actor_agency_id, details FROM consent_trail WHERE case_id = $1 ORDER BY revision',
      [caseId],
    );
    if (rows.length === 0) throw new NotFoundException('no consent trail for this case');
    return rows.map((row) => ({
      revision: row.revision, type: row.event_type, occurredAt: new Date(row.occurred_at).toISOString(),
      actorUserId: row.actor_user_id, actorAgencyId: row.actor_agency_id, details: row.details,
    }));
  }

  @Get('cases/:caseId/access-log')
  @Allow('audit.read')
  @ApiOperation({ summary: 'Every read of the case\'s personal data: who, which agency, which categories, on what legal basis' })
  async accessLog(@Param('caseId', uuid) caseId: string) {
    const [known] = await this.db.query('SELECT 1 FROM consent_trail WHERE case_id = $1 LIMIT 1', [caseId]);
    if (!known) throw new NotFoundException('no such case');
    const rows = await this.db.query<{ accessed_at: Date; user_id: string; agency_id: string; categories: string[]; legal_basis: unknown }>(
      'SELECT accessed_at, user_id, agency_id, categories, legal_basis FROM personal_data_access WHERE case_id = $1 ORDER BY id',
      [caseId],
    );
    return rows.map((row) => ({
      accessedAt: new Date(row.accessed_at).toISOString(), userId: row.user_id, agencyId: row.agency_id, categories: row.categories, legalBasis: row.legal_basis,
    }));
  }
}
