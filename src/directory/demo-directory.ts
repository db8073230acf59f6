import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ServiceType } from '../../libs/consent-policy/index.js';
import type { SqlClient } from '../../libs/sql/index.js';
import type { DemoAgency, DemoAgencyKey, DemoNetworkExtension } from '../identity/demo-network.js';
import type { AgencyProfile, DirectoryContent, LocationRecord, ServiceRecord } from './directory.model.js';
import { toHsds } from './hsds.js';
import { HsdsExchange } from './hsds-exchange.js';

const BORNO = { region: 'Borno', country: 'NG' } as const;
const ALL_AREAS = ['Maiduguri', 'Jere', 'Konduga', 'Bama'];
/** Hausa, Kanuri, English: what most people and staff of the demo network speak. */
const LANGUAGES = ['ha', 'kr', 'en'];

const PROFILES: Readonly<Record<DemoAgencyKey, AgencyProfile>> = {
  social: {
    description: 'State social welfare: case management, in-depth interviews by trained caseworkers, material and psychosocial support.',
    subcommittees: ['protection'],
    areasServed: ['Maiduguri', 'Jere'],
  },
  justice: {
    description: 'Prosecution of trafficking offences; co-chairs the task force.',
    subcommittees: ['prosecution'],
    areasServed: ['Maiduguri'],
  },
  police: {
    description: 'Human trafficking desk: personal safety of persons at risk.',
    subcommittees: ['prosecution'],
    areasServed: ['Maiduguri', 'Jere', 'Konduga'],
  },
  shelter: {
    description: 'Safe accommodation for women and girls; the address is given on referral only.',
    subcommittees: ['protection'],
    areasServed: ['Maiduguri'],
  },
  ngo: {
    description: 'Community prevention work, livelihoods, education and food support.',
    subcommittees: ['prevention', 'protection'],
    areasServed: ['Konduga', 'Bama'],
  },
  legal: { description: 'Free legal assistance and access to justice.', subcommittees: [], areasServed: ['Maiduguri', 'Jere'] },
  clinic: { description: 'Primary health care and psychosocial support.', subcommittees: ['protection'], areasServed: ['Maiduguri'] },
  intl: { description: 'Water, sanitation and hygiene, and material assistance in camps.', subcommittees: [], areasServed: ALL_AREAS },
  un: { description: 'Livelihoods programmes and interpretation.', subcommittees: [], areasServed: ALL_AREAS },
  redcross: { description: 'Restoring family links: family tracing and reunification.', subcommittees: [], areasServed: ALL_AREAS },
};

/** Each agency's sites, by locality only. */
const SITES: Readonly<Partial<Record<DemoAgencyKey, ReadonlyArray<{ name: string; locality: string }>>>> = {
  social: [{ name: 'State social welfare office', locality: 'Maiduguri' }],
  police: [{ name: 'Human trafficking desk', locality: 'Maiduguri' }],
  shelter: [{ name: 'Shelter (address given on referral)', locality: 'Maiduguri' }],
  ngo: [
    { name: 'Konduga community centre', locality: 'Konduga' },
    { name: 'Bama outreach point', locality: 'Bama' },
  ],
  legal: [{ name: 'Legal aid office', locality: 'Maiduguri' }],
  clinic: [{ name: 'Community clinic', locality: 'Maiduguri' }],
  intl: [{ name: 'Field office', locality: 'Maiduguri' }],
  un: [{ name: 'Country office, field unit', locality: 'Maiduguri' }],
  redcross: [{ name: 'State branch office', locality: 'Maiduguri' }],
};

/** A demo service serves its agency's areas, speaks the demo languages and takes anyone unless it says otherwise. */
type DemoService = Pick<ServiceRecord, 'name' | 'serviceType' | 'description' | 'capacity'> & {
  readonly eligibility?: Partial<ServiceRecord['eligibility']>;
};
const offer = (serviceType: ServiceType, name: string, description: string, more: Partial<DemoService> = {}): DemoService => ({
  serviceType,
  name,
  description,
  ...more,
});

