import type { AgencyKind, DataCategory, Purpose, ServiceType } from './vocabulary.js';

/**
 * Risks the owning agency records from its safety assessment (seed 002, safety risks and responses).
 * A raised flag only ever narrows what other agencies may receive; the owner's own view is untouched.
 */
export const SAFETY_FLAGS = [
  'location_must_not_be_shared',
  'family_involved_in_trafficking',
  'no_phone_contact',
  'authorities_involved_in_trafficking',
] as const;
export type SafetyFlag = (typeof SAFETY_FLAGS)[number];

/** What a raised flag withholds from every agency but the owner, whatever a consent or a determination says. */
export interface SafetyFlagEffect {
  readonly categories?: readonly DataCategory[];
  readonly purposes?: readonly Purpose[];
  readonly serviceTypes?: readonly ServiceType[];
  readonly agencyKinds?: readonly AgencyKind[];
  /** For a child, a guardian's consent stops counting: only a best-interests determination can permit. */
  readonly voidsGuardianConsent?: true;
}

export const SAFETY_FLAG_EFFECTS: Readonly<Record<SafetyFlag, SafetyFlagEffect>> = {
  // Where the person stays, and the contact details that lead there, could reach those who seek them.
  location_must_not_be_shared: { categories: ['location', 'contact'] },
  // Family data and tracing lead back to the family; a guardian from that family cannot speak for the child.
  family_involved_in_trafficking: {
    categories: ['family'],
    purposes: ['family_tracing'],
    serviceTypes: ['family_tracing_and_reunification'],
    voidsGuardianConsent: true,
  },
  // The phone is taken or monitored (seed 002 indicators): nobody else calls, so the number stays with the owner.
  no_phone_contact: { categories: ['contact'], purposes: ['phone_case_management'] },
  // Police or officials are complicit (seed 002): nothing goes to law enforcement or prosecution, under any purpose.
  authorities_involved_in_trafficking: { purposes: ['law_enforcement_report'], agencyKinds: ['law_enforcement', 'prosecution'] },
};
