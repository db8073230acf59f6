import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { Allow } from '../identity/access.decorators.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { verifyAuditChain } from './audit-chain.js';

const uuid = new ParseUUIDPipe({ version: undefined });

/** Auditors review consent and access without seeing any personal data. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  @Get('verify')
  @Allow('audit.read')
  @ApiOperation({ summary: 'Recompute the hash chain over consent events and access records; names the first broken link' })
  verify() {
    return verifyAuditChain(this.db);
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
