import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { CaseViews } from '../cases/case-views.reader.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { MemberAgencies } from '../identity/member-agencies.js';
import type { Principal } from '../identity/principal.js';
import { Clock } from '../platform/clock.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import { ReceiptsService } from '../receipts/receipts.service.js';
import { caseConsentTrail } from './case-consent-trail.js';
import type { ConsentTrailEntry } from './fhir-consent-resources.js';
import { consentBundle } from './fhir-consent.js';
import { type FhirUrls, fhirUrls } from './fhir-urls.js';
import type { FhirBundle } from './fhir-r4.js';

/**
 * FHIR export of a case's consents. Both callers get it from the consent trail, which holds no
 * personal data and, unlike the case record, knows who recorded each withdrawal; the agencies'
 * directory names and the signed receipts (no personal data either) complete it.
 */
@Injectable()
export class FhirConsentExport {
  private readonly urls: FhirUrls;

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly views: CaseViews,
    private readonly clock: Clock,
    private readonly members: MemberAgencies,
    private readonly receipts: ReceiptsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.urls = fhirUrls(config.fhir.canonicalBase, config.fhir.urls);
  }

  /** The owning agency only: any other agency, one the case was referred to included, gets 404 as if the case did not exist. */
  async forOwner(caseId: string, principal: Principal): Promise<FhirBundle> {
    // Read through row-level security as the caller's agency.
    const row = await this.views.find(principal.agencyId, caseId);
    if (row?.relation !== 'owner') throw new NotFoundException('case not found');
    return this.bundle(caseId, await caseConsentTrail(this.db, caseId));
  }

  /** Auditors, like the consent trail itself: any case. */
  async forAuditor(caseId: string): Promise<FhirBundle> {
    const trail = await caseConsentTrail(this.db, caseId);
    if (trail.length === 0) throw new NotFoundException('no consent trail for this case');
    return this.bundle(caseId, trail);
  }

  private async bundle(caseId: string, trail: readonly ConsentTrailEntry[]): Promise<FhirBundle> {
    const agencyIds = trail.flatMap(({ actorAgencyId, details }) => [actorAgencyId, ...agenciesIn(details)]).filter((id) => UUID.test(id));
    const [agencies, receipts] = await Promise.all([this.members.byIds(agencyIds), this.receipts.signedGrants(caseId)]);
    const agencyNames = new Map(agencies.map((a) => [a.id, a.name]));
    return consentBundle(caseId, trail, this.clock.now(), { urls: this.urls, agencyNames, receipts });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The agencies a trail entry's details name: the owner of an opened case, the recipients of a consent's provisions. */
function agenciesIn(details: unknown): string[] {
  const { owningAgencyId, provisions } = (details ?? {}) as { owningAgencyId?: string; provisions?: Array<{ recipient: object }> };
  return [
    ...(owningAgencyId ? [owningAgencyId] : []),
    ...(provisions ?? []).flatMap(({ recipient }) => ('agencyId' in recipient ? [String(recipient.agencyId)] : [])),
  ];
}
