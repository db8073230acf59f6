import { Inject, Injectable } from '@nestjs/common';
import { type SqlDatabase, appendOnly } from '../../libs/sql/index.js';
import type { Principal } from '../identity/principal.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { appendToChain } from './audit-chain.js';
import { accessContent } from './chain-content.js';

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
DROP TRIGGER IF EXISTS personal_data_access_append_only ON personal_data_access;
${appendOnly('personal_data_access', 'the access log is append-only')}`;

/** Why the reader could see the data: its own case, or the referrals and provisions that permit it. */
export type LegalBasisRecord = { readonly owner: true } | { readonly referrals: readonly string[] };

/** Every read of personal data is recorded, and chained, before the data is returned: who, agency, case, categories, legal basis. */
@Injectable()
export class AccessLog {
  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  async record(
    principal: Principal,
    caseId: string,
    categories: readonly string[],
    legalBasis: LegalBasisRecord,
    at: string,
  ): Promise<void> {
    await this.recordAll([{ principal, caseId, categories, legalBasis, at }]);
  }

  /** Several reads in one transaction and one append to the chain (the feed relay records a batch's disclosures so). */
  async recordAll(reads: readonly PersonalDataRead[]): Promise<void> {
    const recorded = reads.filter((r) => r.categories.length > 0);
    if (recorded.length === 0) return;
    await this.db.transaction(async (tx) => {
      const entries = [];
      for (const { principal, caseId, categories, legalBasis, at } of recorded) {
        const [row] = await tx.query<Parameters<typeof accessContent>[0]>(
          'INSERT INTO personal_data_access (accessed_at, user_id, agency_id, case_id, categories, legal_basis) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
          [at, principal.userId, principal.agencyId, caseId, [...categories], JSON.stringify(legalBasis)],
        );
        entries.push({ kind: 'access' as const, ref: String(row!.id), content: accessContent(row!) });
      }
      await appendToChain(tx, entries);
    });
  }
}

/** One read of personal data, as the access log records it. */
export interface PersonalDataRead {
  readonly principal: Principal;
  readonly caseId: string;
  readonly categories: readonly string[];
  readonly legalBasis: LegalBasisRecord;
  readonly at: string;
}
