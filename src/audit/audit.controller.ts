import {
  BadRequestException,
  Controller,
  Get,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Query,
  StreamableFile,
} from '@nestjs/common';
import { Readable } from 'node:stream';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { normalInstant } from '../../libs/time/index.js';
import { Allow } from '../identity/access.decorators.js';
import { IsInstant } from '../platform/date-validation.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import {
  type CursorKey,
  type CursorPart,
  PageCursor,
  PageLimit,
  decodeCursor,
  instantPart,
  pageOf,
  positionPart,
  revisionPart,
  uuidPart,
} from '../platform/keyset-cursor.js';
import { CHAIN_HASH } from '../../libs/audit-chain/index.js';
import { EVENT_STORE, type EventStore } from '../../libs/event-store/index.js';
import { ProjectionRunner } from '../../libs/projections/index.js';
import { EVENT_MAC_KEY } from '../platform/persistence.module.js';
import { notYetProjected, verifyAuditChain } from './audit-chain-verify.js';
import { ACCESS_LOG_EXPORT, CASE_ACCESS_LOG, CASE_CONSENT_TRAIL, CONSENT_TRAIL_EXPORT, VERIFICATION } from './audit-responses.js';
import { type TrailRow, caseConsentTrail, trailEntry } from './case-consent-trail.js';

const uuid = new ParseUUIDPipe({ version: undefined });

/** Rows read from the database at a time while a CSV export streams: its memory does not grow with the export. */
export const EXPORT_PAGE = 1000;

export class AuditQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() caseId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The reading agency (access log) or the recording agency (consent trail)' })
  @IsOptional()
  @IsUUID()
  agencyId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) userId?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'RFC 3339 with an offset, inclusive' }) @IsOptional() @IsInstant() from?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'RFC 3339 with an offset, exclusive' }) @IsOptional() @IsInstant() to?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
  /** JSON only: CSV streams every record in one answer. */
  @PageLimit(EXPORT_PAGE, EXPORT_PAGE) limit?: number;
  @PageCursor() cursor?: string;
}

/** $1 to $5 of both exports' queries: case, agency, user and period, each absent as null. */
const filterParameters = (query: AuditQueryDto) => [
  query.caseId ?? null,
  query.agencyId ?? null,
  query.userId ?? null,
  normalInstant(query.from) ?? null,
  normalInstant(query.to) ?? null,
];

export class VerifyQueryDto {
  @ApiPropertyOptional({ description: 'A head published earlier (64 hex digits): the chain must still hold it' })
  @IsOptional()
  @Matches(CHAIN_HASH)
  head?: string;
}

/** One export: its rows in a total order, read a page at a time after the key of the last row read. */
interface ExportSource<Row, P extends ReadonlyArray<CursorPart<string | number>>> {
  readonly name: string;
  readonly columns: readonly string[];
  readonly keyParts: P;
  page(after: CursorKey<P> | null, limit: number): Promise<Row[]>;
  keyOf(row: Row): CursorKey<P>;
  record(row: Row): Record<string, unknown>;
}

/** A CSV cell with nested values as JSON (RFC 4180 quoting). */
function csvCell(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  // A leading = + - @ would make a spreadsheet run the cell as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * JSON: one page of `limit` records and the cursor of the next, so no answer is cut short and
 * none is unbounded. CSV (for spreadsheets): every record, streamed as the pages are read.
 */
async function exported<Row, P extends ReadonlyArray<CursorPart<string | number>>>(source: ExportSource<Row, P>, query: AuditQueryDto) {
  if (query.format === 'csv') {
    if (query.limit !== undefined || query.cursor !== undefined)
      throw new BadRequestException('limit and cursor page JSON exports; a CSV export holds every record');
    // The first page is read before answering, so a failing query still gets its problem answer.
    const first = await source.page(null, EXPORT_PAGE);
    return new StreamableFile(Readable.from(csvLines(source, first), { objectMode: false }), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${source.name}.csv"`,
    });
  }
  const limit = query.limit ?? EXPORT_PAGE;
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, source.keyParts);
  const { rows, nextCursor } = pageOf(await source.page(after, limit + 1), limit, (row) => source.keyOf(row));
  return { items: rows.map((row) => source.record(row)), ...(nextCursor ? { nextCursor } : {}) };
}

async function* csvLines<Row, P extends ReadonlyArray<CursorPart<string | number>>>(
  source: ExportSource<Row, P>,
  first: Row[],
): AsyncGenerator<string> {
  yield source.columns.join(',') + '\r\n';
  for (
    let rows = first;
    rows.length > 0;
    rows = rows.length < EXPORT_PAGE ? [] : await source.page(source.keyOf(rows.at(-1)!), EXPORT_PAGE)
  ) {
    yield rows
      .map((row) => {
        const record = source.record(row);
        return source.columns.map((c) => csvCell(record[c])).join(',') + '\r\n';
      })
      .join('');
  }
}

