// The HSDS import of one service record: its type, eligibility, capacity, areas and languages read against the network's rules.
import type { AgencyKind, ServiceType } from '../../libs/consent-policy/index.js';
import { judicialServiceRefusal, mayOffer } from '../../libs/domain/index.js';
import { ELIGIBLE_SEXES, type EligibleSex, LANGUAGE_CODE, LIMITS, type ServiceRecord } from './directory.model.js';
import type { Report, fieldChecks, termChecks } from './hsds-checks.js';
import { beyondExport, exported } from './hsds-export.js';
import { extraOf, withExtra } from './hsds-extra.js';
import type { ForeignAttributes, Ignore } from './hsds-import-foreign.js';
import { readOpenEligibility } from './hsds-open-eligibility.js';
import type { CollectionRecord } from './hsds-records.js';

/** What reading a record needs from the import around it: where to report, and the checks over the whole file. */
export interface ImportChecks {
  readonly report: Report;
  readonly ignore: Ignore;
  readonly terms: ReturnType<typeof termChecks>;
  readonly fields: ReturnType<typeof fieldChecks>;
  readonly foreignAttributes: ForeignAttributes;
}

/** A service of `agencyId` (of `kind`, where known) as the directory keeps it; each problem reported through the checks. */
export function readService(
  where: string,
  s: CollectionRecord<'services'>,
  agencyId: string,
  kind: AgencyKind | undefined,
  { report, ignore, terms: { termsOn, exactlyOne, distinct }, fields: { checkText, checkCount }, foreignAttributes }: ImportChecks,
): ServiceRecord {
  const id = s.id.toLowerCase();
  const found = termsOn(where, id, 'service', s.attributes);
  distinct(where, id, found, (t) => `${t.id}:${t.value ?? ''}`);
  const { kept, terms } = foreignAttributes(s.attributes);
  const open = readOpenEligibility(terms);
  for (const caveat of open.caveats) ignore(where, id, '/attributes', caveat);
  const types = found.filter((t) => t.taxonomy === 'serviceType');
  const type = types.length === 0 ? undefined : exactlyOne(where, id, found, 'serviceType', 'the kind of service');
  const serviceType = (type?.code as ServiceType | undefined) ?? (open.types.length === 1 ? open.types[0] : undefined);
  if (!serviceType)
    ignore(
      where,
      id,
      '/attributes',
      "names none of the network's service types (or several Open Eligibility ones): listed, never suggested",
    );
  if (serviceType && kind && !mayOffer(kind, serviceType))
    report(where, id, type?.at ?? '/attributes', judicialServiceRefusal(kind, serviceType));
  const childrenTerms = found.filter((t) => t.code === 'children_accepted');
  const children =
    childrenTerms.length === 0 ? undefined : exactlyOne(where, id, found, 'eligibility', 'true or false', 'children_accepted');
  if (children && children.value !== 'true' && children.value !== 'false')
    report(where, id, `${children.at}/value`, 'must be true or false');
  const sexes = found.filter((t) => t.code === 'sex_accepted');
  for (const sex of sexes)
    if (!ELIGIBLE_SEXES.includes(sex.value as EligibleSex))
      report(where, id, `${sex.at}/value`, `must be one of: ${ELIGIBLE_SEXES.join(', ')}`);
  const confidentialTerm = found.find((t) => t.code === 'confidential_location');
  if (confidentialTerm && confidentialTerm.value !== 'true' && confidentialTerm.value !== 'false')
    report(where, id, `${confidentialTerm.at}/value`, 'must be true or false');
  const places = found.filter((t) => t.taxonomy === 'capacity');
  const total = places.find((t) => t.code === 'capacity_total');
  const available = places.find((t) => t.code === 'capacity_available');
  for (const count of places) {
    if (!/^\d{1,6}$/.test(count.value ?? '') || Number(count.value) > LIMITS.capacity)
      report(where, id, `${count.at}/value`, `must be a whole number from 0 to ${LIMITS.capacity}`);
  }
  if (places.length > 0 && (!total || !available))
    report(where, id, '/attributes', 'capacity needs both capacity_total and capacity_available');
  if (total && available && Number(available.value) > Number(total.value))
    report(where, id, `${available.at}/value`, 'capacity_available exceeds capacity_total');
  for (const [field, age] of [
    ['/minimum_age', s.minimum_age],
    ['/maximum_age', s.maximum_age],
  ] as const) {
    if (age !== undefined && (!Number.isInteger(age) || age < 0 || age > LIMITS.age))
      report(where, id, field, `must be a whole number from 0 to ${LIMITS.age}`);
  }
  if (s.minimum_age !== undefined && s.maximum_age !== undefined && s.minimum_age > s.maximum_age)
    report(where, id, '/maximum_age', 'is below minimum_age');
  checkText(where, id, '/name', s.name, LIMITS.name, 1);
  checkText(where, id, '/description', s.description, LIMITS.description);
  // Areas and languages this directory cannot match on stay in the record as published, unused for matching.
  const areaNames = (s.service_areas ?? []).flatMap((area, index) => {
    const usable = area.name !== undefined && area.name.length >= 1 && area.name.length <= LIMITS.area;
    if (!usable) ignore(where, id, `/service_areas/${index}/name`, `not matched on: an area name is 1 to ${LIMITS.area} characters long`);
    return usable ? [area.name!] : [];
  });
  checkCount(where, id, '/service_areas', areaNames, LIMITS.areas);
  const codes = (s.languages ?? []).flatMap((language, index) => {
    const usable = LANGUAGE_CODE.test(language.code ?? '');
    if (!usable) ignore(where, id, `/languages/${index}/code`, 'not matched on: not an ISO 639 code such as ha or kau');
    return usable ? [language.code!] : [];
  });
  checkCount(where, id, '/languages', codes, LIMITS.languages);
  if (new Set(codes).size !== codes.length) report(where, id, '/languages', 'repeats a language');
  if (new Set(areaNames).size !== areaNames.length) report(where, id, '/service_areas', 'repeats an area');
  const minimumAge = s.minimum_age ?? open.minimumAge;
  const maximumAge = s.maximum_age ?? open.maximumAge;
  const childrenAccepted = children
    ? children.value === 'true'
    : (open.childrenAccepted ?? (minimumAge !== undefined ? minimumAge < 18 : undefined));
  if (childrenAccepted === undefined)
    ignore(where, id, '/attributes', 'says nowhere whether children are accepted (no age, no Open Eligibility age group): taken as not');
  const service: ServiceRecord = {
    id,
    agencyId,
    name: s.name,
    ...(serviceType ? { serviceType } : {}),
    description: s.description ?? '',
    status: s.status,
    areas: areaNames,
    eligibility: {
      sexes: sexes.length > 0 ? sexes.map((t) => t.value as EligibleSex) : open.sexes,
      ...(minimumAge === undefined ? {} : { minimumAge }),
      ...(maximumAge === undefined ? {} : { maximumAge }),
      childrenAccepted: childrenAccepted ?? false,
      languages: codes,
    },
    ...(total && available ? { capacity: { total: Number(total.value), available: Number(available.value) } } : {}),
    ...(confidentialTerm ? { confidential: confidentialTerm.value === 'true' } : {}),
  };
  const hsds = {
    ...extraOf(s, ['id', 'organization_id', 'name', 'description', 'status', 'minimum_age', 'maximum_age', 'attributes']),
    ...(kept.length > 0 ? { attributes: kept } : {}),
  };
  return withExtra(service, beyondExport(hsds, exported.service(service)));
}
