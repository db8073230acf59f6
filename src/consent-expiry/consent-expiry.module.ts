import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { ConsentExpiry } from './consent-expiry.service.js';

/** The consent-expiry process; its read model (consent_deadlines) is kept with the others (READ_MODELS). */
@Module({ imports: [IdentityModule, CasesModule], providers: [ConsentExpiry] })
export class ConsentExpiryModule {}
