import { Module } from '@nestjs/common';
import { CaseCommandService } from '../cases/case-commands.service.js';
import { IdentityModule } from '../identity/identity.module.js';
import { ConsentExpiry } from './consent-expiry.service.js';

/** The consent-expiry process; its read model (consent_deadlines) is kept with the others (READ_MODELS). */
@Module({ imports: [IdentityModule], providers: [ConsentExpiry, CaseCommandService] })
export class ConsentExpiryModule {}
