import { ConflictException, Injectable } from '@nestjs/common';
import { type SqlClient, UNIQUE_VIOLATION, sqlState } from '../../libs/sql/index.js';
import { KindOfProblem } from '../platform/problem-catalogue.js';
import { type HsdsDirectory, type ImportDocument, fromHsds, toHsds } from './hsds.js';
import { HsdsSchemas } from './hsds-schemas.js';
import { SqlDirectory } from './sql-directory.js';

/** Enough to fix a file by; a report of a 2 MB file's every field would be larger than the file. */
const MAX_REPORTED = 1000;

export interface ImportSummary {
  readonly imported: {
    readonly organizations: number;
    readonly services: number;
    readonly locations: number;
    readonly service_at_locations: number;
  };
}

/** The directory as HSDS 3.0 JSON: the export, and the all-or-nothing import that upserts by id. */
@Injectable()
export class HsdsExchange {
  private readonly schemas = HsdsSchemas.load();

  constructor(private readonly store: SqlDirectory) {}

  async export(): Promise<HsdsDirectory> {
    return toHsds(await this.store.content());
  }

  /**
   * Checks every record against the directory as it is inside the transaction that writes them,
   * and writes them all, or nothing and a 422 listing each invalid record and field. `tx`: the
   * caller's transaction (the demo seed's), else one of its own.
   */
  async import(document: ImportDocument, tx?: SqlClient): Promise<ImportSummary> {
    const run = async (client: SqlClient): Promise<ImportSummary> => {
      const outcome = fromHsds(document, await this.store.content(client), (kind, record) => this.schemas.violations(kind, record));
      if ('invalid' in outcome) {
        const records = new Set(outcome.invalid.map((i) => i.record)).size;
        throw new KindOfProblem('rule-violated', `${records} record(s) are invalid; nothing was imported`, {
          invalid: outcome.invalid.slice(0, MAX_REPORTED),
          ...(outcome.invalid.length > MAX_REPORTED ? { truncated: true } : {}),
        });
      }
      await this.store.write(client, outcome.content);
      const { agencies, services, locations, serviceLocations } = outcome.content;
      return {
        imported: {
          organizations: agencies.length,
          services: services.length,
          locations: locations.length,
          service_at_locations: serviceLocations.length,
        },
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
