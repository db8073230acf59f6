import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import type { DirectoryContent } from './directory.model.js';
import { type HsdsDirectory, fromHsds, toHsds } from './hsds.js';
import type { IgnoredPart } from './hsds-import.js';
import { OPEN_ELIGIBILITY } from './hsds-open-eligibility.js';
import { HsdsSchemas } from './hsds-schemas.js';
import { normalizeHsds } from './hsds-shapes.js';

/**
 * Directories other publishers make, read through the real HSDS schemas: the 13 official HSDS 3.0
 * examples as published, and a third-party directory with Open Eligibility terms; and what the
 * export gives back of them.
 */

const EXAMPLES = new URL('../../test/fixtures/hsds-examples/', import.meta.url);
const THIRD_PARTY = new URL('../../test/fixtures/third-party-directory.json', import.meta.url);
const EMPTY: DirectoryContent = { agencies: [], listedOrganizations: [], services: [], locations: [], serviceLocations: [] };
const schemas = HsdsSchemas.load();

const importOf = (body: unknown, current: DirectoryContent = EMPTY) => {
  const document = normalizeHsds(body);
  if ('malformed' in document) throw new Error(document.malformed);
  const outcome = fromHsds(
    document.records,
    current,
    (kind, record) => schemas.violations(kind, record, document.tabular),
    document.sources,
  );
  if ('invalid' in outcome) throw new Error(JSON.stringify(outcome.invalid));
  return { ...outcome, ignored: [...document.ignored, ...outcome.ignored] };
};
const json = (url: URL) => JSON.parse(readFileSync(url, 'utf8')) as unknown;
const example = (name: string) => json(new URL(name, EXAMPLES));
const schemaViolations = (hsds: HsdsDirectory) =>
  (
    [
      ['organizations', 'organization'],
      ['services', 'service'],
      ['locations', 'location'],
      ['service_at_locations', 'service_at_location'],
      ['taxonomies', 'taxonomy'],
      ['taxonomy_terms', 'taxonomy_term'],
    ] as const
  ).flatMap(([collection, kind]) => (hsds[collection] as unknown[]).flatMap((record) => schemas.violations(kind, record)));
const reasons = (ignored: readonly IgnoredPart[]) => ignored.map((i) => `${i.record} ${i.field}: ${i.reason}`);

describe('HSDS shapes other publishers make', () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));

  it('has the 13 official examples to read', () => {
    expect(files).toHaveLength(13);
  });

  for (const file of files) {
    it(`imports the official example ${file} as published, and exports it again schema-valid`, () => {
      const { content } = importOf(example(file));
      expect(schemaViolations(toHsds(content))).toEqual([]);
    });
  }

  it('reads the compiled service: its organization, locations, phones, schedules and terms become records again, nothing lost', () => {
    const published = example('service_full.json') as Record<string, unknown> & { organization: Record<string, unknown> };
    const exported = toHsds(importOf(published).content);
    const [service] = exported.services;
    for (const field of ['phones', 'schedules', 'email', 'url', 'languages', 'contacts', 'funding', 'cost_options', 'required_documents'])
      expect(service).toHaveProperty(field, published[field]);
    const [organization] = exported.organizations;
    for (const field of ['email', 'website', 'phones', 'programs', 'organization_identifiers'].filter((f) => f in published.organization))
      expect(organization).toHaveProperty(field, published.organization[field]);
    expect(exported.locations[0]).toMatchObject({
      latitude: expect.any(Number),
      addresses: [expect.objectContaining({ address_1: '1-30 Main Street' })],
    });
    expect(exported.taxonomy_terms.map((t) => t.id)).toContain('3f7b145d-84af-42d7-8fae-eaca714b02b2');
  });

  it('lists what a paged list carries beside its records, and a term no record uses, as ignored with why', () => {
    expect(reasons(importOf(example('taxonomy_term_list.json')).ignored)).toEqual(
      expect.arrayContaining([
        '/ /total_items: paging of the published list',
        '/contents/0 /: not kept: no record of the file uses this term (the directory keeps the terms its records carry)',
      ]),
    );
  });

  it('refuses, with where, what is no HSDS shape at all', () => {
    expect(normalizeHsds(42)).toEqual({ malformed: 'the body is not an HSDS object, list or bundle' });
    expect(normalizeHsds([{ id: 'x', colour: 'red' }])).toEqual({
      malformed: '/0 is not an HSDS organization, service, location, service_at_location, taxonomy or taxonomy_term',
    });
  });
});

