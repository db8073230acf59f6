import { type BasisNeeded, basisNeeded, basisNeededInWords } from './judicial-cooperation.js';
import type { PolicyDecision } from './permits.js';
import type { AgencyKind, DataCategory, Purpose, ServiceType } from './vocabulary.js';

/**
 * What to obtain so that sharing the missing categories with a recipient is permitted, in codes
 * (for screens to word in their own language); `consentNeededInWords` says the same in English.
 * `consent`, `bestInterests` and `namedAgency` are the basis needed (see BasisNeeded: a child needs a
 * guardian's consent with the child's assent); `refused` when nothing can permit it; categories a
 * safety flag withholds are apart, since no consent releases them.
 */
export interface ConsentNeeded extends Omit<BasisNeeded, 'refusal'> {
  readonly recipient: { readonly agencyId: string; readonly agencyKind: AgencyKind };
  readonly purpose: Purpose;
  readonly serviceType?: ServiceType;
  readonly categories: readonly DataCategory[];
  readonly refused: boolean;
  readonly withheldBySafetyFlag: readonly DataCategory[];
}

export function consentNeeded(
  recipient: ConsentNeeded['recipient'],
  purpose: Purpose,
  serviceType: ServiceType | undefined,
  missing: ReadonlyArray<{ readonly category: DataCategory; readonly decision: PolicyDecision }>,
  treatedAsChild: boolean,
): ConsentNeeded {
  const flagged = (d: PolicyDecision) => !d.permitted && d.rule === 'safety_flag';
  const { refusal, ...basis } = basisNeeded(purpose, { agencyKind: recipient.agencyKind }, treatedAsChild);
  return {
    recipient,
    purpose,
    ...(serviceType ? { serviceType } : {}),
    categories: missing.filter((m) => !flagged(m.decision)).map((m) => m.category),
    ...basis,
    refused: refusal !== undefined,
    withheldBySafetyFlag: missing.filter((m) => flagged(m.decision)).map((m) => m.category),
  };
}

/** What to ask the person for, in the words of a consent provision (partners read it). */
export function consentNeededInWords(needed: ConsentNeeded, agencyName: string): string {
  const basis = needed.refused ? undefined : basisNeededInWords(needed);
  const service = needed.serviceType ? ` (${needed.serviceType})` : '';
  return [
    ...(needed.categories.length > 0 && basis
      ? [`${basis} to share ${needed.categories.join(', ')} with ${agencyName} for ${needed.purpose}${service}`]
      : []),
    ...(needed.withheldBySafetyFlag.length > 0 ? [`${needed.withheldBySafetyFlag.join(', ')} withheld by a safety flag on the case`] : []),
  ].join('; ');
}
