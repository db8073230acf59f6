import { Controller, Get, Header, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Allow } from '../identity/access.decorators.js';
import { CurrentPrincipal, type Principal } from '../identity/principal.js';
import { FHIR_JSON } from './fhir-consent.js';
import { FhirConsentExport } from './fhir-consent.service.js';

const uuid = new ParseUUIDPipe({ version: undefined });

/** A FHIR R4 Bundle, its resources as FHIR defines them (checked against FHIR's own schema in the tests). */
const BUNDLE = {
  content: {
    [FHIR_JSON]: {
      schema: {
        type: 'object',
        required: ['resourceType', 'type', 'entry'],
        properties: {
          resourceType: { type: 'string', enum: ['Bundle'] },
          type: { type: 'string', enum: ['transaction'] },
          entry: { type: 'array', items: { type: 'object', additionalProperties: true } },
        },
        additionalProperties: true,
      },
    },
  },
};

/**
 * A case's consents as HL7 FHIR R4 `Consent` resources (withdrawals as `Provenance`), no personal
 * data. Two routes because the two callers relate differently to the case: the owning agency's
 * staff read only their own cases, auditors every case (as with the consent trail).
 */
@ApiTags('fhir')
@Controller()
export class FhirConsentController {
  constructor(private readonly exports: FhirConsentExport) {}

  @Get('cases/:caseId/fhir/consents')
  @Allow('consent.export')
  @Header('Content-Type', FHIR_JSON)
  @ApiProduces(FHIR_JSON)
  @ApiOkResponse(BUNDLE)
  @ApiOperation({
    summary:
      "The case's consents as a FHIR R4 transaction Bundle (Consent, Provenance, Organization) a FHIR server loads as it is; owning agency only",
  })
  ownerExport(@Param('caseId', uuid) caseId: string, @CurrentPrincipal() principal: Principal) {
    return this.exports.forOwner(caseId, principal);
  }

  @Get('audit/cases/:caseId/fhir/consents')
  @Allow('audit.read')
  @Header('Content-Type', FHIR_JSON)
  @ApiProduces(FHIR_JSON)
  @ApiOkResponse(BUNDLE)
  @ApiOperation({ summary: "Any case's consents as a FHIR R4 transaction Bundle (Consent, Provenance, Organization), for auditors" })
  auditExport(@Param('caseId', uuid) caseId: string) {
    return this.exports.forAuditor(caseId);
  }
}
