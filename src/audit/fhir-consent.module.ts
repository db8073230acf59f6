import { Module } from '@nestjs/common';
import { CaseViews } from '../cases/case-views.reader.js';
import { IdentityModule } from '../identity/identity.module.js';
import { ReceiptsModule } from '../receipts/receipts.module.js';
import { FhirConsentController } from './fhir-consent.controller.js';
import { FhirConsentExport } from './fhir-consent.service.js';

/** HL7 FHIR R4 export of consents (issues 6 and 15). CaseViews is stateless; this module keeps its own instance. */
@Module({ imports: [IdentityModule, ReceiptsModule], controllers: [FhirConsentController], providers: [FhirConsentExport, CaseViews] })
export class FhirConsentModule {}
