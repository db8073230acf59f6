import { Module, type OnModuleInit } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { RetentionService } from './retention.js';
import { CaseCommandService } from './case-commands.service.js';
import { ApprovalsController } from './approvals.controller.js';
import { CasePathController } from './case-path.controller.js';
import { CaseReader } from './case-reader.service.js';
import { CaseReferralsController } from './case-referrals.controller.js';
import { CaseSealing } from './case-sealing.js';
import { CaseWrites } from './case-writes.service.js';
import { CasesController } from './cases.controller.js';
import { CommandAgencies } from './command-agencies.js';
import { CaseViews } from './case-views.reader.js';
import { ConsentsController } from './consents.controller.js';
import { ErasureController } from './erasure.controller.js';
import { ReferralSuggestions } from './referral-suggestions.service.js';
import { UnfinishedErasures } from './unfinished-erasures.js';

@Module({
  // MemberAgencies: who the member agencies and their case staff are.
  imports: [IdentityModule],
  controllers: [CasesController, ConsentsController, CaseReferralsController, CasePathController, ErasureController, ApprovalsController],
  providers: [
    CaseCommandService,
    CaseSealing,
    CaseWrites,
    CommandAgencies,
    CaseReader,
    ReferralSuggestions,
    CaseViews,
    RetentionService,
    UnfinishedErasures,
  ],
  exports: [CaseCommandService, CaseSealing],
})
export class CasesModule implements OnModuleInit {
  constructor(private readonly unfinishedErasures: UnfinishedErasures) {}

  /**
   * Before the service listens, and before the read models start catching up (at bootstrap): an
   * erasure after their checkpoint is found by its event's type, not by a projection racing this.
   */
  async onModuleInit(): Promise<void> {
    await this.unfinishedErasures.finish();
  }
}
