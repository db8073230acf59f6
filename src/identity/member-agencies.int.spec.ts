import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { SqlDatabase } from '../../libs/sql/index.js';
import { testDatabases } from '../../libs/testing/index.js';
import { IDENTITY_SCHEMA } from './directory.schema.js';
import { type MemberAgency, MemberAgencies } from './member-agencies.js';
import type { Role } from './roles.js';

for (const database of testDatabases()) {
  describe(`member agencies and their staff (${database.name})`, () => {
    let db: SqlDatabase;
    let members: MemberAgencies;
    const shelter: MemberAgency = { id: randomUUID(), name: 'Borno Shelter', kind: 'shelter', active: true };
    const clinic: MemberAgency = { id: randomUUID(), name: 'Aid Clinic', kind: 'health', active: true };
    const closed: MemberAgency = { id: randomUUID(), name: 'Closed NGO', kind: 'national_ngo', active: false };
    const user = async (agency: MemberAgency, role: Role, active = true) => {
      const id = randomUUID();
      await db.query(
        'INSERT INTO users (id, username, display_name, agency_id, role, password_hash, active) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [id, `user-${id}`, `${role} of ${agency.name}`, agency.id, role, 'not-a-hash', active],
      );
      return id;
    };

    beforeAll(async () => {
      db = await database.open();
      await db.exec(IDENTITY_SCHEMA);
      members = new MemberAgencies(db);
      for (const a of [shelter, clinic, closed]) {
        await db.query('INSERT INTO agencies (id, name, kind, active) VALUES ($1, $2, $3, $4)', [a.id, a.name, a.kind, a.active]);
      }
    });
    afterAll(() => db.close());

    it('finds an agency, active or not', async () => {
      expect(await members.find(closed.id)).toEqual(closed);
    });

    it('finds no agency for an id nobody has', async () => {
      expect(await members.find(randomUUID())).toBeUndefined();
    });

    it('gives the agencies asked for that exist, active or not, by name', async () => {
      expect(await members.byIds([shelter.id, randomUUID(), closed.id, clinic.id, shelter.id])).toEqual([clinic, shelter, closed]);
    });

    it('leaves out an agency that is no longer an active member when only active ones are asked for', async () => {
      expect(await members.activeByIds([shelter.id, closed.id, randomUUID()])).toEqual([shelter]);
    });

    it('counts an active caseworker and an active supervisor of the agency as its case staff', async () => {
      const caseworker = await user(shelter, 'caseworker');
      const supervisor = await user(shelter, 'supervisor');
      expect([await members.isCaseStaff(shelter.id, caseworker), await members.isCaseStaff(shelter.id, supervisor)]).toEqual([true, true]);
    });

    it("does not count other roles, deactivated users or another agency's staff as case staff", async () => {
      const frontline = await user(shelter, 'frontline_worker');
      const former = await user(shelter, 'caseworker', false);
      const elsewhere = await user(clinic, 'caseworker');
      const answers = [frontline, former, elsewhere, randomUUID()].map((id) => members.isCaseStaff(shelter.id, id));
      expect(await Promise.all(answers)).toEqual([false, false, false, false]);
    });

    it('names the users asked for that exist, active or not', async () => {
      const supervisor = await user(clinic, 'supervisor');
      const former = await user(clinic, 'caseworker', false);
      expect(await members.staffNames([supervisor, former, randomUUID()])).toEqual(
        new Map([
          [supervisor, 'supervisor of Aid Clinic'],
          [former, 'caseworker of Aid Clinic'],
        ]),
      );
    });

    it('creates an agency, and renames it without changing its kind', async () => {
      const id = randomUUID();
      await members.save({ id, name: 'New Legal Aid', kind: 'legal_aid' });
      await members.save({ id, name: 'Renamed Legal Aid', kind: 'shelter' });
      expect(await members.find(id)).toEqual({ id, name: 'Renamed Legal Aid', kind: 'legal_aid', active: true });
    });
  });
}
