import { BadRequestException, ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import type { AgencyKind } from '../../libs/consent-policy/index.js';
import { UNIQUE_VIOLATION, sqlState } from '../../libs/sql/index.js';
import { judicialServiceRefusal, mayOffer } from '../../libs/domain/index.js';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../identity/principal.js';
import { mayPerform } from '../identity/roles.js';
import type { AgencyProfileDto, CapacityUpdateDto, CreateServiceDto, ServiceDto } from './directory.dtos.js';
import type { AgencyProfile, ServiceRecord } from './directory.model.js';
import { type ServiceEntry, type ServiceQuery, SqlDirectory } from './sql-directory.js';

/** One answer for a service that does not exist and for one the caller may not change, so neither tells the other apart. */
const noSuchService = () => new NotFoundException('there is no service with this id that you may change');

/**
 * The directory's rules: whoever may manage the directory (network coordinators) maintains any
 * active agency's profile and services; an agency's admin only its own agency's services; an
 * agency's staff the capacity of its own services.
 */
@Injectable()
export class Directory {
  constructor(private readonly store: SqlDirectory) {}

  async agencies() {
    return (await this.store.agencies()).filter((a) => a.active).map(({ id, name, kind }) => ({ id, name, kind }));
  }

  /** The member agencies' services, then those of listed organizations (outside the network: to be called, not referred to). */
  async services(query: ServiceQuery) {
    const members = await this.store.entries(query);
    if (query.agencyId) return members;
    return [...members, ...(await this.store.listedOffers(query))];
  }

  /** A coordinator makes a listed organization a member agency: its services must be ones an agency of the kind may offer. */
  async makeMember(organizationId: string, kind: AgencyKind) {
    try {
      const made = await this.store.membership(organizationId, kind, (services) => {
        const refused = services.find((s) => s.serviceType && !mayOffer(kind, s.serviceType));
        if (refused) throw new UnprocessableEntityException(`service ${refused.id}: ${judicialServiceRefusal(kind, refused.serviceType!)}`);
      });
      if (!made) throw new NotFoundException('no listed organization has this id');
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION) throw new ConflictException('a member agency has this name already');
      throw error;
    }
    return this.agency(organizationId);
  }

  async agency(agencyId: string) {
    const agency = await this.store.agency(agencyId);
    if (!agency) throw new NotFoundException('no member agency has this id');
    return { ...agency, services: await this.store.entries({ agencyId }) };
  }

  async saveProfile(agencyId: string, body: AgencyProfileDto): Promise<AgencyProfile> {
    if (!(await this.store.agency(agencyId))?.active) throw new NotFoundException('no active member agency has this id');
    const profile = { description: body.description, subcommittees: body.subcommittees, areasServed: body.areasServed };
    await this.store.saveProfile(agencyId, profile);
    return profile;
  }

  async createService(principal: Principal, body: CreateServiceDto): Promise<ServiceEntry> {
    // Lower case as the database returns ids, so an upper-case spelling of one's own agency is still one's own.
    const agencyId = (body.agencyId ?? principal.agencyId).toLowerCase();
    const agency = await this.store.agency(agencyId);
    if (!agency?.active || !this.maintains(principal, agencyId))
      throw new NotFoundException('there is no active member agency with this id whose services you maintain');
    return this.save({ id: randomUUID(), agencyId }, body);
  }

  async updateService(principal: Principal, serviceId: string, body: ServiceDto): Promise<ServiceEntry> {
    const service = await this.store.service(serviceId);
    if (!service || !this.maintains(principal, service.agencyId)) throw noSuchService();
    return this.save(service, body);
  }

  /** Staff of the owning agency say how many places are free (a shelter that is full says 0). */
  async setCapacity(principal: Principal, serviceId: string, body: CapacityUpdateDto) {
    const updated = await this.store.setCapacity(serviceId, (service) => {
      if (service.agencyId !== principal.agencyId) throw noSuchService();
      const total = body.total ?? service.capacity?.total;
      if (total === undefined) throw new BadRequestException('total is needed: the service has no capacity on record yet');
      if (body.available > total) throw new BadRequestException(`available must not be greater than total (${total})`);
      return { total, available: body.available };
    });
    if (!updated) throw noSuchService();
    return { serviceId, capacity: updated.capacity };
  }

  private maintains(principal: Principal, agencyId: string): boolean {
    return agencyId === principal.agencyId || mayPerform(principal.role, 'directory.manage');
  }

  private async save(target: Pick<ServiceRecord, 'id' | 'agencyId'>, body: ServiceDto): Promise<ServiceEntry> {
    const kind = (await this.store.agency(target.agencyId))?.kind;
    if (kind && !mayOffer(kind, body.serviceType)) throw new UnprocessableEntityException(judicialServiceRefusal(kind, body.serviceType));
    const { sexes = [], minimumAge, maximumAge, childrenAccepted, languages = [] } = body.eligibility;
    await this.store.saveService(
      {
        ...target,
        name: body.name,
        serviceType: body.serviceType,
        description: body.description ?? '',
        status: body.status,
        areas: body.areas,
        eligibility: {
          sexes,
          ...(minimumAge === undefined ? {} : { minimumAge }),
          ...(maximumAge === undefined ? {} : { maximumAge }),
          childrenAccepted,
          languages,
        },
        ...(body.capacity ? { capacity: { total: body.capacity.total, available: body.capacity.available } } : {}),
      },
      body.locations ?? [],
    );
    const [entry] = await this.store.entries({ serviceId: target.id });
    return entry!;
  }
}
