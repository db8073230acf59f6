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

export interface ServiceDirectory {
  /** Services of a type (any status, any agency active or not), optionally of one agency and/or serving one area (case-insensitive). */
  offers(query: { serviceType: ServiceType; agencyId?: string; area?: string }): Promise<ServiceOffer[]>;
}
