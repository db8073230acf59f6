import { Module } from '@nestjs/common';
import { CaseCommandService } from '../cases/case-commands.service.js';
import { ConsentExpiry } from './consent-expiry.service.js';

/** The consent-expiry process; its read model (consent_deadlines) is kept with the others (READ_MODELS). */
@Module({ providers: [ConsentExpiry, CaseCommandService] })
export class ConsentExpiryModule {}
