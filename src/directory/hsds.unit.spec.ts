import { describe, expect, it } from '@jest/globals';
import type { AgencyRecord, DirectoryContent, ServiceRecord } from './directory.model.js';
import { type HsdsDirectory, type ImportOutcome, fromHsds, nameBasedId, termId, toHsds } from './hsds.js';

/**
 * The network's HSDS profile on its own (the schemas are the e2e test's): what an import refuses
 * beyond the schemas, and that an export reads back as the same directory.
 */

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const shelter: AgencyRecord = {
  id: id(1),
  name: 'Shelter one',
  kind: 'shelter',
  active: true,
  description: 'Beds',
  subcommittees: ['protection'],
  areasServed: ['Maiduguri'],
};
const clinic: AgencyRecord = {
  id: id(2),
  name: 'Clinic two',
  kind: 'health',
  active: true,
  description: 'Care',
  subcommittees: [],
  areasServed: [],
};
const beds: ServiceRecord = {
  id: id(10),
  agencyId: shelter.id,
  name: 'Beds',
  serviceType: 'shelter',
  description: '',
  status: 'active',
  areas: ['Maiduguri'],
  eligibility: { sexes: ['female'], minimumAge: 12, childrenAccepted: true, languages: ['ha'] },
  capacity: { total: 12, available: 3 },
};
const DIRECTORY: DirectoryContent = {
  // In the export's order: by name.
  agencies: [clinic, shelter],
  listedOrganizations: [],
  services: [beds],
  locations: [
    { id: id(21), agencyId: clinic.id, name: 'Clinic', locality: 'Jere', region: 'Borno', country: 'NG' },
    { id: id(20), agencyId: shelter.id, name: 'Site', locality: 'Maiduguri', region: 'Borno', country: 'NG' },
  ],
  serviceLocations: [{ id: id(30), serviceId: beds.id, locationId: id(20) }],
};
const noSchemaViolations = () => [];
const read = (file: Partial<HsdsDirectory>, current: DirectoryContent = DIRECTORY): ImportOutcome =>
  fromHsds(file, current, noSchemaViolations);
const invalidOf = (outcome: ImportOutcome) =>
  'invalid' in outcome ? outcome.invalid.map((i) => `${i.record} ${i.field}: ${i.message}`) : [];

describe('HSDS profile of the network', () => {
  it('reads an export back as the same export, with the same ids, ignoring nothing', () => {
    const outcome = read(toHsds(DIRECTORY));
    expect(outcome).toHaveProperty('ignored', []);
    expect(toHsds((outcome as { content: DirectoryContent }).content)).toEqual(toHsds(DIRECTORY));
    expect(toHsds(DIRECTORY).taxonomy_terms.find((t) => t.code === 'shelter' && t.taxonomy === 'referrals-service-type')?.id).toBe(
      termId('serviceType', 'shelter'),
    );
    expect(nameBasedId('a', 'b')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('leaves a deactivated agency and its services out of the export', () => {
    const hsds = toHsds({ ...DIRECTORY, agencies: [shelter, { ...clinic, active: false }] });
    expect(hsds.organizations.map((o) => o.id)).toEqual([shelter.id]);
    expect(hsds.locations.map((l) => l.id)).toEqual([id(20)]);
  });

  it("refuses an agency's kind changed, a deactivated agency, a taken name and a repeated id", () => {
    const hsds = toHsds(DIRECTORY);
    const [clinicOrg, shelterOrg] = hsds.organizations; // by name
    const kind = clinicOrg!.attributes!.findIndex((a) => a.taxonomy_term_id === termId('agencyKind', 'health'));
    clinicOrg!.attributes![kind]!.taxonomy_term_id = termId('agencyKind', 'shelter');
    const kindOfShelter = shelterOrg!.attributes!.find((a) => a.taxonomy_term_id === termId('agencyKind', 'shelter'))!;
    const renamed = {
      ...shelterOrg!,
      id: id(3),
      name: clinic.name,
      attributes: [
        { ...kindOfShelter, link_id: id(3) },
        { ...kindOfShelter, id: id(4), link_id: id(3) },
      ],
    };
    const outcome = read({ organizations: [clinicOrg!, shelterOrg!, renamed, shelterOrg!] });
    expect(invalidOf(outcome)).toEqual(
      expect.arrayContaining([
        "organizations[0] /attributes: an agency's kind is not changed by an import",
        'organizations[2] /name: another member agency has this name',
        'organizations[2] /attributes/1: repeats another attribute',
        "organizations[2] /attributes: needs exactly one referrals-agency-kind term (the agency's kind)",
        'organizations[3] /id: another record of this collection has this id',
      ]),
    );
    expect(invalidOf(read({ organizations: [shelterOrg!] }, { ...DIRECTORY, agencies: [{ ...shelter, active: false }, clinic] }))).toEqual([
      'organizations[0] /id: this member agency was deactivated',
    ]);
  });

  it('refuses attributes linked elsewhere, of a term for another kind of record, or half a capacity', () => {
    const [service] = toHsds(DIRECTORY).services;
    const attributes = service!.attributes!.filter((a) => a.taxonomy_term_id !== termId('capacity', 'capacity_available'));
    const outcome = read({
      services: [
        {
          ...service!,
          minimum_age: 30,
          maximum_age: 20,
          attributes: [
            ...attributes.map((a, i) => (i === 0 ? { ...a, link_id: id(99) } : a)),
            { id: id(98), taxonomy_term_id: termId('subcommittee', 'protection'), link_entity: 'organization' },
          ],
        },
      ],
    });
    expect(invalidOf(outcome)).toEqual(
      expect.arrayContaining([
        'services[0] /attributes/0/link_id: must be the id of the record it is in',
        `services[0] /attributes/${attributes.length}/link_entity: must be service`,
        `services[0] /attributes/${attributes.length}/taxonomy_term_id: referrals-subcommittee terms describe organizations, not services`,
        'services[0] /attributes: capacity needs both capacity_total and capacity_available',
        'services[0] /maximum_age: is below minimum_age',
      ]),
    );
  });

  it("refuses a service at another agency's location, twice at one location, and unknown references", () => {
    const outcome = read({
      service_at_locations: [
        { id: id(31), service_id: beds.id, location_id: id(21) },
        { id: id(32), service_id: beds.id, location_id: id(20) },
        { id: id(33), service_id: id(77), location_id: id(78) },
      ],
    });
    expect(invalidOf(outcome)).toEqual([
      'service_at_locations[0] /location_id: the location belongs to another organization than the service',
      'service_at_locations[1] /location_id: another service_at_location puts this service at this location',
      'service_at_locations[2] /service_id: no service of this file or of the directory has this id',
      'service_at_locations[2] /location_id: no location of this file or of the directory has this id',
    ]);
  });

  it("lets terms of other taxonomies be, and reports its schema's complaints by record", () => {
    const [service] = toHsds(DIRECTORY).services;
    const foreign = { id: id(50), name: 'Open Eligibility: women', description: 'x', taxonomy: 'open-eligibility' };
    const withForeign = { ...service!, attributes: [...service!.attributes!, { id: id(51), taxonomy_term_id: foreign.id }] };
    expect(read({ services: [withForeign], taxonomy_terms: [foreign] })).toHaveProperty('content');
    const outcome = fromHsds({ services: [{ id: 'not-an-id' }] }, DIRECTORY, () => [{ field: '/status', message: 'is required' }]);
    expect(outcome).toEqual({ invalid: [{ record: 'services[0]', field: '/status', message: 'is required' }] });
  });
});
