import { Module } from '@nestjs/common';
import { CaseViews } from '../cases/case-views.reader.js';
import { FhirConsentController } from './fhir-consent.controller.js';
import { FhirConsentExport } from './fhir-consent.service.js';

/** HL7 FHIR R4 export of consents (issue 6). CaseViews is stateless; this module keeps its own instance. */
@Module({ controllers: [FhirConsentController], providers: [FhirConsentExport, CaseViews] })
export class FhirConsentModule {}
