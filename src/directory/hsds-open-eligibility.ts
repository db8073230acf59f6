// Open Eligibility, the taxonomy of human services and human situations other HSDS publishers use:
// the network's service types in its words for the export, and eligibility read from its terms on import.
import type { ServiceType } from '../../libs/consent-policy/index.js';
import type { EligibleSex } from './directory.model.js';
import { nameBasedId } from './hsds-taxonomies.js';

/** As the export publishes it (HSDS taxonomy `uri` and `version`); terms' `term_uri` are this uri and the term's code. */
export const OPEN_ELIGIBILITY = {
  name: 'Open Eligibility',
  description: 'The Open Eligibility taxonomy of human services and human situations (Open Eligibility Project, CC BY-SA 3.0)',
  uri: 'https://openeligibility.org/taxonomy',
  version: '1.0.0',
} as const;

/** Each service type of the network as the Open Eligibility human service it is. */
export const SERVICE_TYPE_TERMS: Readonly<Record<ServiceType, string>> = {
  in_depth_interview: 'Case Management',
  material_assistance: 'Goods',
  shelter: 'Temporary Shelter',
  wash: 'Personal Hygiene',
  food_and_nutrition: 'Food',
  personal_safety: 'Immediate Safety',
  medical: 'Medical Care',
  mhpss: 'Counseling',
  education_and_training: 'Education',
  livelihoods: 'Skills & Training',
  family_tracing_and_reunification: 'Help Find Missing Persons',
  legal_assistance: 'Advocacy & Legal Aid',
  interpretation: 'Translation & Interpretation',
};

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-');
export const openEligibilityTaxonomyId = nameBasedId('taxonomy', OPEN_ELIGIBILITY.name);
export const openEligibilityTermId = (type: ServiceType) => nameBasedId('taxonomy_term', OPEN_ELIGIBILITY.name, SERVICE_TYPE_TERMS[type]);
export const openEligibilityTerm = (type: ServiceType) => ({
  id: openEligibilityTermId(type),
  code: slug(SERVICE_TYPE_TERMS[type]),
  name: SERVICE_TYPE_TERMS[type],
  description: `${SERVICE_TYPE_TERMS[type]} (the network's service type ${type})`,
  taxonomy: OPEN_ELIGIBILITY.name,
  taxonomy_id: openEligibilityTaxonomyId,
  term_uri: `${OPEN_ELIGIBILITY.uri}#${slug(SERVICE_TYPE_TERMS[type])}`,
});
/** The terms the export writes itself: an import leaves them out of what it keeps, since the export writes them again. */
export const EXPORTED_TERM_IDS = new Set(Object.keys(SERVICE_TYPE_TERMS).map((t) => openEligibilityTermId(t as ServiceType)));

const TYPE_BY_WORD = new Map(Object.entries(SERVICE_TYPE_TERMS).map(([type, name]) => [slug(name), type as ServiceType]));

/** Human situations of sex and age, by their Open Eligibility names (lower case, any separator). */
const ADULT_SEXES: Readonly<Record<string, EligibleSex>> = { women: 'female', men: 'male' };
const CHILD_SEXES: Readonly<Record<string, EligibleSex>> = { girls: 'female', boys: 'male' };
const AGES: Readonly<Record<string, readonly [number, number | undefined]>> = {
  women: [18, undefined],
  men: [18, undefined],
  infants: [0, 2],
  toddlers: [1, 3],
  preschoolers: [3, 5],
  children: [0, 17],
  'school-age-children': [5, 17],
  girls: [0, 17],
  boys: [0, 17],
  teens: [13, 17],
  youth: [12, 24],
  'young-adults': [18, 24],
  adults: [18, undefined],
  seniors: [65, undefined],
  'older-adults': [65, undefined],
  'all-ages': [0, undefined],
};

/** A term of another publisher, with the taxonomy it names (by name or uri). */
export interface ForeignTerm {
  readonly code?: string;
  readonly name?: string;
  readonly taxonomyName?: string;
  readonly taxonomyUri?: string;
}

const isOpenEligibility = (t: ForeignTerm) =>
  /open[\s_-]*eligibility/i.test(t.taxonomyName ?? '') || /openeligibility/i.test(t.taxonomyUri ?? '');
const wordsOf = (t: ForeignTerm) => [t.name, t.code].filter((w): w is string => typeof w === 'string').map(slug);

/**
 * What Open Eligibility terms say of a service: its type, the sexes and ages it accepts, whether
 * children, and what the network's eligibility cannot say (`caveats`, for the import's answer).
 * Each term names people the service takes; the network keeps one sex restriction and one age
 * range, so a mix it cannot hold is read narrowly, never widely: "women" with "boys" (mothers with
 * sons) is female only, and says so, since reading it as any sex would offer a women's shelter to men.
 */
export function readOpenEligibility(terms: readonly ForeignTerm[]) {
  const words = terms.filter(isOpenEligibility).flatMap(wordsOf);
  const types = [...new Set(words.flatMap((w) => (TYPE_BY_WORD.has(w) ? [TYPE_BY_WORD.get(w)!] : [])))];
  const named = (table: Readonly<Record<string, EligibleSex>>) => [...new Set(words.flatMap((w) => (table[w] ? [table[w]] : [])))];
  const [adults, children] = [named(ADULT_SEXES), named(CHILD_SEXES)];
  const sexes = adults.length > 0 ? adults : children;
  const caveats =
    adults.length === 1 && children.some((sex) => sex !== adults[0])
      ? [
          `Open Eligibility names ${adults[0]} adults and ${children.join(' and ')} children; this network holds one sex for a service: taken as ${adults[0]} only, refer other children case by case`,
        ]
      : [];
  const ages = words.flatMap((w) => (AGES[w] ? [AGES[w]] : []));
  const maxima = ages.map(([, max]) => max);
  return {
    types,
    // Both sexes named is no restriction.
    sexes: sexes.length === 1 ? sexes : [],
    ...(ages.length > 0 ? { minimumAge: Math.min(...ages.map(([min]) => min)) } : {}),
    ...(ages.length > 0 && maxima.every((m) => m !== undefined) ? { maximumAge: Math.max(...maxima) } : {}),
    ...(ages.length > 0 ? { childrenAccepted: ages.some(([min]) => min < 18) } : {}),
    caveats,
  };
}
