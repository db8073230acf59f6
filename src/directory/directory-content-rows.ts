/** The SQL writes of an imported directory's listed organizations, services, locations and their links, upserted by id. */
import type { SqlClient } from '../../libs/sql/index.js';
import type { DirectoryContent } from './directory.model.js';
import { jsonOrNull, upsertService } from './directory-rows.js';

/** Everything in `content` but the member agencies, which the caller saves with their profiles, within the caller's transaction. */
export async function writeContentRows(tx: SqlClient, content: DirectoryContent): Promise<void> {
  for (const o of content.listedOrganizations) {
    await tx.query(
      `INSERT INTO directory_listed_organizations (id, name, description, hsds) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, hsds = EXCLUDED.hsds`,
      [o.id, o.name, o.description, jsonOrNull(o.hsds)],
    );
  }
  // An organization is listed if the file or the directory has it so (the import never lists a member agency).
  const listed = new Set(
    (
      await tx.query<{ id: string }>('SELECT id FROM directory_listed_organizations WHERE id = ANY($1::uuid[])', [
        [...new Set([...content.services.map((s) => s.agencyId), ...content.locations.flatMap((l) => (l.agencyId ? [l.agencyId] : []))])],
      ])
    ).map((r) => r.id),
  );
  for (const service of content.services) await upsertService(tx, service, listed.has(service.agencyId));
  for (const l of content.locations) {
    const isListed = l.agencyId !== undefined && listed.has(l.agencyId);
    await tx.query(
      `INSERT INTO directory_locations (id, agency_id, listed_organization_id, name, locality, region, country, hsds)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, locality = EXCLUDED.locality, region = EXCLUDED.region, country = EXCLUDED.country,
         hsds = EXCLUDED.hsds`,
      [
        l.id,
        isListed ? null : (l.agencyId ?? null),
        isListed ? l.agencyId : null,
        l.name,
        l.locality,
        l.region,
        l.country,
        jsonOrNull(l.hsds),
      ],
    );
  }
  for (const link of content.serviceLocations) {
    await tx.query(
      `INSERT INTO directory_service_locations (id, service_id, location_id, hsds) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (id) DO UPDATE SET service_id = EXCLUDED.service_id, location_id = EXCLUDED.location_id, hsds = EXCLUDED.hsds`,
      [link.id, link.serviceId, link.locationId, jsonOrNull(link.hsds)],
    );
  }
}
