import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { Clock } from '../platform/clock.js';
import { ProjectionsModule } from '../referrals/projections.module.js';
import { ConsentExpiry } from './consent-expiry.service.js';

/** The consent-expiry process; its read model (consent_deadlines) is kept with the others (READ_MODELS). */
@Module({ imports: [ProjectionsModule, CasesModule], providers: [ConsentExpiry, Clock] })
export class ConsentExpiryModule {}
