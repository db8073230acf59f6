import { type DynamicModule, Module } from '@nestjs/common';
import type { SqlDatabase } from '../libs/sql/index.js';
import { AuditModule } from './audit/audit.module.js';
import { FhirConsentModule } from './audit/fhir-consent.module.js';
import { CasesModule } from './cases/cases.module.js';
import { ConsentExpiryModule } from './consent-expiry/consent-expiry.module.js';
import { DirectoryModule } from './directory/directory.module.js';
import { FeedsModule } from './feeds/feeds.module.js';
import type { AppConfig } from './config/app-config.js';
import { HealthModule } from './health/health.controller.js';
import { MetricsModule } from './health/metrics.js';
import { IdentityModule } from './identity/identity.module.js';
import { PersistenceModule } from './platform/persistence.module.js';
import { PlatformModule } from './platform/platform.module.js';
import { ProblemsModule } from './problems/problems.module.js';
import { ProjectionsModule } from './projections/projections.module.js';
import { prepareSchema } from './platform/schema.js';
import { ReceiptsModule } from './receipts/receipts.module.js';
import { ReferralsModule } from './referrals/referrals.module.js';
import { ReportsModule } from './reports/reports.module.js';

@Module({})
export class AppModule {
  /** `connecting`: the database, when its opening was started before the modules were loaded (main.ts). */
  static forRoot(config: AppConfig, connecting?: Promise<SqlDatabase>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PersistenceModule.forRoot(config, prepareSchema, connecting),
        PlatformModule,
        IdentityModule,
        DirectoryModule,
        AuditModule,
        CasesModule,
        ProjectionsModule,
        ReferralsModule,
        HealthModule,
        MetricsModule,
        FhirConsentModule,
        ReceiptsModule,
        ReportsModule,
        ConsentExpiryModule,
        FeedsModule,
        ProblemsModule,
      ],
    };
  }
}
