import type { AgencyKind, ServiceType } from '../../libs/consent-policy/index.js';
import type { OfferFacts } from '../../libs/domain/index.js';
import type { ServiceEligibility, ServiceStatus, Subcommittee } from './directory.model.js';

/** Injection token of the ServiceDirectory port; DirectoryModule is global and provides it. */
export const SERVICE_DIRECTORY = Symbol('ServiceDirectory');

/** What referring needs of a service (OfferFacts, in the directory's own vocabulary) and who offers it. */
export interface ServiceOffer extends OfferFacts {
  readonly serviceName: string;
  readonly serviceType: ServiceType;
  readonly agencyId: string;
  readonly agencyName: string;
  readonly agencyKind: AgencyKind;
  /** The task-force subcommittees the agency sits on (prevention, protection, prosecution). */
  readonly agencySubcommittees: readonly Subcommittee[];
  readonly status: ServiceStatus;
  /** The areas the service serves (its own; a service naming none serves no area query). */
  readonly areas: readonly string[];
  readonly eligibility: ServiceEligibility;
}

/** A service of an organization outside the network: to be contacted by phone or e-mail, never referred to through the service. */
export interface ListedOffer extends OfferFacts {
  readonly serviceName: string;
  readonly serviceType?: ServiceType;
  readonly organizationId: string;
  readonly organizationName: string;
  readonly outsideNetwork: true;
  /** OUTSIDE_NETWORK, in words. */
  readonly howToRefer: string;
  readonly contact: { readonly phones: readonly string[]; readonly emails: readonly string[]; readonly websites: readonly string[] };
  readonly status: ServiceStatus;
  readonly eligibility: ServiceEligibility;
}

export interface ServiceDirectory {
  /** Services of a type (any status, any agency active or not), optionally of one agency and/or serving one area (case-insensitive). */
  offers(query: { serviceType: ServiceType; agencyId?: string; area?: string }): Promise<ServiceOffer[]>;
  /** Services of a type (serving an area) of organizations listed in the directory but outside the network. */
  listedOffers(query: { serviceType?: ServiceType; area?: string }): Promise<ListedOffer[]>;
  /** The listed organization of this id, if any: a referral to it is refused with how to reach it instead. */
  listedOrganization(id: string): Promise<{ readonly id: string; readonly name: string } | undefined>;
}