describe('a third-party directory with Open Eligibility terms', () => {
  const thirdParty = json(THIRD_PARTY) as HsdsDirectory;
  const { content, ignored } = importOf(thirdParty);
  const refuge = content.services.find((s) => s.name === "Women's emergency refuge")!;
  const exported = toHsds(content);

  it('lists organizations without the network kind as listed organizations, not member agencies', () => {
    expect(content.agencies).toEqual([]);
    expect(content.listedOrganizations.map((o) => o.name)).toEqual(["Safe Haven Women's Refuge", 'Borno Legal Clinic']);
  });

  it('keeps the women-only refuge women-only, for adults only, and a shelter', () => {
    expect(refuge.serviceType).toBe('shelter');
    expect(refuge.eligibility).toMatchObject({ sexes: ['female'], minimumAge: 18, childrenAccepted: false, languages: ['ha', 'en'] });
  });

  it('reads the legal clinic as legal assistance that accepts children (minimum age 0)', () => {
    const legal = content.services.find((s) => s.name === 'Legal advice sessions')!;
    expect(legal).toMatchObject({ serviceType: 'legal_assistance', eligibility: { sexes: [], childrenAccepted: true } });
  });

  it('exports phones, e-mails, websites, schedules, languages, other taxonomies and terms again as published', () => {
    const service = exported.services.find((s) => s.id === refuge.id)! as unknown as Record<string, unknown>;
    const published = thirdParty.services[0] as unknown as Record<string, unknown>;
    for (const field of ['phones', 'schedules', 'email', 'url', 'languages', 'service_areas'])
      expect(service[field]).toEqual(published[field]);
    expect(service.attributes).toEqual(
      expect.arrayContaining((published.attributes as Array<Record<string, unknown>>).map((a) => expect.objectContaining(a))),
    );
    expect(exported.taxonomy_terms).toEqual(
      expect.arrayContaining(thirdParty.taxonomy_terms.map((t) => expect.objectContaining({ ...t }))),
    );
    expect(exported.taxonomies).toEqual(expect.arrayContaining(thirdParty.taxonomies));
    const organization = exported.organizations.find((o) => o.name === "Safe Haven Women's Refuge") as unknown as Record<string, unknown>;
    expect(organization).toMatchObject({ email: 'intake@safehaven.example.org', website: 'https://safehaven.example.org' });
    expect(organization).not.toHaveProperty('attributes', expect.arrayContaining([expect.objectContaining({ value: 'shelter' })]));
  });

  it("keeps the legal clinic's street address and coordinates, and exports them", () => {
    const office = exported.locations.find((l) => l.name === 'Clinic office')!;
    expect(office).toMatchObject({
      latitude: 11.84,
      longitude: 13.16,
      addresses: [expect.objectContaining({ address_1: '3 Court Road', postal_code: '600002' })],
    });
  });

  it("never keeps nor publishes the refuge's street address or coordinates, and says so", () => {
    expect(JSON.stringify(content)).not.toContain('Quiet Lane');
    const house = exported.locations.find((l) => l.name === 'Refuge house')!;
    expect(house).not.toHaveProperty('latitude');
    expect(house.addresses).toEqual([expect.objectContaining({ address_1: '', postal_code: '', city: 'Maiduguri' })]);
    expect(reasons(ignored)).toContain(
      'locations[0] /: not kept: latitude, longitude, addresses/0/address_1, addresses/0/postal_code (a confidential service, e.g. a shelter, is offered here or by its organization)',
    );
  });

  it("never publishes the street address of a location its shelter's organization owns, though the file links no service to it", () => {
    const unlinked = { ...thirdParty, service_at_locations: [] } as HsdsDirectory;
    const house = toHsds(importOf(unlinked).content).locations.find((l) => l.name === 'Refuge house')!;
    expect(JSON.stringify(house)).not.toMatch(/Quiet Lane|600001|11\.83/);
  });

  it("keeps none of a confidential location's directions, phones, notes or identifiers: only the town is published", () => {
    const located = structuredClone(thirdParty) as unknown as { locations: Array<Record<string, unknown>> };
    Object.assign(
      located.locations.find((l) => l.name === 'Refuge house')!,
      {
        transportation: 'Bus 12 to the market, the blue gate behind it',
        description: 'Rear entrance only',
        external_identifiers: [{ id: '7c1f3a52-4d8e-4b7a-9f51-1a2b3c4d5e49', identifier: 'PLOT-77', identifier_type: 'land registry' }],
      },
    );
    const imported = importOf(located);
    const house = toHsds(imported.content).locations.find((l) => l.name === 'Refuge house')!;
    expect(JSON.stringify(imported.content)).not.toMatch(/blue gate|Rear entrance|PLOT-77/);
    expect(JSON.stringify(house)).not.toMatch(/blue gate|Rear entrance|PLOT-77/);
    expect(house.addresses).toEqual([expect.objectContaining({ city: 'Maiduguri', country: 'NG' })]);
  });

  it('withholds in the export a street address kept before a shelter was offered there', () => {
    const office = content.locations.find((l) => l.name === 'Clinic office')!;
    const shelterThere = {
      ...content,
      serviceLocations: [...content.serviceLocations, { id: refuge.id, serviceId: refuge.id, locationId: office.id }],
    };
    const withheld = toHsds(shelterThere).locations.find((l) => l.id === office.id)!;
    expect(JSON.stringify(withheld)).not.toMatch(/Court Road|600002|11\.84/);
  });

  it('maps each service type to Open Eligibility (term_uri; taxonomy uri and version) beside the network taxonomy', () => {
    const shelterTerm = exported.taxonomy_terms.find((t) => t.name === 'Temporary Shelter' && t.term_uri)!;
    expect(shelterTerm.term_uri).toBe(`${OPEN_ELIGIBILITY.uri}#temporary-shelter`);
    expect(exported.taxonomies.find((t) => t.id === shelterTerm.taxonomy_id)).toMatchObject({
      uri: OPEN_ELIGIBILITY.uri,
      version: OPEN_ELIGIBILITY.version,
    });
    const attributes = exported.services.find((s) => s.id === refuge.id)!.attributes!.map((a) => a.taxonomy_term_id);
    expect(attributes).toContain(shelterTerm.id);
  });

  it('reads its own export back to the same export', () => {
    const again = importOf(exported, content);
    expect(toHsds(again.content)).toEqual(exported);
  });
});
