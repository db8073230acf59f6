import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { DATA_KEY_STORE, type DataKeyStore } from '../../libs/crypto/index.js';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { IdentityModule } from '../identity/identity.module.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { caseIdOf } from './case-stream.js';
import { RetentionService } from './retention.js';
import { CaseCommandService } from './case-commands.service.js';
import { CasePathController } from './case-path.controller.js';
import { CaseReader } from './case-reader.service.js';
import { CaseReferralsController } from './case-referrals.controller.js';
import { CaseSealing } from './case-sealing.js';
import { CaseWrites } from './case-writes.service.js';
import { CasesController } from './cases.controller.js';
import { CaseViews } from './case-views.reader.js';
import { ConsentsController } from './consents.controller.js';
import { ErasureController } from './erasure.controller.js';
import { ReferralSuggestions } from './referral-suggestions.service.js';

@Module({
  // MemberAgencies: who the member agencies and their case staff are.
  imports: [IdentityModule],
  controllers: [CasesController, ConsentsController, CaseReferralsController, CasePathController, ErasureController],
  providers: [CaseCommandService, CaseSealing, CaseWrites, CaseReader, ReferralSuggestions, CaseViews, RetentionService],
  exports: [CaseCommandService, CaseSealing],
})
export class CasesModule implements OnApplicationBootstrap {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(DATA_KEY_STORE) private readonly keys: DataKeyStore,
  ) {}

  /** Finishes erasures a crash interrupted between the event and the key's destruction. */
  async onApplicationBootstrap(): Promise<void> {
    const erased = await this.db.query<{ stream_id: string }>(`SELECT DISTINCT stream_id FROM events WHERE event_type = 'CaseErased'`);
    for (const { stream_id } of erased) {
      const caseId = caseIdOf(stream_id);
      if (caseId !== undefined && Buffer.isBuffer(await this.keys.get(caseId))) await this.keys.destroy(caseId);
    }
  }
}
