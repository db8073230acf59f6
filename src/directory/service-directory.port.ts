import type { AgencyKind, ServiceType } from '../../libs/consent-policy/index.js';
import type { Subcommittee } from './directory.model.js';

/** Injection token of the ServiceDirectory port; DirectoryModule is global and provides it. */
export const SERVICE_DIRECTORY = Symbol('ServiceDirectory');

/** Open Referral HSDS 3.0 service status. */
export const SERVICE_STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/** The sexes a service may restrict itself to; none listed means any. */
export const ELIGIBLE_SEXES = ['female', 'male'] as const;
export type EligibleSex = (typeof ELIGIBLE_SEXES)[number];

export interface ServiceOffer {
  readonly serviceId: string;
  readonly serviceName: string;
  readonly serviceType: ServiceType;
  readonly agencyId: string;
  readonly agencyName: string;
  readonly agencyKind: AgencyKind;
  readonly agencyActive: boolean;
  /** The task-force subcommittees the agency sits on (prevention, protection, prosecution). */
  readonly agencySubcommittees: readonly Subcommittee[];
  readonly status: ServiceStatus;
  /** The areas the service serves: its own, or its agency's when it names none. */
  readonly areas: readonly string[];
  readonly eligibility: {
    readonly sexes: readonly EligibleSex[];
    readonly minimumAge?: number;
    readonly maximumAge?: number;
    readonly childrenAccepted: boolean;
    /** ISO 639 codes. */
    readonly languages: readonly string[];
  };
  /** Where capacity matters (e.g. shelter beds); absent otherwise. */
  readonly capacity?: { readonly total: number; readonly available: number };
}

export interface ServiceDirectory {
  /** Services of a type (any status, any agency active or not), optionally of one agency and/or serving one area (case-insensitive). */
  offers(query: { serviceType: ServiceType; agencyId?: string; area?: string }): Promise<ServiceOffer[]>;
}
