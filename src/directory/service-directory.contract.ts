import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { AgencyRecord, ServiceRecord } from './directory.model.js';
import type { ServiceDirectory, ServiceOffer } from './service-directory.port.js';

export interface OpenedDirectory {
  readonly directory: ServiceDirectory;
  /** Puts these agencies (active or not) and their services in place, through the adapter's own means. */
  given(agencies: readonly AgencyRecord[], services: readonly ServiceRecord[]): Promise<void>;
  close(): Promise<void>;
}

const agency = (name: string, more: Partial<AgencyRecord> = {}): AgencyRecord => ({
  id: randomUUID(),
  name,
  kind: 'national_ngo',
  active: true,
  description: '',
  subcommittees: [],
  areasServed: [],
  ...more,
});
const service = (of: AgencyRecord, name: string, more: Partial<ServiceRecord> = {}): ServiceRecord => ({
  id: randomUUID(),
  agencyId: of.id,
  name,
  serviceType: 'shelter',
  description: `${name}, described`,
  status: 'active',
  areas: ['Maiduguri'],
  eligibility: { sexes: [], childrenAccepted: true, languages: [] },
  ...more,
});
const offerOf = (s: ServiceRecord, a: AgencyRecord): ServiceOffer => ({
  serviceId: s.id,
  serviceName: s.name,
  serviceType: s.serviceType!,
  agencyId: a.id,
  agencyName: a.name,
  agencyKind: a.kind,
  agencyActive: a.active,
  agencySubcommittees: a.subcommittees,
  status: s.status,
  areas: s.areas,
  eligibility: s.eligibility,
  ...(s.capacity ? { capacity: s.capacity } : {}),
});

/** What every adapter of the ServiceDirectory port must answer; no SQL here. */
export function serviceDirectoryContract(name: string, open: () => Promise<OpenedDirectory>): void {
  describe(`ServiceDirectory contract: ${name}`, () => {
    let opened: OpenedDirectory;
    const shelterNgo = agency('B shelter network', { kind: 'shelter', subcommittees: ['prevention', 'protection'] });
    const clinic = agency('A clinic', { kind: 'health' });
    const closed = agency('C agency no longer a member', { active: false });
    const beds = service(shelterNgo, 'Beds for women and girls', {
      areas: ['Maiduguri', 'Jere'],
      capacity: { total: 12, available: 0 },
      eligibility: { sexes: ['female'], minimumAge: 12, maximumAge: 60, childrenAccepted: true, languages: ['ha', 'kr'] },
    });
    const night = service(shelterNgo, 'Accommodation at night', { status: 'temporarily closed', areas: ['Bama'] });
    const clinicBeds = service(clinic, 'Recovery beds', { status: 'defunct', areas: ['maiduguri'] });
    const oldBeds = service(closed, 'Old beds', { status: 'inactive' });
    const medical = service(clinic, 'Medical care', {
      serviceType: 'medical',
      eligibility: { sexes: [], maximumAge: 17, childrenAccepted: true, languages: ['en'] },
    });

    beforeEach(async () => {
      opened = await open();
      await opened.given([shelterNgo, clinic, closed], [beds, night, clinicBeds, oldBeds, medical]);
    });
    afterEach(() => opened.close());

    it('offers the services of a type, of any status and agency, by agency name then service name', async () => {
      expect(await opened.directory.offers({ serviceType: 'shelter' })).toEqual([
        offerOf(clinicBeds, clinic),
        offerOf(night, shelterNgo),
        offerOf(beds, shelterNgo),
        offerOf(oldBeds, closed),
      ]);
    });

    it('gives eligibility and capacity exactly, and leaves out what a service does not say', async () => {
      const [offer] = await opened.directory.offers({ serviceType: 'medical' });
      expect(offer).toEqual(offerOf(medical, clinic));
      expect(Object.keys(offer!.eligibility).sort()).toEqual(['childrenAccepted', 'languages', 'maximumAge', 'sexes']);
      expect('capacity' in offer!).toBe(false);
    });

    it('narrows to one agency', async () => {
      expect((await opened.directory.offers({ serviceType: 'shelter', agencyId: shelterNgo.id })).map((o) => o.serviceId)).toEqual([
        night.id,
        beds.id,
      ]);
      expect(await opened.directory.offers({ serviceType: 'shelter', agencyId: randomUUID() })).toEqual([]);
    });

    it('narrows to services serving an area, whatever its case, matching whole names only', async () => {
      expect((await opened.directory.offers({ serviceType: 'shelter', area: 'MAIDUGURI' })).map((o) => o.serviceId)).toEqual([
        clinicBeds.id,
        beds.id,
        oldBeds.id,
      ]);
      expect(
        (await opened.directory.offers({ serviceType: 'shelter', area: 'jere', agencyId: shelterNgo.id })).map((o) => o.serviceId),
      ).toEqual([beds.id]);
      expect(await opened.directory.offers({ serviceType: 'shelter', area: 'Maidu' })).toEqual([]);
    });

    it("tells an inactive agency's services apart, and finds nothing of a type nobody offers", async () => {
      expect((await opened.directory.offers({ serviceType: 'shelter', agencyId: closed.id }))[0]).toMatchObject({
        agencyActive: false,
        status: 'inactive',
      });
      expect(await opened.directory.offers({ serviceType: 'interpretation' })).toEqual([]);
    });
  });
}
