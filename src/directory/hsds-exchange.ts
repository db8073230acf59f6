import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { type SqlClient, UNIQUE_VIOLATION, sqlState } from '../../libs/sql/index.js';
import { KindOfProblem } from '../platform/problem-catalogue.js';
import type { HsdsPageQueryDto } from './directory.dtos.js';
import { type HsdsDirectory, fromHsds, toHsds } from './hsds.js';
import type { IgnoredPart } from './hsds-import.js';
import { HsdsSchemas } from './hsds-schemas.js';
import { normalizeHsds } from './hsds-shapes.js';
import { SqlDirectory } from './sql-directory.js';

/** Enough to fix a file by; a report of a 2 MB file's every field would be larger than the file. */
const MAX_REPORTED = 1000;

/** A page of the HSDS 3.0 API. */
export interface HsdsPage {
  readonly total_items: number;
  readonly total_pages: number;
  readonly page_number: number;
  readonly size: number;
  readonly first_page: boolean;
  readonly last_page: boolean;
  readonly empty: boolean;
  readonly contents: readonly object[];
}

export interface ImportSummary {
  readonly imported: {
    readonly organizations: number;
    readonly listed_organizations: number;
    readonly services: number;
    readonly locations: number;
    readonly service_at_locations: number;
  };
  /** What the document held that was not kept or not used, and why. */
  readonly ignored: readonly IgnoredPart[];
  readonly truncated?: true;
}

let compiled: HsdsSchemas | undefined;

/** The directory as HSDS 3.0 JSON: the export, and the all-or-nothing import that upserts by id. */
@Injectable()
export class HsdsExchange {
  /**
   * Compiled at the first import, once per process (they are read-only): a second of CPU, which the
   * demo network's first start spends and any later application in the same process (the tests
   * start many) does not. The unit tests compile them all, so a keyword the validator does not know
   * still fails before a release.
   */
  private get schemas(): HsdsSchemas {
    return (compiled ??= HsdsSchemas.load());
  }

  constructor(private readonly store: SqlDirectory) {}

  async export(): Promise<HsdsDirectory> {
    return toHsds(await this.store.content());
  }

  /**
   * A page of the HSDS 3.0 API (GET /services, /organizations, /service_at_locations): records in
   * the compiled shape the HSDS OpenAPI gives them (a service with its organization, a
   * service_at_location with its service and location), from the export, so what it withholds is withheld here too.
   */
  async page(collection: 'services' | 'organizations' | 'service_at_locations', query: HsdsPageQueryDto): Promise<HsdsPage> {
    const hsds = await this.export();
    const byId = <T extends { id: string }>(records: readonly T[]) => new Map(records.map((r) => [r.id, r]));
    const organizations = byId(hsds.organizations);
    const services = byId(hsds.services);
    const locations = byId(hsds.locations);
    const records: ReadonlyArray<{ name?: string; description?: string; id: string }> =
      collection === 'organizations'
        ? hsds.organizations
        : collection === 'services'
          ? hsds.services.map((s) => ({ ...s, organization: organizations.get(s.organization_id ?? '') }))
          : hsds.service_at_locations.map((sl) => ({
              ...sl,
              name: services.get(sl.service_id ?? '')?.name,
              service: services.get(sl.service_id ?? ''),
              location: locations.get(sl.location_id ?? ''),
            }));
    const search = query.search?.toLowerCase();
    const found = search ? records.filter((r) => [r.name, r.description].some((text) => text?.toLowerCase().includes(search))) : records;
    const size = query.per_page ?? 50;
    const pageNumber = query.page ?? 1;
    const totalPages = Math.max(1, Math.ceil(found.length / size));
    const contents = found
      .slice((pageNumber - 1) * size, pageNumber * size)
      // The service name lent to a service_at_location for the search is not an HSDS field of it.
      .map((r) => (collection === 'service_at_locations' ? (({ name: _name, ...sl }) => sl)(r) : r));
    return {
      total_items: found.length,
      total_pages: totalPages,
      page_number: pageNumber,
      size,
      first_page: pageNumber === 1,
      last_page: pageNumber >= totalPages,
      empty: contents.length === 0,
      contents,
    };
  }

  /**
   * Reads any HSDS 3.0 shape a publisher posts (see normalizeHsds), checks every record against the
   * directory as it is inside the transaction that writes them, and writes them all, or nothing and
   * a 422 listing each invalid record and field. `tx`: the caller's transaction (the demo seed's), else one of its own.
   */
  async import(body: unknown, tx?: SqlClient): Promise<ImportSummary> {
    const document = normalizeHsds(body);
    if ('malformed' in document) throw new BadRequestException(document.malformed);
    const run = async (client: SqlClient): Promise<ImportSummary> => {
      const outcome = fromHsds(
        document.records,
        await this.store.content(client),
        (kind, record) => this.schemas.violations(kind, record, document.tabular),
        document.sources,
      );
      if ('invalid' in outcome) {
        const records = new Set(outcome.invalid.map((i) => i.record)).size;
        throw new KindOfProblem('rule-violated', `${records} record(s) are invalid; nothing was imported`, {
          invalid: outcome.invalid.slice(0, MAX_REPORTED),
          ...(outcome.invalid.length > MAX_REPORTED ? { truncated: true } : {}),
        });
      }
      await this.store.write(client, outcome.content);
      const { agencies, listedOrganizations, services, locations, serviceLocations } = outcome.content;
      const ignored = [...document.ignored, ...outcome.ignored];
      return {
        imported: {
          organizations: agencies.length,
          listed_organizations: listedOrganizations.length,
          services: services.length,
          locations: locations.length,
          service_at_locations: serviceLocations.length,
        },
        ignored: ignored.slice(0, MAX_REPORTED),
        ...(ignored.length > MAX_REPORTED ? { truncated: true as const } : {}),
      };
    };
    try {
      return await (tx ? run(tx) : this.store.transaction(run));
    } catch (error) {
      // Names are checked above; only a concurrent change, or names swapped within the file, gets here.
      if (sqlState(error) === UNIQUE_VIOLATION)
        throw new ConflictException('a name in the file is taken in the directory meanwhile or within the file; nothing was imported');
      throw error;
    }
  }
}
