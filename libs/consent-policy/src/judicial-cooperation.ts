import { type AgencyKind, type JudicialAgencyKind, type Purpose, type ServiceType, isJudicialAgency } from './vocabulary.js';

/** A recipient as a disclosure names it (id and kind) or as a grant does (id or kind). */
type Addressee = { readonly agencyId: string } | { readonly agencyKind: AgencyKind };

/**
 * Data reaching the justice chain: a report to law enforcement, or anything at all to a
 * law-enforcement or prosecution agency, whatever purpose it is asked for under. A recipient known
 * by id only (a consent provision naming an agency) counts by the purpose alone.
 */
export const isJudicialCooperation = (purpose: Purpose, recipient: Addressee): boolean =>
  purpose === 'law_enforcement_report' || ('agencyKind' in recipient && isJudicialAgency(recipient.agencyKind));

/** Red Cross and Red Crescent members keep out of judicial cooperation, as senders and as recipients (their neutrality). */
export const staysOutOfJudicialCooperation = (kind: AgencyKind): boolean => kind === 'red_cross_red_crescent';
export const OUT_OF_JUDICIAL_COOPERATION = 'Red Cross and Red Crescent members do not take part in judicial cooperation';

/**
 * What can permit another agency to receive a case's data for a purpose. `refusal`: nothing can.
 * `consent`: whose consent counts (a child's guardian with the child's assent, never for judicial
 * cooperation); `bestInterests`: an approved determination stands in for consent (children only);
 * `namedAgency`: the grant must name the agency, a kind of agency ("any police") never implies it.
 */
export interface BasisNeeded {
  readonly refusal?: string;
  readonly consent: 'any' | 'guardian_with_child_assent' | 'none';
  readonly bestInterests: boolean;
  readonly namedAgency: boolean;
}

export function basisNeeded(purpose: Purpose, recipient: Addressee, treatedAsChild: boolean): BasisNeeded {
  const judicial = isJudicialCooperation(purpose, recipient);
  if (judicial && 'agencyKind' in recipient && staysOutOfJudicialCooperation(recipient.agencyKind)) {
    return { refusal: OUT_OF_JUDICIAL_COOPERATION, consent: 'none', bestInterests: false, namedAgency: true };
  }
  if (!treatedAsChild) return { consent: 'any', bestInterests: false, namedAgency: judicial };
  return { consent: judicial ? 'none' : 'guardian_with_child_assent', bestInterests: true, namedAgency: judicial };
}

/**
 * The basis to obtain, in words that continue "… to share <categories> with <agency>" (the child's
 * wordings end in a comma, closing their inner clause); undefined when nothing can permit it.
 */
export function basisNeededInWords(needed: BasisNeeded): string | undefined {
  if (needed.refusal !== undefined) return undefined;
  switch (needed.consent) {
    case 'any':
      return needed.namedAgency ? "the person's explicit consent naming the agency" : "the person's consent";
    case 'guardian_with_child_assent':
      return "a guardian's consent with the child's assent, or an approved best-interests determination,";
    case 'none':
      return `an approved best-interests determination${needed.namedAgency ? ' naming the agency' : ''},`;
  }
}

/**
 * What law-enforcement and prosecution agencies may offer through the network. Data reaching them
 * is judicial cooperation whatever the service, and assistance never depends on it: the police
 * protect a person's safety, and that is all they are referred for.
 */
const JUDICIAL_SERVICES: Readonly<Record<JudicialAgencyKind, readonly ServiceType[]>> = {
  law_enforcement: ['personal_safety'],
  prosecution: [],
};
export const mayOffer = (kind: AgencyKind, serviceType: ServiceType): boolean =>
  !isJudicialAgency(kind) || JUDICIAL_SERVICES[kind].includes(serviceType);
export const judicialServiceRefusal = (kind: AgencyKind, serviceType: ServiceType): string =>
  `a ${kind.replaceAll('_', ' ')} agency does not offer ${serviceType.replaceAll('_', ' ')} through the network: ` +
  'data reaching it is judicial cooperation';