/** Auditors review consent and access without seeing any personal data. */
@ApiTags('audit')
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
  @ApiOperation({
    summary:
      "Recompute the hash chain over every event, the consent trail and the access records, check each event's MAC and a published head; names the first broken link",
  })
  @ApiOkResponse({ schema: VERIFICATION })
  verify(@Query() query: VerifyQueryDto) {
    return verifyAuditChain(this.db, this.store, {
      macKey: this.macKey,
      ...(query.head ? { head: query.head } : {}),
      pending: notYetProjected(this.runner, this.store),
    });
  }

  @Get('access-log')
  @Allow('audit.read')
  @ApiOperation({
    summary:
      'Reads of personal data across the network, filtered by case, reading agency, user and period; JSON pages (nextCursor) or the whole CSV',
  })
  @ApiOkResponse(ACCESS_LOG_EXPORT)
  accessLogExport(@Query() query: AuditQueryDto) {
    return exported(
      {
        name: 'access-log',
        columns: ['accessedAt', 'userId', 'agencyId', 'caseId', 'categories', 'legalBasis'],
        keyParts: [positionPart] as const,
        // By position: the log's own append order.
        page: (after, limit) =>
          this.db.query<{
            id: string | number;
            accessed_at: Date;
            user_id: string;
            agency_id: string;
            case_id: string;
            categories: string[];
            legal_basis: unknown;
          }>(
            `SELECT id, accessed_at, user_id, agency_id, case_id, categories, legal_basis FROM personal_data_access
          WHERE ($1::uuid IS NULL OR case_id = $1) AND ($2::text IS NULL OR agency_id = $2) AND ($3::text IS NULL OR user_id = $3)
            AND ($4::timestamptz IS NULL OR accessed_at >= $4) AND ($5::timestamptz IS NULL OR accessed_at < $5) AND ($6::bigint IS NULL OR id > $6)
          ORDER BY id LIMIT $7`,
            [...filterParameters(query), after?.[0] ?? null, limit],
          ),
        keyOf: (row) => [String(row.id)],
        record: (row) => ({
          accessedAt: new Date(row.accessed_at).toISOString(),
          userId: row.user_id,
          agencyId: row.agency_id,
          caseId: row.case_id,
          categories: row.categories,
          legalBasis: row.legal_basis,
        }),
      },
      query,
    );
  }

  @Get('consent-trail')
  @Allow('audit.read')
  @ApiOperation({
    summary:
      'Consent events across the network, filtered by case, recording agency, user and period; JSON pages (nextCursor) or the whole CSV',
  })
  @ApiOkResponse(CONSENT_TRAIL_EXPORT)
  consentTrailExport(@Query() query: AuditQueryDto) {
    return exported(
      {
        name: 'consent-trail',
        columns: ['caseId', 'revision', 'type', 'occurredAt', 'actorUserId', 'actorAgencyId', 'details'],
        keyParts: [instantPart, uuidPart, revisionPart] as const,
        page: (after, limit) =>
          this.db.query<TrailRow & { case_id: string }>(
            `SELECT case_id, revision, event_type, occurred_at, actor_user_id, actor_agency_id, details FROM consent_trail
          WHERE ($1::uuid IS NULL OR case_id = $1) AND ($2::text IS NULL OR actor_agency_id = $2) AND ($3::text IS NULL OR actor_user_id = $3)
            AND ($4::timestamptz IS NULL OR occurred_at >= $4) AND ($5::timestamptz IS NULL OR occurred_at < $5)
            AND ($6::timestamptz IS NULL OR (occurred_at, case_id, revision) > ($6::timestamptz, $7::uuid, $8::int))
          ORDER BY occurred_at, case_id, revision LIMIT $9`,
            [...filterParameters(query), after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, limit],
          ),
        keyOf: (row) => [new Date(row.occurred_at).toISOString(), row.case_id, row.revision],
        record: (row) => ({ caseId: row.case_id, ...trailEntry(row) }),
      },
      query,
    );
  }

  @Get('cases/:caseId/consent-trail')
  @Allow('audit.read')
  @ApiOperation({ summary: 'Who recorded which consent, to whom, for what, which categories; withdrawals; the referrals relying on it' })
  @ApiOkResponse({ schema: CASE_CONSENT_TRAIL })
  async consentTrail(@Param('caseId', uuid) caseId: string) {
    const trail = await caseConsentTrail(this.db, caseId);
    if (trail.length === 0) throw new NotFoundException('no consent trail for this case');
    return trail;
  }

  @Get('cases/:caseId/access-log')
  @Allow('audit.read')
  @ApiOperation({ summary: "Every read of the case's personal data: who, which agency, which categories, on what legal basis" })
  @ApiOkResponse({ schema: CASE_ACCESS_LOG })
  async accessLog(@Param('caseId', uuid) caseId: string) {
    const [known] = await this.db.query('SELECT 1 FROM consent_trail WHERE case_id = $1 LIMIT 1', [caseId]);
    if (!known) throw new NotFoundException('no such case');
    const rows = await this.db.query<{ accessed_at: Date; user_id: string; agency_id: string; categories: string[]; legal_basis: unknown }>(
      'SELECT accessed_at, user_id, agency_id, categories, legal_basis FROM personal_data_access WHERE case_id = $1 ORDER BY id',
      [caseId],
    );
    return rows.map((row) => ({
      accessedAt: new Date(row.accessed_at).toISOString(),
      userId: row.user_id,
      agencyId: row.agency_id,
      categories: row.categories,
      legalBasis: row.legal_basis,
    }));
  }
}
