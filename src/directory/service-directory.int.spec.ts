import { testDatabases } from '../../libs/testing/index.js';
import { IDENTITY_SCHEMA } from '../identity/directory.schema.js';
import { MemberAgencies } from '../identity/member-agencies.js';
import { serviceDirectoryContract } from './service-directory.contract.js';
import { SqlDirectory } from './sql-directory.js';

for (const database of testDatabases()) {
  serviceDirectoryContract(`SqlDirectory on ${database.name}`, async () => {
    const db = await database.open();
    await db.exec(IDENTITY_SCHEMA);
    const directory = new SqlDirectory(db, new MemberAgencies(db));
    await directory.migrate();
    return {
      directory,
      async given(agencies, services) {
        await db.transaction((tx) =>
          directory.write(tx, { agencies, listedOrganizations: [], services, locations: [], serviceLocations: [] }),
        );
        // Deactivation is identity's (POST /directory/agencies/:id/deactivation), not the directory's.
        await db.query('UPDATE agencies SET active = false WHERE id = ANY($1::uuid[])', [
          agencies.filter((a) => !a.active).map((a) => a.id),
        ]);
      },
      close: () => db.close(),
    };
  });
}