/** Police and the ministry of justice offer nothing else: assistance never depends on cooperating with them. */
const SERVICES: Readonly<Partial<Record<DemoAgencyKey, readonly DemoService[]>>> = {
  social: [
    offer('in_depth_interview', 'In-depth interview', "A trained caseworker's interview after screening, with the person's consent."),
    offer('material_assistance', 'Material assistance', 'Clothing, hygiene kits and essential items.'),
    offer('mhpss', 'Psychosocial support', 'Individual and group psychosocial support.'),
  ],
  shelter: [
    offer('shelter', 'Safe shelter for women and girls', 'Temporary safe accommodation with meals and a caseworker.', {
      capacity: { total: 12, available: 3 },
      eligibility: { sexes: ['female'] },
    }),
  ],
  clinic: [
    offer('medical', 'Medical care', 'Primary health care, clinical management and referral to hospital.'),
    offer('mhpss', 'Mental health care', 'Counselling and mental health care by clinic staff.'),
  ],
  legal: [offer('legal_assistance', 'Legal assistance', 'Advice, representation and help with documents.')],
  ngo: [
    offer('livelihoods', 'Livelihood support', 'Vocational skills and start-up kits for adults.', {
      eligibility: { minimumAge: 18, childrenAccepted: false },
    }),
    offer('education_and_training', 'Education and training', 'Catch-up classes and training for young people.', {
      eligibility: { maximumAge: 24 },
    }),
    offer('food_and_nutrition', 'Food and nutrition', 'Food baskets and nutrition screening.'),
  ],
  intl: [
    offer('wash', 'Water, sanitation and hygiene', 'Safe water, latrines and hygiene items in camps.'),
    offer('material_assistance', 'Non-food items', 'Household items and dignity kits.'),
  ],
  un: [
    offer('livelihoods', 'Livelihoods programme', 'Cash-for-work and small business grants.', {
      eligibility: { minimumAge: 18, childrenAccepted: false },
    }),
    offer('interpretation', 'Interpretation', 'Interpreters for interviews and appointments.', {
      eligibility: { languages: ['ha', 'kr', 'ff', 'ar', 'en', 'fr'] },
    }),
  ],
  redcross: [
    offer('family_tracing_and_reunification', 'Restoring family links', 'Tracing of family members and reunification where safe.'),
  ],
  police: [offer('personal_safety', 'Personal safety', 'Protection of a person at risk; never a condition of any other service.')],
};

/** The demo network's directory (fictional), imported through the HSDS import like any other file. */
export function demoDirectory(agencies: readonly DemoAgency[]): DirectoryContent {
  const services: ServiceRecord[] = [];
  const locations: LocationRecord[] = [];
  const serviceLocations: Array<DirectoryContent['serviceLocations'][number]> = [];
  for (const agency of agencies) {
    const sites = (SITES[agency.key] ?? []).map((site) => ({ id: randomUUID(), agencyId: agency.id, ...site, ...BORNO }));
    locations.push(...sites);
    for (const { eligibility, ...service } of SERVICES[agency.key] ?? []) {
      const id = randomUUID();
      services.push({
        id,
        agencyId: agency.id,
        status: 'active',
        areas: PROFILES[agency.key].areasServed,
        ...service,
        eligibility: { sexes: [], childrenAccepted: true, languages: LANGUAGES, ...eligibility },
      });
      serviceLocations.push(...sites.map((site) => ({ id: randomUUID(), serviceId: id, locationId: site.id })));
    }
  }
  return {
    agencies: agencies.map(({ id, name, kind, key }) => ({ id, name, kind, active: true, ...PROFILES[key] })),
    listedOrganizations: [],
    services,
    locations,
    serviceLocations,
  };
}

@Injectable()
export class DemoDirectory implements DemoNetworkExtension {
  constructor(private readonly exchange: HsdsExchange) {}

  async seed(tx: SqlClient, agencies: readonly DemoAgency[]): Promise<void> {
    await this.exchange.import(toHsds(demoDirectory(agencies)), tx);
  }
}
