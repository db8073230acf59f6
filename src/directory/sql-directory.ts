import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ServiceType } from '../../libs/consent-policy/index.js';
import type { SqlClient, SqlDatabase } from '../../libs/sql/index.js';
import { MemberAgencies } from '../identity/member-agencies.js';
import { SQL_DATABASE } from '../platform/persistence.module.js';
import {
  type AgencyProfile,
  type AgencyRecord,
  type DirectoryContent,
  type HsdsExtra,
  type ListedOrganizationRecord,
  type LocationRecord,
  OUTSIDE_NETWORK,
  type ServiceRecord,
  type Subcommittee,
} from './directory.model.js';
import {
  jsonOrNull,
  listedRecord,
  type ListedOrganizationRow,
  type LocationRow,
  PROFILES,
  type ProfileRow,
  type ServiceRow,
  agencyRecord,
  locationRecord,
  serviceRecord,
  upsertService,
} from './directory-rows.js';
import { writeContentRows } from './directory-content-rows.js';
import { DIRECTORY_SCHEMA } from './directory.schema.js';
import type { ListedOffer, ServiceDirectory, ServiceOffer } from './service-directory.port.js';

export type LocationView = Pick<LocationRecord, 'id' | 'name' | 'locality' | 'region' | 'country'>;
/** A service as the directory's own routes show it: the port's offer, its description and where it is offered. */
export type ServiceEntry = ServiceOffer & { readonly description: string; readonly locations: readonly LocationView[] };
export interface ServiceQuery {
  readonly serviceType?: ServiceType;
  readonly agencyId?: string;
  readonly area?: string;
  readonly serviceId?: string;
}

/** The phone numbers, e-mail addresses and websites HSDS records carry, to refer someone to a listed organization by. */
function contactsOf(...records: ReadonlyArray<HsdsExtra | undefined>) {
  const strings = (values: unknown[]) => [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0))];
  const all = records.filter((r): r is HsdsExtra => r !== undefined);
  return {
    phones: strings(all.flatMap((r) => (Array.isArray(r.phones) ? r.phones.map((p) => (p as { number?: unknown }).number) : []))),
    emails: strings(all.map((r) => r.email)),
    websites: strings(all.flatMap((r) => [r.url, r.website])),
  };
}

/** A location as a service names it: by its name within the agency. */
export type NamedLocation = Omit<LocationRecord, 'id' | 'agencyId'>;

