import { Inject, Injectable } from '@nestjs/common';
import type { SqlDatabase } from '../../libs/sql/index.js';
import type { Principal } from '../identity/principal.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { accessContent, appendToChain } from './audit-chain.js';

/** Append-only, in the database itself, like the events. */
export const ACCESS_LOG_SCHEMA = `
CREATE TABLE IF NOT EXISTS personal_data_access (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  accessed_at timestamptz NOT NULL,
  user_id text NOT NULL,
  agency_id text NOT NULL,
  case_id uuid NOT NULL,
  categories text[] NOT NULL,
  legal_basis jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS personal_data_access_by_case ON personal_data_access (case_id, id);
CREATE OR REPLACE FUNCTION access_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the access log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS personal_data_access_append_only ON personal_data_access;
CREATE TRIGGER personal_data_access_append_only BEFORE UPDATE OR DELETE ON personal_data_access FOR EACH ROW EXECUTE FUNCTION access_log_is_append_only();
DROP TRIGGER IF EXISTS personal_data_access_no_truncate ON personal_data_access;
CREATE TRIGGER personal_data_access_no_truncate BEFORE TRUNCATE ON personal_data_access FOR EACH STATEMENT EXECUTE FUNCTION access_log_is_append_only();
`;

/** Why the reader could see the data: its own case, or the referrals and provisions that permit it. */
export type LegalBasisRecord = { readonly owner: true } | { readonly referrals: readonly string[] };

/** Every read of personal data is recorded, and chained, before the data is returned: who, agency, case, categories, legal basis. */
@Injectable()
export class AccessLog {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  async record(principal: Principal, caseId: string, categories: readonly string[], legalBasis: LegalBasisRecord, at: string): Promise<void> {
    if (categories.length === 0) return;
    await this.db.transaction(async (tx) => {
      const [row] = await tx.query<Parameters<typeof accessContent>[0]>(
        'INSERT INTO personal_data_access (accessed_at, user_id, agency_id, case_id, categories, legal_basis) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
        [at, principal.userId, principal.agencyId, caseId, [...categories], JSON.stringify(legalBasis)],
      );
      await appendToChain(tx, [{ kind: 'access', ref: String(row!.id), content: accessContent(row!) }]);
    });
  }
}
