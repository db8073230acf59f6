import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { CaseViews } from '../cases/case-views.reader.js';
import type { Principal } from '../identity/principal.js';
import { Clock } from '../platform/clock.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { caseConsentTrail } from './case-consent-trail.js';
import { consentBundle } from './fhir-consent.js';
import type { FhirBundle } from './fhir-r4.js';

/**
 * FHIR export of a case's consents. Both callers get it from the consent trail, which holds no
 * personal data and, unlike the case record, knows who recorded each withdrawal.
 */
@Injectable()
export class FhirConsentExport {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly views: CaseViews,
    private readonly clock: Clock,
  ) {}

  /** The owning agency only: any other agency, one the case was referred to included, gets 404 as if the case did not exist. */
  async forOwner(caseId: string, principal: Principal): Promise<FhirBundle> {
    // Read through row-level security as the caller's agency.
    const row = await this.views.find(principal.agencyId, caseId);
    if (row?.relation !== 'owner') throw new NotFoundException('case not found');
    return consentBundle(caseId, await caseConsentTrail(this.db, caseId), this.clock.now());
  }

  /** Auditors, like the consent trail itself: any case. */
  async forAuditor(caseId: string): Promise<FhirBundle> {
    const trail = await caseConsentTrail(this.db, caseId);
    if (trail.length === 0) throw new NotFoundException('no consent trail for this case');
    return consentBundle(caseId, trail, this.clock.now());
  }
}
