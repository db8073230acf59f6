import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HsdsDirectory } from '../src/directory/hsds.js';
import { HSDS_KINDS, type HsdsKind, HsdsSchemas } from '../src/directory/hsds-schemas.js';
import { officialSchemaViolations } from './support/hsds-official.js';
import { APP_DRIVERS, type RunningApp, startTestApp, useTestApp } from './support/test-app.js';
import { firstSignIn, post, read } from './support/case-steps.js';

/**
 * The service directory over HTTP, on the real app and databases: the seeded demo directory, its
 * HSDS 3.0 export checked against the official schemas, export -> import into a fresh deployment,
 * an all-or-nothing import that lists each invalid record, who may change what, and bad input.
 */

const COLLECTION_KINDS: Readonly<Record<keyof HsdsDirectory, HsdsKind>> = {
  organizations: 'organization',
  services: 'service',
  locations: 'location',
  service_at_locations: 'service_at_location',
  taxonomies: 'taxonomy',
  taxonomy_terms: 'taxonomy_term',
};

/** Everything the directory and identity hold, as one value: to show that a refused request wrote nothing. */
const directoryState = async (t: RunningApp) =>
  (
    await t.db.query<{ state: string }>(`SELECT concat_ws('|',
      (SELECT string_agg(a::text, ',' ORDER BY a.id) FROM agencies a),
      (SELECT string_agg(p::text, ',' ORDER BY p.agency_id) FROM directory_agency_profiles p),
      (SELECT string_agg(s::text, ',' ORDER BY s.id) FROM directory_services s),
      (SELECT string_agg(l::text, ',' ORDER BY l.id) FROM directory_locations l),
      (SELECT string_agg(sl::text, ',' ORDER BY sl.id) FROM directory_service_locations sl)) AS state`)
  )[0]!.state;

const service = (overrides: Record<string, unknown> = {}) => ({
  name: 'Night shelter',
  serviceType: 'shelter',
  description: 'Beds for the night',
  status: 'active',
  areas: ['Maiduguri'],
  eligibility: { sexes: ['female'], minimumAge: 0, maximumAge: 60, childrenAccepted: true, languages: ['ha', 'kr'] },
  capacity: { total: 4, available: 4 },
  locations: [{ name: 'Night site', locality: 'Maiduguri', region: 'Borno', country: 'NG' }],
  ...overrides,
});

