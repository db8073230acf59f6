import { Module } from '@nestjs/common';
import { CaseCommandService } from '../cases/case-commands.service.js';
import { Clock } from '../platform/clock.js';
import { ProjectionsModule } from '../referrals/projections.module.js';
import { ConsentExpiry } from './consent-expiry.service.js';

/** The consent-expiry process; its read model (consent_deadlines) is kept with the others (READ_MODELS). */
@Module({ imports: [ProjectionsModule], providers: [ConsentExpiry, CaseCommandService, Clock] })
export class ConsentExpiryModule {}
