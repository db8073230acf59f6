import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { type DataCategory, consentNeeded, consentNeededInWords, permits } from '../../libs/consent-policy/index.js';
import {
  ageRangeOf,
  eligibilityGapInWords,
  eligibilityGaps,
  eligibilityGapsOf,
  type Unavailable,
  isUnavailable,
  referralTarget,
  treatedAsChild,
} from '../../libs/domain/index.js';
import { AccessLog } from '../audit/access-log.js';
import { SERVICE_DIRECTORY, type ServiceDirectory } from '../directory/service-directory.port.js';
import type { Principal } from '../identity/principal.js';
import { Clock } from '../platform/clock.js';
import type { ReferralSuggestionsDto } from './referral.dtos.js';
import { CaseSealing } from './case-sealing.js';
import type { CaseRecord } from './case-record.js';
import { CaseViews } from './case-views.reader.js';
import { consentSubjectOfView } from './recipient-view.js';

/** For the owning agency: where the person could be referred, and what stands in the way. */
@Injectable()
export class ReferralSuggestions {
  constructor(
    private readonly views: CaseViews,
    private readonly sealing: CaseSealing,
    private readonly accessLog: AccessLog,
    private readonly clock: Clock,
    @Inject(SERVICE_DIRECTORY) private readonly directory: ServiceDirectory,
  ) {}

  /**
   * The agencies offering a service (in an area) that the person is eligible for, with whether each
   * can take the referral now and whether live consent already covers sharing the given categories
   * with it, or which are missing. Best first. Beside them, those the person is known not to be
   * eligible for, with why, and the organizations outside the network offering it that the person is
   * eligible for, with how to reach them.
   */
  async suggest(caseId: string, principal: Principal, query: ReferralSuggestionsDto) {
    const row = await this.views.find(principal.agencyId, caseId);
    if (row?.relation !== 'owner') throw new NotFoundException('case not found');
    const record = row.view as CaseRecord;
    const now = this.clock.now();
    const facts = await this.personFacts(principal, record, now);
    const categories: DataCategory[] = query.categories ?? ['identity'];
    const subject = consentSubjectOfView(record);
    const offers = (await this.directory.offers({ serviceType: query.serviceType, ...(query.area ? { area: query.area } : {}) })).filter(
      (o) => o.agencyId !== record.owningAgencyId,
    );
    // A service the person is known not to be eligible for (a women-only shelter for a man) is not
    // suggested; it is named apart with why, so a caseworker who knows better can still refer.
    const assessed = offers.map((offer) => ({ offer, gaps: eligibilityGapsOf(offer, facts) }));
    const notEligible = assessed
      .filter(({ gaps }) => gaps.length > 0)
      .map(({ offer, gaps }) => ({
        agencyId: offer.agencyId,
        agencyName: offer.agencyName,
        serviceId: offer.serviceId,
        serviceName: offer.serviceName,
        eligibilityGaps: gaps.map(eligibilityGapInWords),
        eligibilityGapCodes: gaps,
      }));
    const suggestions = assessed
      .flatMap(({ offer, gaps }) => (gaps.length > 0 ? [] : [offer]))
      .map((offer) => {
        const target = referralTarget([offer], query.serviceType, query.area ? { area: query.area } : {});
        const decisions = categories.map((category) => ({
          category,
          decision: permits(subject, {
            recipient: { agencyId: offer.agencyId, agencyKind: offer.agencyKind },
            purpose: 'service_provision',
            serviceType: query.serviceType,
            category,
            at: now,
          }),
        }));
        const missing = decisions.filter((d) => !d.decision.permitted);
        const needed =
          missing.length > 0
            ? consentNeeded(
                { agencyId: offer.agencyId, agencyKind: offer.agencyKind },
                'service_provision',
                query.serviceType,
                missing,
                facts.treatedAsChild,
              )
            : undefined;
        return {
          agencyId: offer.agencyId,
          agencyName: offer.agencyName,
          agencyKind: offer.agencyKind,
          serviceId: offer.serviceId,
          serviceName: offer.serviceName,
          areas: offer.areas,
          status: offer.status,
          ...(offer.capacity ? { capacity: offer.capacity } : {}),
          available: !isUnavailable(target),
          ...(isUnavailable(target) ? unavailability(target) : {}),
          consent: {
            covered: decisions.filter((d) => d.decision.permitted).map((d) => d.category),
            missing: missing.map((d) => d.category),
            ...(needed ? { needed: consentNeededInWords(needed, offer.agencyName), neededBasis: needed } : {}),
          },
        };
      });
    // Organizations outside the network, to be called: only where the person is eligible, since nothing more is checked with them.
    const outsideNetwork = (
      await this.directory.listedOffers({ serviceType: query.serviceType, ...(query.area ? { area: query.area } : {}) })
    )
      .filter((offer) => eligibilityGaps(offer, facts).length === 0)
      .map((offer) => ({
        organizationId: offer.organizationId,
        organizationName: offer.organizationName,
        serviceId: offer.serviceId,
        serviceName: offer.serviceName,
        areas: offer.areas,
        status: offer.status,
        outsideNetwork: true,
        howToRefer: offer.howToRefer,
        contact: offer.contact,
      }));
    const rank = (s: (typeof suggestions)[number]) => Number(!s.available) * 2 + Number(s.consent.missing.length > 0);
    return {
      serviceType: query.serviceType,
      ...(query.area ? { area: query.area } : {}),
      suggestions: suggestions.sort((a, b) => rank(a) - rank(b) || a.agencyName.localeCompare(b.agencyName)),
      notEligible,
      outsideNetwork,
    };
  }

  /** What eligibility rules read of the person: opening the demographics is logged like any other read. */
  private async personFacts(principal: Principal, record: CaseRecord, now: string) {
    const demographics = record.personalData.demographics;
    let person: { sex?: string; ageBand?: string; languages?: string[] } = {};
    if (demographics) {
      await this.accessLog.record(principal, record.caseId, ['demographics'], { owner: true }, now);
      person = (await this.sealing.unseal(record.caseId, 'demographics', demographics)) ?? {};
    }
    const age = ageRangeOf(person.ageBand);
    return {
      treatedAsChild: treatedAsChild(record.ageGroup),
      ...(person.sex ? { sex: person.sex } : {}),
      ...(age ? { age } : {}),
      ...(person.languages ? { languages: person.languages } : {}),
    };
  }
}

/** Why an agency cannot take the referral now: the sentence partners read, and the same in codes for screens. */
const unavailability = ({ reason, ...facts }: Unavailable) => ({ unavailableReason: reason, unavailable: facts });