for (const driver of APP_DRIVERS) {
  describe(`service directory (${driver})`, () => {
    const t = useTestApp({ driver, settings: { WRITES_PER_MINUTE: '100000' } });
    const exported = async () => (await read(t, '/directory/hsds', 'caseworker.social')) as HsdsDirectory;
    /** The demo shelter's beds (other tests add shelter services of other agencies). */
    const shelterService = async () =>
      (
        (await read(t, '/directory/services?serviceType=shelter', 'caseworker.social')) as Array<{
          serviceId: string;
          agencyKind: string;
          capacity: unknown;
        }>
      ).find((s) => s.agencyKind === 'shelter')!;

    /** The directory as seeded, read before any scenario adds services or changes a capacity. */
    const seeded = {
      shelters: [] as unknown,
      bama: [] as Array<{ agencyKind: string }>,
      gwoza: [] as unknown,
      police: [] as Array<{ serviceType: string }>,
      justice: {} as unknown,
      ngo: {} as { services: Array<{ serviceType: string }> },
      hsds: {} as HsdsDirectory,
    };
    beforeAll(async () => {
      const as = await t.bearer('frontline.social');
      const read = async (path: string) => (await t.http.get(path).set(as).expect(200)).body;
      seeded.shelters = await read('/directory/services?serviceType=shelter');
      seeded.bama = await read('/directory/services?serviceType=livelihoods&area=bAMA');
      seeded.gwoza = await read('/directory/services?serviceType=livelihoods&area=Gwoza');
      seeded.police = await read(`/directory/services?agencyId=${await t.agencyId('Police')}`);
      seeded.justice = await read(`/directory/agencies/${await t.agencyId('Justice')}`);
      seeded.ngo = await read(`/directory/agencies/${await t.agencyId('Lake Chad')}`);
      seeded.hsds = await exported();
    });

    it('seeds the demo directory: services by type, area (any case) and agency, with eligibility and capacity', async () => {
      const as = await t.bearer('frontline.social');
      const shelters = seeded.shelters;
      expect(shelters).toEqual([
        expect.objectContaining({
          serviceType: 'shelter',
          agencyKind: 'shelter',
          agencyActive: true,
          status: 'active',
          areas: ['Maiduguri'],
          capacity: { total: 12, available: 3 },
          eligibility: { sexes: ['female'], childrenAccepted: true, languages: ['ha', 'kr', 'en'] },
          locations: [expect.objectContaining({ locality: 'Maiduguri', region: 'Borno', country: 'NG' })],
        }),
      ]);
      const livelihoods = seeded.bama;
      expect(livelihoods.map((s) => s.agencyKind).sort()).toEqual(['national_ngo', 'un_agency']);
      expect(seeded.gwoza).toEqual([]);

      expect(seeded.police.map((s) => s.serviceType)).toEqual(['personal_safety']);
      const justice = seeded.justice;
      expect(justice).toMatchObject({ kind: 'prosecution', subcommittees: ['prosecution'], services: [] });
      const ngo = seeded.ngo;
      expect(ngo).toMatchObject({ subcommittees: ['prevention', 'protection'], areasServed: ['Konduga', 'Bama'] });
      expect(ngo.services.map((s: { serviceType: string }) => s.serviceType).sort()).toEqual([
        'education_and_training',
        'food_and_nutrition',
        'livelihoods',
      ]);
      expect((await t.http.get(`/directory/agencies/${randomUUID()}`).set(as)).status).toBe(404);
    });

    it('exports the directory as HSDS 3.0 that validates against the official schemas, record by record', async () => {
      const hsds = seeded.hsds;
      expect(Object.keys(hsds).sort()).toEqual(Object.keys(COLLECTION_KINDS).sort());
      const schemas = HsdsSchemas.load();
      const violations = (Object.keys(COLLECTION_KINDS) as Array<keyof HsdsDirectory>).flatMap((collection) =>
        hsds[collection].flatMap((record, index) =>
          schemas.violations(COLLECTION_KINDS[collection], record).map((v) => `${collection}[${index}]${v.field}: ${v.message}`),
        ),
      );
      expect(violations).toEqual([]);
      expect(await officialSchemaViolations(hsds)).toEqual([]);

      // Every reference resolves inside the export.
      const ids = (collection: keyof HsdsDirectory) => new Set(hsds[collection].map((r) => r.id));
      const attributes = [...hsds.organizations, ...hsds.services].flatMap((r) => r.attributes ?? []);
      expect(attributes.filter((a) => !ids('taxonomy_terms').has(a.taxonomy_term_id!))).toEqual([]);
      expect(hsds.services.filter((s) => !ids('organizations').has(s.organization_id!))).toEqual([]);
      expect(
        hsds.service_at_locations.filter((sl) => !ids('services').has(sl.service_id!) || !ids('locations').has(sl.location_id!)),
      ).toEqual([]);
      expect(hsds.organizations).toHaveLength(10);
      const shelter = hsds.services.find((s) => s.name.startsWith('Safe shelter'))!;
      expect(shelter).toMatchObject({
        status: 'active',
        service_areas: [expect.objectContaining({ name: 'Maiduguri' })],
        eligibility_description: expect.stringContaining('female only'),
      });
      const terms = new Map(hsds.taxonomy_terms.map((term) => [term.id, term]));
      expect(
        shelter.attributes!.map((a) => [terms.get(a.taxonomy_term_id!)!.taxonomy, terms.get(a.taxonomy_term_id!)!.code, a.value]).sort(),
      ).toEqual([
        ['Open Eligibility', 'temporary-shelter', undefined],
        ['referrals-capacity', 'capacity_available', '3'],
        ['referrals-capacity', 'capacity_total', '12'],
        ['referrals-confidentiality', 'confidential_location', 'true'],
        ['referrals-eligibility', 'children_accepted', 'true'],
        ['referrals-eligibility', 'sex_accepted', 'female'],
        ['referrals-service-type', 'shelter', undefined],
      ]);
      // The demo directory holds no street address (an imported one is kept, except where a confidential service is).
      expect(hsds.locations.flatMap((l) => l.addresses!.map((a) => [a.address_1, a.postal_code]))).toEqual(
        hsds.locations.map(() => ['', '']),
      );
    });

    it('imports nothing when any record is invalid, and lists each invalid record and field without echoing values', async () => {
      const as = await t.bearer('coordinator.justice');
      const hsds = await exported();
      const before = await directoryState(t);
      const file = structuredClone(hsds);
      const long = `Zq${'z'.repeat(3000)}`;
      const index = (collection: 'services' | 'organizations', test: (r: { name: string }) => boolean) => file[collection].findIndex(test);
      const shelter = index('services', (s) => s.name.startsWith('Safe shelter'));
      const interview = index('services', (s) => s.name === 'In-depth interview');
      const medical = index('services', (s) => s.name === 'Medical care');
      const legal = index('organizations', (o) => o.name.startsWith('Sahel Legal'));
      file.services[interview]!.status = long as never; // not an HSDS status
      const available = file.services[shelter]!.attributes!.findIndex((a) => a.value === '3');
      file.services[shelter]!.attributes![available]!.value = '13'; // more free than in all
      file.services[medical]!.organization_id = randomUUID(); // no such organization
      // The police offering in-depth interviews: judicial cooperation by another name.
      const police = file.organizations.find((o) => o.name.includes('Police'))!.id;
      const policeSafety = file.services.findIndex((s) => s.organization_id === police);
      const typeOf = file.services[policeSafety]!.attributes!.findIndex(
        (a) => hsds.taxonomy_terms.find((term) => term.id === a.taxonomy_term_id)?.taxonomy === 'referrals-service-type',
      );
      file.services[policeSafety]!.attributes![typeOf]!.taxonomy_term_id = hsds.taxonomy_terms.find(
        (term) => term.taxonomy === 'referrals-service-type' && term.code === 'in_depth_interview',
      )!.id;
      // An agency kind the network does not have, declared as a term of its taxonomy.
      const circus = {
        id: randomUUID(),
        code: 'circus',
        name: 'circus',
        description: 'not a kind of agency',
        taxonomy: 'referrals-agency-kind',
      };
      file.taxonomy_terms.push(circus);
      const kind = file.organizations[legal]!.attributes!.findIndex(
        (a) => hsds.taxonomy_terms.find((term) => term.id === a.taxonomy_term_id)?.taxonomy === 'referrals-agency-kind',
      );
      file.organizations[legal]!.attributes![kind]!.taxonomy_term_id = circus.id;
      file.locations[0]!.addresses![0]!.country = 'Nigeria';
      file.organizations[0]!.description = 'A valid change that must not be imported with the rest';

      const response = await t.http.post('/directory/hsds/import').set(as).send(file);
      expect(response.status).toBe(422);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const reported = (response.body.invalid as Array<{ record: string; field: string; id?: string }>).map(
        ({ record, field }) => `${record} ${field}`,
      );
      expect(reported).toEqual(
        expect.arrayContaining([
          `services[${interview}] /status`,
          `services[${shelter}] /attributes/${available}/value`,
          `services[${medical}] /organization_id`,
          `taxonomy_terms[${file.taxonomy_terms.length - 1}] /code`,
          `organizations[${legal}] /attributes/${kind}/taxonomy_term_id`,
          'locations[0] /addresses/0/country',
        ]),
      );
      expect(response.body.invalid.find((i: { record: string }) => i.record === `services[${medical}]`).id).toBe(
        file.services[medical]!.id,
      );
      expect(response.body.invalid.find((i: { record: string }) => i.record === `services[${policeSafety}]`)).toMatchObject({
        field: expect.stringContaining(`/attributes/${typeOf}`),
        message: expect.stringMatching(/judicial cooperation/),
      });
      expect(response.text).not.toContain('Zqzz');
      expect(await directoryState(t)).toBe(before);
    });

    it("lets an agency admin maintain its own agency's services only, a coordinator any, and staff set capacity", async () => {
      const admin = await t.bearer('admin.social');
      const created = await t.http.post('/directory/services').set(admin).send(service());
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        agencyId: await t.agencyId('Women Affairs'),
        capacity: { total: 4, available: 4 },
        locations: [expect.objectContaining({ name: 'Night site' })],
      });
      const changed = await t.http
        .put(`/directory/services/${created.body.serviceId}`)
        .set(admin)
        .send(service({ status: 'temporarily closed', locations: [] }));
      expect(changed.body).toMatchObject({ status: 'temporarily closed', locations: [] });

      // Another agency's service reads exactly like one that does not exist.
      const shelter = await shelterService();
      const other = await t.http.put(`/directory/services/${shelter.serviceId}`).set(admin).send(service());
      const none = await t.http.put(`/directory/services/${randomUUID()}`).set(admin).send(service());
      expect([other.status, other.body.detail]).toEqual([404, none.body.detail]);
      expect(
        (
          await t.http
            .post('/directory/services')
            .set(admin)
            .send({ ...service(), agencyId: await t.agencyId('Shelter') })
        ).status,
      ).toBe(404);
      expect((await post(t, '/directory/services', service())).status).toBe(403);

      const coordinator = await t.bearer('coordinator.justice');
      await t.http
        .put(`/directory/services/${created.body.serviceId}`)
        .set(coordinator)
        .send(service({ name: 'Night shelter (coordinated)' }))
        .expect(200);
      const forNgo = await t.http
        .post('/directory/services')
        .set(coordinator)
        .send({ ...service(), agencyId: await t.agencyId('Lake Chad') })
        .expect(201);
      expect(forNgo.body.agencyKind).toBe('national_ngo');
      // Law enforcement offers personal safety only, prosecution nothing: data reaching them is judicial cooperation.
      const forPolice = await t.http
        .post('/directory/services')
        .set(coordinator)
        .send({ ...service(), serviceType: 'in_depth_interview', capacity: undefined, agencyId: await t.agencyId('Police') });
      expect([forPolice.status, forPolice.body.detail]).toEqual([422, expect.stringMatching(/judicial cooperation/)]);
      await t.http
        .post('/directory/services')
        .set(coordinator)
        .send({ ...service(), serviceType: 'personal_safety', capacity: undefined, agencyId: await t.agencyId('Police') })
        .expect(201);

      // The shelter says it is full, then has room again; never more free than in all.
      await t.http
        .post(`/directory/services/${shelter.serviceId}/capacity`)
        .set(await t.bearer('caseworker.shelter'))
        .send({ available: 0 })
        .expect(200);
      expect((await shelterService()).capacity).toEqual({ total: 12, available: 0 });
      const over = await post(t, `/directory/services/${shelter.serviceId}/capacity`, { available: 13 }, 'admin.shelter');
      expect([over.status, over.headers['content-type']]).toEqual([400, expect.stringMatching(/^application\/problem\+json/)]);
      expect(
        (await post(t, `/directory/services/${shelter.serviceId}/capacity`, { available: 5, total: 4 }, 'caseworker.shelter')).status,
      ).toBe(400);
      await t.http
        .post(`/directory/services/${shelter.serviceId}/capacity`)
        .set(await t.bearer('caseworker.shelter'))
        .send({ available: 14, total: 14 })
        .expect(200);
      expect((await shelterService()).capacity).toEqual({ total: 14, available: 14 });
      expect((await post(t, `/directory/services/${shelter.serviceId}/capacity`, { available: 1 })).status).toBe(404);
      expect((await t.http.post(`/directory/services/${shelter.serviceId}/capacity`).set(coordinator).send({ available: 1 })).status).toBe(
        403,
      );

      // Profiles are the coordinator's.
      const legal = await t.agencyId('Sahel Legal');
      const profile = { description: 'Legal aid', subcommittees: ['protection'], areasServed: ['Maiduguri', 'Konduga'] };
      expect((await t.http.put(`/directory/agencies/${legal}/profile`).set(coordinator).send(profile).expect(200)).body).toEqual(profile);
      expect((await t.http.get(`/directory/agencies/${legal}`).set(admin).expect(200)).body).toMatchObject(profile);
      expect((await t.http.put(`/directory/agencies/${legal}/profile`).set(admin).send(profile)).status).toBe(403);
      expect((await t.http.put(`/directory/agencies/${randomUUID()}/profile`).set(coordinator).send(profile)).status).toBe(404);
    });

    it('answers bad input with 400 problem+json and writes nothing', async () => {
      const admin = await t.bearer('admin.social');
      const coordinator = await t.bearer('coordinator.justice');
      const { serviceId } = await shelterService();
      const legal = await t.agencyId('Sahel Legal');
      const before = await directoryState(t);
      const requests = [
        t.http
          .post('/directory/services')
          .set(admin)
          .send(service({ serviceType: 'spa' })),
        t.http
          .post('/directory/services')
          .set(admin)
          .send(service({ eligibility: { childrenAccepted: true, minimumAge: 30, maximumAge: 20 } })),
        t.http
          .post('/directory/services')
          .set(admin)
          .send(service({ capacity: { total: 2, available: 3 } })),
        t.http
          .post('/directory/services')
          .set(admin)
          .send(service({ status: 'open' })),
        t.http
          .post('/directory/services')
          .set(admin)
          .send(service({ locations: [{ name: 'x', locality: 'Maiduguri', region: 'Borno', country: 'Nigeria' }] })),
        t.http
          .post('/directory/services')
          .set(admin)
          .send(service({ eligibility: { childrenAccepted: true, languages: ['Hausa'] } })),
        t.http
          .post('/directory/services')
          .set(admin)
          .send({ ...service(), agencyId: 'not-a-uuid' }),
        t.http
          .post('/directory/services')
          .set(admin)
          .send({ ...service(), extra: 1 }),
        t.http
          .put(`/directory/services/${serviceId}`)
          .set(coordinator)
          .send(service({ eligibility: 'anyone' })),
        t.http
          .put(`/directory/services/${serviceId}`)
          .set(coordinator)
          .send({ ...service(), agencyId: legal }),
        t.http
          .post(`/directory/services/${serviceId}/capacity`)
          .set(await t.bearer('caseworker.shelter'))
          .send({ available: -1 }),
        t.http
          .put(`/directory/agencies/${legal}/profile`)
          .set(coordinator)
          .send({ description: '', subcommittees: ['finance'], areasServed: [] }),
        t.http
          .put(`/directory/agencies/${legal}/profile`)
          .set(coordinator)
          .send({ description: '', subcommittees: [], areasServed: ['x'.repeat(101)] }),
        t.http.post('/directory/hsds/import').set(coordinator).send({ services: 'all of them' }),
        t.http.post('/directory/hsds/import').set(coordinator).send({ programs: [] }),
        t.http.get('/directory/services?serviceType=spa').set(admin),
        t.http.get('/directory/services?agencyId=x').set(admin),
        t.http.get('/directory/services?zz=1').set(admin),
      ];
      const answers = [];
      for (const request of requests) answers.push(await request);
      expect(answers.map((r) => [r.status, r.headers['content-type']?.split(';')[0]])).toEqual(
        answers.map(() => [400, 'application/problem+json']),
      );
      expect(await directoryState(t)).toBe(before);
    });

    it('takes an import of up to 2 MB, while every other route keeps the 64 KB limit', async () => {
      const as = await t.bearer('coordinator.justice');
      const padded = {
        taxonomies: Array.from({ length: 60 }, () => ({ id: randomUUID(), name: 'padding', description: 'p'.repeat(2000) })),
      };
      expect(JSON.stringify(padded).length).toBeGreaterThan(100_000);
      expect((await t.http.post('/directory/hsds/import').set(as).send(padded)).status).toBe(200);
      // Nobody else gets a large body parsed: it meets the 64 KB limit before any other check.
      expect((await t.http.post('/directory/hsds/import').send(padded)).status).toBe(413);
      expect((await post(t, '/directory/hsds/import', padded, 'admin.social')).status).toBe(413);
      expect((await t.http.post('/directory/hsds/import').set({ Authorization: 'Bearer not.a.token' }).send(padded)).status).toBe(413);
      const huge = {
        taxonomies: Array.from({ length: 1100 }, () => ({ id: randomUUID(), name: 'padding', description: 'p'.repeat(2000) })),
      };
      expect((await t.http.post('/directory/hsds/import').set(as).send(huge)).status).toBe(413);
      expect(
        (
          await t.http
            .post('/directory/services')
            .set(as)
            .send(service({ description: 'p'.repeat(70_000) }))
        ).status,
      ).toBe(413);
    });
  });

  // Apps one after the other, never two at once: passport registers its strategies by name, process-wide.
  describe(`HSDS export -> import into a fresh deployment (${driver})`, () => {
    it('imports the export into a fresh deployment, which then exports the same directory; again, nothing changes', async () => {
      const source = await startTestApp(driver);
      const original = (
        await source.http
          .get('/directory/hsds')
          .set('Authorization', `Bearer ${await source.token('auditor.justice')}`)
          .expect(200)
      ).body as HsdsDirectory;
      await source.close();
      const fresh = await startTestApp(driver, { DEMO_NETWORK: 'false', BOOTSTRAP_COORDINATOR: 'coordinator.fresh' });
      try {
        const password = (await readFile(join(fresh.dataDir, 'bootstrap-password'), 'utf8')).trim();
        const token = await firstSignIn(fresh, 'coordinator.fresh', password);
        const as = { Authorization: `Bearer ${token}` };
        const own = (await fresh.http.get('/directory/agencies').set(as).expect(200)).body[0].id as string;
        const imported = await fresh.http.post('/directory/hsds/import').set(as).send(original);
        expect({ status: imported.status, body: imported.body }).toEqual({
          status: 200,
          body: {
            ignored: [],
            imported: {
              organizations: 10,
              listed_organizations: 0,
              services: original.services.length,
              locations: original.locations.length,
              service_at_locations: original.service_at_locations.length,
            },
          },
        });
        const again = async () => {
          const hsds = (await fresh.http.get('/directory/hsds').set(as).expect(200)).body as HsdsDirectory;
          // The fresh deployment's own first agency is the one difference.
          return { ...hsds, organizations: hsds.organizations.filter((o) => o.id !== own) };
        };
        expect(await again()).toEqual(original);
        await fresh.http.post('/directory/hsds/import').set(as).send(original).expect(200);
        expect(await again()).toEqual(original);
        // The imported agencies are member agencies like any other, of the kinds the file says.
        const kinds = (await fresh.http.get('/directory/agencies').set(as).expect(200)).body.map((a: { kind: string }) => a.kind);
        expect(kinds).toEqual(expect.arrayContaining(['shelter', 'red_cross_red_crescent', 'law_enforcement']));
      } finally {
        await fresh.close();
      }
    }, 180_000); // two applications start one after the other: on a loaded machine, more than the default minute
  });
}

describe('the vendored HSDS schemas', () => {
  const shared = join(process.cwd(), '../shared/standards/hsds/schema');
  const check = existsSync(shared) ? it : it.skip;
  check('are the official files, unchanged (checked where ../shared is beside the repository)', async () => {
    const vendored = 'src/directory/hsds/schema';
    expect(readdirSync(vendored)).toEqual(expect.arrayContaining([...HSDS_KINDS, 'attribute'].map((kind) => `${kind}.json`)));
    for (const file of readdirSync(vendored)) {
      expect({ file, same: (await readFile(join(vendored, file), 'utf8')) === (await readFile(join(shared, file), 'utf8')) }).toEqual({
        file,
        same: true,
      });
    }
  });
});
