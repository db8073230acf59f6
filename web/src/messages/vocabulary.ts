import { type Catalogue, catalogue } from '../i18n';
import { caseCodes } from './case-codes';

/**
 * The API's codes in words for the oversight screens (services, decline reasons, agency kinds,
 * roles). An unknown code reads with spaces for underscores rather than failing: a new code on the
 * server never blanks a screen.
 */
type Table = Record<string, string>;

export const SERVICE_TYPES: Catalogue<Table> = catalogue(caseCodes.en.serviceType, caseCodes.fr.serviceType);

export const DECLINE_REASONS: Catalogue<Table> = catalogue(
  {
    no_capacity: 'No place or capacity',
    not_eligible: 'Not eligible',
    service_not_offered: 'Service not offered',
    person_unreachable: 'Person unreachable',
    person_declined: 'The person did not want it',
    safety_concern: 'Safety concern',
    other: 'Another reason',
  },
  {
    no_capacity: 'Pas de place ni de capacité',
    not_eligible: 'Non éligible',
    service_not_offered: 'Service non proposé',
    person_unreachable: 'Personne injoignable',
    person_declined: 'La personne n’en voulait pas',
    safety_concern: 'Problème de sécurité',
    other: 'Autre raison',
  },
);

export const AGENCY_KINDS: Catalogue<Table> = catalogue(
  {
    government_social_service: 'Government social service',
    law_enforcement: 'Law enforcement',
    prosecution: 'Prosecution',
    national_ngo: 'National NGO',
    international_ngo: 'International NGO',
    un_agency: 'UN agency',
    red_cross_red_crescent: 'Red Cross / Red Crescent',
    health: 'Health',
    legal_aid: 'Legal aid',
    shelter: 'Shelter',
  },
  {
    government_social_service: 'Service social public',
    law_enforcement: 'Forces de l’ordre',
    prosecution: 'Parquet',
    national_ngo: 'ONG nationale',
    international_ngo: 'ONG internationale',
    un_agency: 'Agence des Nations unies',
    red_cross_red_crescent: 'Croix-Rouge / Croissant-Rouge',
    health: 'Santé',
    legal_aid: 'Aide juridique',
    shelter: 'Hébergement',
  },
);

export const ROLES: Catalogue<Table> = catalogue(
  {
    frontline_worker: 'Frontline worker',
    caseworker: 'Caseworker',
    supervisor: 'Supervisor',
    agency_admin: 'Agency administrator',
    network_coordinator: 'Network coordinator',
    auditor: 'Auditor',
    partner_system: 'Partner system',
  },
  {
    frontline_worker: 'Agent de première ligne',
    caseworker: 'Travailleur social',
    supervisor: 'Superviseur',
    agency_admin: 'Administrateur de l’agence',
    network_coordinator: 'Coordinateur du réseau',
    auditor: 'Auditeur',
    partner_system: 'Système partenaire',
  },
);

/** A code in words from `table` of the active language; `null` (no service type, no area) reads as `none`. */
export const inWords = (table: Table, code: string | null | undefined, none = ''): string =>
  code === null || code === undefined ? none : (table[code] ?? code.replace(/_/g, ' '));
