import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openCase, post, read } from './support/case-steps.js';
import { APP_DRIVERS, useTestApp } from './support/test-app.js';

/**
 * Directories made by others, over HTTP on the real app and databases: the 13 official HSDS 3.0
 * examples posted as published, a third-party directory with Open Eligibility terms, its listed
 * organizations (outside the network) in the directory, in suggestions and refused as referral
 * recipients until a coordinator makes one a member, and the HSDS 3.0 API read endpoints.
 */

const FIXTURES = join(process.cwd(), 'test/fixtures');
const EXAMPLES = join(FIXTURES, 'hsds-examples');
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const THIRD_PARTY = json(join(FIXTURES, 'third-party-directory.json')) as { organizations: Array<{ id: string }> } & Record<
  string,
  unknown
>;
const REFUGE_ORGANIZATION = THIRD_PARTY.organizations[0]!.id;
const CLINIC_ORGANIZATION = THIRD_PARTY.organizations[1]!.id;
const REFUGE_SERVICE = '7c1f3a52-4d8e-4b7a-9f51-1a2b3c4d5e21';

for (const driver of APP_DRIVERS) {
  describe(`directories made by others (${driver})`, () => {
    const t = useTestApp({ driver, settings: { WRITES_PER_MINUTE: '100000' } });
    const imported = async (body: unknown) => {
      const response = await t.http
        .post('/directory/hsds/import')
        .set(await t.bearer('coordinator.justice'))
        .send(body as object);
      expect([response.status, response.body.invalid]).toEqual([200, undefined]);
      return response.body as { imported: Record<string, number>; ignored: Array<{ record: string; field: string; reason: string }> };
    };
    let thirdParty: Awaited<ReturnType<typeof imported>>;
    beforeAll(async () => {
      thirdParty = await imported(THIRD_PARTY);
    });

    it('imports every one of the 13 official HSDS 3.0 examples as published', async () => {
      const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));
      expect(files).toHaveLength(13);
      const answers: Record<string, unknown> = {};
      for (const file of files) {
        answers[file] = (await imported(json(join(EXAMPLES, file)))).imported;
        // Checked before the tabular example upserts the same service with its phones on the service_at_location instead.
        if (file === 'service_full.json') {
          const service = (await read(t, '/directory/hsds', 'caseworker.social')).services.find(
            (s: { id: string }) => s.id === 'ac148810-d857-441c-9679-408f346de14b',
          );
          expect(service).toMatchObject({ email: 'email@example.com', phones: [expect.objectContaining({ number: '"+44 1234 234567"' })] });
        }
      }
      expect(answers['service_full.json']).toEqual({
        organizations: 0,
        listed_organizations: 1,
        services: 1,
        locations: 1,
        service_at_locations: 1,
      });
    });

    it('imports the third-party directory, its organizations listed outside the network, saying what it did not keep', () => {
      expect(thirdParty.imported).toEqual({
        organizations: 0,
        listed_organizations: 2,
        services: 2,
        locations: 2,
        service_at_locations: 2,
      });
      expect(thirdParty.ignored).toEqual([
        expect.objectContaining({
          record: 'locations[0]',
          field: '/',
          reason: expect.stringMatching(/^not kept: latitude, longitude/),
        }),
      ]);
    });

    it('shows listed services in the directory, marked outside the network, with how to reach them', async () => {
      const shelters = (await read(t, '/directory/services?serviceType=shelter', 'frontline.social')) as Array<Record<string, unknown>>;
      expect(shelters.find((s) => s.serviceId === REFUGE_SERVICE)).toMatchObject({
        organizationId: REFUGE_ORGANIZATION,
        outsideNetwork: true,
        howToRefer: 'outside the network: refer by phone/e-mail, nothing is shared through this service',
        contact: {
          phones: ['+234 800 000 0002', '+234 800 000 0001'],
          emails: ['beds@safehaven.example.org', 'intake@safehaven.example.org'],
        },
        eligibility: { sexes: ['female'], minimumAge: 18, childrenAccepted: false },
      });
      expect((await read(t, '/directory/agencies', 'frontline.social')).map((a: { id: string }) => a.id)).not.toContain(
        REFUGE_ORGANIZATION,
      );
    });

    it('never suggests the women-only refuge for a man, and suggests it for a woman as outside the network', async () => {
      const suggestionsFor = async (sex: string) => {
        const caseId = await openCase(t, { person: { demographics: { sex, ageBand: '25-59', languages: ['ha'] } } });
        return read(t, `/cases/${caseId}/referral-suggestions?serviceType=shelter`);
      };
      const forAMan = await suggestionsFor('male');
      expect(JSON.stringify(forAMan)).not.toContain(REFUGE_SERVICE);
      const forAWoman = await suggestionsFor('female');
      expect(forAWoman.outsideNetwork).toEqual([
        expect.objectContaining({
          serviceId: REFUGE_SERVICE,
          outsideNetwork: true,
          howToRefer: expect.stringMatching(/^outside the network/),
        }),
      ]);
      expect(forAWoman.suggestions.map((s: { serviceId: string }) => s.serviceId)).not.toContain(REFUGE_SERVICE);
    });

    it("names the network's own women-only shelter apart, with why in words and in codes, instead of suggesting it for a man", async () => {
      const shelterId = await t.agencyId('Shelter');
      const shelterIn = async (sex: string) => {
        const caseId = await openCase(t, { person: { demographics: { sex, ageBand: '25-59', languages: ['ha'] } } });
        const answer = await read(t, `/cases/${caseId}/referral-suggestions?serviceType=shelter`);
        const of = (list: Array<{ agencyId: string }>) => list.filter((s) => s.agencyId === shelterId);
        return { suggested: of(answer.suggestions), notEligible: of(answer.notEligible) };
      };
      expect(await shelterIn('male')).toEqual({
        suggested: [],
        notEligible: [
          expect.objectContaining({
            agencyId: shelterId,
            eligibilityGaps: ['accepts female only'],
            eligibilityGapCodes: [{ rule: 'sex', accepted: ['female'] }],
          }),
        ],
      });
      expect(await shelterIn('female')).toEqual({ suggested: [expect.objectContaining({ agencyId: shelterId })], notEligible: [] });
    });

    it('refuses a referral to a listed organization with why', async () => {
      const caseId = await openCase(t);
      const refused = await post(t, `/cases/${caseId}/referrals`, {
        toAgencyId: REFUGE_ORGANIZATION,
        purpose: 'service_provision',
        serviceType: 'shelter',
        sharedCategories: ['identity'],
      });
      expect([refused.status, refused.headers['content-type']]).toEqual([409, expect.stringMatching(/^application\/problem\+json/)]);
      expect(refused.body.detail).toBe(
        `toAgencyId: organization ${REFUGE_ORGANIZATION} is listed in the directory but is outside the network: refer by phone/e-mail, nothing is shared through this service`,
      );
    });

    it('lets a coordinator make a listed organization a member agency, its services with it', async () => {
      const made = await post(
        t,
        `/directory/organizations/${CLINIC_ORGANIZATION}/membership`,
        { kind: 'legal_aid' },
        'coordinator.justice',
      );
      expect(made.status).toBe(200);
      expect(made.body).toMatchObject({
        id: CLINIC_ORGANIZATION,
        kind: 'legal_aid',
        services: [expect.objectContaining({ serviceType: 'legal_assistance' })],
      });
      expect((await read(t, '/directory/agencies', 'frontline.social')).map((a: { id: string }) => a.id)).toContain(CLINIC_ORGANIZATION);
      expect(
        (await post(t, `/directory/organizations/${CLINIC_ORGANIZATION}/membership`, { kind: 'legal_aid' }, 'coordinator.justice')).status,
      ).toBe(404);
    });

    it('refuses a membership whose kind may not offer its services, and writes nothing', async () => {
      const refused = await post(
        t,
        `/directory/organizations/${REFUGE_ORGANIZATION}/membership`,
        { kind: 'law_enforcement' },
        'coordinator.justice',
      );
      expect(refused.status).toBe(422);
      expect((await read(t, '/directory/hsds/organizations?search=Safe%20Haven', 'frontline.social')).contents[0]).not.toHaveProperty(
        'attributes',
        [expect.objectContaining({ value: 'law_enforcement' })],
      );
      expect((await read(t, '/directory/agencies', 'frontline.social')).map((a: { id: string }) => a.id)).not.toContain(
        REFUGE_ORGANIZATION,
      );
    });

    it('answers the HSDS 3.0 API with pages, search, and no street address of a confidential location', async () => {
      const page = await read(t, '/directory/hsds/services?search=refuge&per_page=1', 'admin.social');
      expect(page).toMatchObject({ total_items: 1, page_number: 1, size: 1, first_page: true, last_page: true, empty: false });
      expect(page.contents[0]).toMatchObject({ id: REFUGE_SERVICE, organization: { id: REFUGE_ORGANIZATION } });
      const organizations = await read(t, '/directory/hsds/organizations?per_page=2&page=2', 'auditor.justice');
      expect(organizations).toMatchObject({ page_number: 2, size: 2, first_page: false, contents: expect.any(Array) });
      const atLocations = await read(t, '/directory/hsds/service_at_locations?search=refuge', 'frontline.social');
      expect(atLocations.contents[0].location.addresses[0]).toMatchObject({ address_1: '', postal_code: '', city: 'Maiduguri' });
      const everything = JSON.stringify([atLocations, await read(t, '/directory/hsds', 'frontline.social')]);
      expect(everything).not.toMatch(/Quiet Lane|600001|11\.8311/);
      expect(everything).toContain('3 Court Road');
    });

    it('answers a body that is no HSDS shape with 400 problem+json', async () => {
      const refused = await post(
        t,
        '/directory/hsds/import',
        [{ id: 'x', colour: 'red' }] as unknown as Record<string, unknown>,
        'coordinator.justice',
      );
      expect([refused.status, refused.body.detail]).toEqual([
        400,
        '/0 is not an HSDS organization, service, location, service_at_location, taxonomy or taxonomy_term',
      ]);
    });
  });
}
