import { Inject, Injectable } from '@nestjs/common';
import type { AgencyKind } from '../../libs/consent-policy/index.js';
import type { SqlClient, SqlDatabase } from '../../libs/sql/index.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { PERMISSIONS, type Role } from './roles.js';

/** A member agency of the network as identity keeps it. */
export interface MemberAgency {
  readonly id: string;
  readonly name: string;
  readonly kind: AgencyKind;
  readonly active: boolean;
}

/** An agency's case staff: the roles that may manage its cases (caseworkers and supervisors). */
const CASE_STAFF: readonly Role[] = PERMISSIONS['case.manage'];

const AGENCY = 'SELECT id, name, kind, active FROM agencies';

/**
 * Identity's answers about member agencies and their staff, so that no other module reads or
 * writes identity's tables. `client`: the caller's transaction, where its answer must be part of it.
 */
@Injectable()
export class MemberAgencies {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  /** The agency, active or not. */
  async find(agencyId: string, client: SqlClient = this.db): Promise<MemberAgency | undefined> {
    const [agency] = await client.query<MemberAgency>(`${AGENCY} WHERE id = $1`, [agencyId]);
    return agency;
  }

  /** Every agency, active or not, by name (then id). */
  all(client: SqlClient = this.db): Promise<MemberAgency[]> {
    return client.query<MemberAgency>(`${AGENCY} ORDER BY name, id`);
  }

  /** Those of these agencies that exist, active or not, by name (then id). */
  byIds(agencyIds: readonly string[], client: SqlClient = this.db): Promise<MemberAgency[]> {
    return client.query<MemberAgency>(`${AGENCY} WHERE id = ANY($1::uuid[]) ORDER BY name, id`, [[...new Set(agencyIds)]]);
  }

  /** Those of these agencies that are active members, by name (then id). */
  activeByIds(agencyIds: readonly string[]): Promise<MemberAgency[]> {
    return this.db.query<MemberAgency>(`${AGENCY} WHERE id = ANY($1::uuid[]) AND active ORDER BY name, id`, [[...new Set(agencyIds)]]);
  }

  /** Whether the user is an active caseworker or supervisor of the agency. */
  async isCaseStaff(agencyId: string, userId: string): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 FROM users WHERE id = $1 AND agency_id = $2 AND active AND role = ANY($3::text[])', [
      userId,
      agencyId,
      CASE_STAFF,
    ]);
    return rows.length > 0;
  }

  /** The agency's active caseworkers and supervisors, by name: whom a case of the agency can be given to. */
  caseStaff(agencyId: string): Promise<Array<{ id: string; displayName: string; role: Role }>> {
    return this.db.query(
      'SELECT id, display_name AS "displayName", role FROM users WHERE agency_id = $1 AND active AND role = ANY($2::text[]) ORDER BY display_name, id',
      [agencyId, CASE_STAFF],
    );
  }

  /** The display names of those of these users that exist, active or not, by user id. */
  async staffNames(userIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db.query<{ id: string; display_name: string }>(
      'SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])',
      [[...new Set(userIds)]],
    );
    return new Map(rows.map((u) => [u.id, u.display_name]));
  }

  /**
   * Creates a member agency, or renames an existing one. Never changes an existing agency's kind:
   * consent given to a kind of agency depends on it.
   */
  async save(agency: Pick<MemberAgency, 'id' | 'name' | 'kind'>, client: SqlClient = this.db): Promise<void> {
    await client.query('INSERT INTO agencies (id, name, kind) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name', [
      agency.id,
      agency.name,
      agency.kind,
    ]);
  }
}