/** The directory in SQL (PGlite or PostgreSQL): the ServiceDirectory port for the rest of the app, and the module's own reads and writes. */
@Injectable()
export class SqlDirectory implements ServiceDirectory {
  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly members: MemberAgencies,
  ) {}

  migrate(): Promise<void> {
    return this.db.exec(DIRECTORY_SCHEMA);
  }

  async offers(query: { serviceType: ServiceType; agencyId?: string; area?: string }): Promise<ServiceOffer[]> {
    return (await this.entries(query)).map(({ description: _description, locations: _locations, ...offer }) => offer);
  }

  /** Services with their agency and locations, by agency name then service name. */
  async entries(query: ServiceQuery): Promise<ServiceEntry[]> {
    const services = await this.db.query<ServiceRow & { agency_subcommittees: Subcommittee[] }>(
      `SELECT s.*, coalesce(p.subcommittees, '{}') AS agency_subcommittees
       FROM directory_services s LEFT JOIN directory_agency_profiles p ON p.agency_id = s.agency_id
       WHERE ($1::text IS NULL OR s.service_type = $1::text)
         AND ($2::uuid IS NULL OR s.agency_id = $2::uuid)
         AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM unnest(s.areas) AS area WHERE lower(area) = lower($3::text)))
         AND ($4::uuid IS NULL OR s.id = $4::uuid)
         AND s.agency_id IS NOT NULL AND s.service_type IS NOT NULL
       ORDER BY s.name, s.id`,
      [query.serviceType ?? null, query.agencyId ?? null, query.area ?? null, query.serviceId ?? null],
    );
    // By agency name, then service name: the agencies come by name, and the sort keeps the services' order within each.
    const agencies = await this.members.byIds(services.map((s) => s.agency_id!));
    const rank = new Map(agencies.map((a, index) => [a.id, { agency: a, index }]));
    const rows = services
      .filter((s) => rank.has(s.agency_id!))
      .sort((a, b) => rank.get(a.agency_id!)!.index - rank.get(b.agency_id!)!.index);
    const locations = await this.db.query<LocationRow & { service_id: string }>(
      `SELECT sl.service_id, l.* FROM directory_service_locations sl JOIN directory_locations l ON l.id = sl.location_id
       WHERE sl.service_id = ANY($1::uuid[]) ORDER BY l.name`,
      [rows.map((r) => r.id)],
    );
    return rows.map((row) => {
      const {
        id: serviceId,
        agencyId,
        name: serviceName,
        description,
        serviceType,
        hsds: _hsds,
        confidential: _c,
        ...rest
      } = serviceRecord(row);
      const { agency } = rank.get(agencyId)!;
      return {
        serviceId,
        serviceName,
        serviceType: serviceType!,
        agencyId,
        agencyName: agency.name,
        agencyKind: agency.kind,
        agencyActive: agency.active,
        agencySubcommittees: row.agency_subcommittees,
        ...rest,
        description,
        locations: locations
          .filter((l) => l.service_id === serviceId)
          .map(({ id, name, locality, region, country }) => ({ id, name, locality, region, country })),
      };
    });
  }

  /**
   * Services of organizations outside the network (of a type, serving an area), by organization
   * name then service name, with how to reach them: never a referral through the service.
   */
  async listedOffers(query: { serviceType?: ServiceType; area?: string }): Promise<ListedOffer[]> {
    const rows = await this.db.query<ServiceRow & { organization_name: string; organization_hsds: HsdsExtra | null }>(
      `SELECT s.*, o.name AS organization_name, o.hsds AS organization_hsds
       FROM directory_services s JOIN directory_listed_organizations o ON o.id = s.listed_organization_id
       WHERE ($1::text IS NULL OR s.service_type = $1::text)
         AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM unnest(s.areas) AS area WHERE lower(area) = lower($2::text)))
       ORDER BY o.name, s.name, s.id`,
      [query.serviceType ?? null, query.area ?? null],
    );
    return rows.map((row) => {
      const { id: serviceId, agencyId: organizationId, name: serviceName, hsds, confidential: _c, ...rest } = serviceRecord(row);
      return {
        serviceId,
        serviceName,
        organizationId,
        organizationName: row.organization_name,
        outsideNetwork: true as const,
        howToRefer: OUTSIDE_NETWORK,
        contact: contactsOf(hsds, row.organization_hsds ?? undefined),
        agencyActive: true,
        ...rest,
      };
    });
  }

  /** An organization of an imported directory that is not a member of the network. */
  async listedOrganization(id: string): Promise<ListedOrganizationRecord | undefined> {
    const [row] = await this.db.query<ListedOrganizationRow>('SELECT * FROM directory_listed_organizations WHERE id = $1', [id]);
    return row && listedRecord(row);
  }

  /**
   * Makes a listed organization a member agency of this kind, with the same id, its services and
   * locations now the agency's; `check` may refuse (throw) after seeing its services. Undefined when
   * no listed organization has this id.
   */
  membership(id: string, kind: AgencyRecord['kind'], check: (services: readonly ServiceRecord[]) => void): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<ListedOrganizationRow>('SELECT * FROM directory_listed_organizations WHERE id = $1 FOR UPDATE', [id]);
      if (!row) return false;
      check((await tx.query<ServiceRow>('SELECT * FROM directory_services WHERE listed_organization_id = $1', [id])).map(serviceRecord));
      await this.members.save({ id, name: row.name, kind }, tx);
      await tx.query(
        `INSERT INTO directory_agency_profiles (agency_id, description, hsds) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (agency_id) DO UPDATE SET description = EXCLUDED.description, hsds = EXCLUDED.hsds`,
        [id, row.description, JSON.stringify(row.hsds ?? {})],
      );
      for (const table of ['directory_services', 'directory_locations'])
        await tx.query(`UPDATE ${table} SET agency_id = $1, listed_organization_id = NULL WHERE listed_organization_id = $1`, [id]);
      await tx.query('DELETE FROM directory_listed_organizations WHERE id = $1', [id]);
      return true;
    });
  }

  /** Every member agency, active or not, by name, with its profile. */
  async agencies(client: SqlClient = this.db): Promise<AgencyRecord[]> {
    const members = await this.members.all(client);
    const profiles = new Map((await client.query<ProfileRow>(PROFILES)).map((p) => [p.agency_id, p]));
    return members.map((member) => agencyRecord(member, profiles.get(member.id)));
  }

  async agency(agencyId: string): Promise<AgencyRecord | undefined> {
    const member = await this.members.find(agencyId);
    if (!member) return undefined;
    const [profile] = await this.db.query<ProfileRow>(`${PROFILES} WHERE agency_id = $1`, [agencyId]);
    return agencyRecord(member, profile);
  }

  async service(serviceId: string): Promise<ServiceRecord | undefined> {
    const [row] = await this.db.query<ServiceRow>('SELECT * FROM directory_services WHERE id = $1', [serviceId]);
    return row && serviceRecord(row);
  }

  /** Every agency (inactive ones included), service, location and service_at_location. */
  async content(client: SqlClient = this.db): Promise<DirectoryContent> {
    const services = await client.query<ServiceRow>('SELECT * FROM directory_services ORDER BY name, id');
    const locations = await client.query<LocationRow>('SELECT * FROM directory_locations ORDER BY name, id');
    const links = await client.query<{ id: string; service_id: string; location_id: string; hsds: HsdsExtra | null }>(
      'SELECT * FROM directory_service_locations ORDER BY id',
    );
    const listed = await client.query<ListedOrganizationRow>('SELECT * FROM directory_listed_organizations ORDER BY name, id');
    return {
      agencies: await this.agencies(client),
      listedOrganizations: listed.map(listedRecord),
      services: services.map(serviceRecord),
      locations: locations.map(locationRecord),
      serviceLocations: links.map((l) => ({
        id: l.id,
        serviceId: l.service_id,
        locationId: l.location_id,
        ...(l.hsds === null ? {} : { hsds: l.hsds }),
      })),
    };
  }

  /** A read and a write of the whole directory in one transaction: an import decides against the state it writes over. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** `hsds`: what an imported record carried besides; a profile saved without it keeps what an import brought. */
  saveProfile(agencyId: string, profile: AgencyProfile & { hsds?: HsdsExtra }, client: SqlClient = this.db): Promise<unknown> {
    return client.query(
      `INSERT INTO directory_agency_profiles (agency_id, description, subcommittees, areas_served, hsds) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (agency_id) DO UPDATE SET description = EXCLUDED.description, subcommittees = EXCLUDED.subcommittees,
         areas_served = EXCLUDED.areas_served, hsds = coalesce(EXCLUDED.hsds, directory_agency_profiles.hsds)`,
      [agencyId, profile.description, profile.subcommittees, profile.areasServed, jsonOrNull(profile.hsds)],
    );
  }

  /** Creates or replaces a service, and offers it at exactly these locations of its agency (created or updated by name). */
  saveService(service: ServiceRecord, locations: readonly NamedLocation[]): Promise<void> {
    return this.db.transaction(async (tx) => {
      await upsertService(tx, service);
      const locationIds: string[] = [];
      for (const location of locations) {
        const { id } = (
          await tx.query<{ id: string }>(
            `INSERT INTO directory_locations (id, agency_id, name, locality, region, country) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (agency_id, name) DO UPDATE SET locality = EXCLUDED.locality, region = EXCLUDED.region, country = EXCLUDED.country RETURNING id`,
            [randomUUID(), service.agencyId, location.name, location.locality, location.region, location.country],
          )
        )[0]!;
        locationIds.push(id);
      }
      await tx.query('DELETE FROM directory_service_locations WHERE service_id = $1 AND NOT (location_id = ANY($2::uuid[]))', [
        service.id,
        locationIds,
      ]);
      for (const locationId of locationIds) {
        await tx.query(
          'INSERT INTO directory_service_locations (id, service_id, location_id) VALUES ($1, $2, $3) ON CONFLICT (service_id, location_id) DO NOTHING',
          [randomUUID(), service.id, locationId],
        );
      }
    });
  }

  /** Reads the service locked, lets `decide` give its new capacity (or throw), and stores it; undefined when there is no such service. */
  setCapacity(
    serviceId: string,
    decide: (service: ServiceRecord) => NonNullable<ServiceRecord['capacity']>,
  ): Promise<ServiceRecord | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<ServiceRow>('SELECT * FROM directory_services WHERE id = $1 FOR UPDATE', [serviceId]);
      if (!row) return undefined;
      const capacity = decide(serviceRecord(row));
      const [updated] = await tx.query<ServiceRow>(
        'UPDATE directory_services SET capacity_total = $2, capacity_available = $3 WHERE id = $1 RETURNING *',
        [serviceId, capacity.total, capacity.available],
      );
      return serviceRecord(updated!);
    });
  }

  /** Upserts by id everything in `content` (an import, or the demo seed), within the caller's transaction. */
  async write(tx: SqlClient, content: DirectoryContent): Promise<void> {
    for (const agency of content.agencies) {
      await this.members.save(agency, tx);
      await this.saveProfile(agency.id, agency, tx);
    }
    await writeContentRows(tx, content);
  }
}
