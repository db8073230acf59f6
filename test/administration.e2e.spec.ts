import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_DRIVERS, eventually, useTestApp } from './support/test-app.js';
import { consentBody, firstSignIn, openCase, post, read } from './support/case-steps.js';

describe('agency admins manage their users; coordinators manage member agencies (PGlite)', () => {
  const t = useTestApp();

  it("adds a user to the admin's own agency with a one-time password, and deactivation ends their token at once", async () => {
    const created = (
      await t.http
        .post('/agency/users')
        .set(await t.bearer('admin.social'))
        .send({ username: 'caseworker.two', displayName: 'Second caseworker', role: 'caseworker' })
        .expect(201)
    ).body;
    expect(created).toMatchObject({ username: 'caseworker.two', role: 'caseworker', initialPassword: expect.any(String) });
    const token = await firstSignIn(t, 'caseworker.two', created.initialPassword);
    await t.http
      .post('/cases')
      .set('Authorization', `Bearer ${token}`)
      .send({ source: 'hotline', ageGroup: 'adult', indicators: [] })
      .expect(201);
    const listed = (await read(t, '/agency/users', 'admin.social')) as Array<{ username: string }>;
    expect(listed.map((u) => u.username)).toContain('caseworker.two');
    expect(listed.map((u) => u.username)).not.toContain('caseworker.shelter');
    expect(JSON.stringify(listed)).not.toMatch(/password|argon2/);
    await t.http
      .post(`/agency/users/${created.id}/deactivation`)
      .set(await t.bearer('admin.social'))
      .expect(200);
    expect((await t.http.get('/cases').set('Authorization', `Bearer ${token}`)).status).toBe(401);
  });

  it("lists to a supervisor the agency's own active caseworkers and supervisors, whom intake can then give the case to", async () => {
    const added = async (username: string, role: string) =>
      (await post(t, '/agency/users', { username, displayName: `Staff ${username}`, role }, 'admin.social')).body as { id: string };
    const second = await added('caseworker.listed', 'caseworker');
    const frontline = await added('frontline.unlisted', 'frontline_worker');
    const former = await added('caseworker.former', 'caseworker');
    await t.http
      .post(`/agency/users/${former.id}/deactivation`)
      .set(await t.bearer('admin.social'))
      .expect(200);

    const staff = (await read(t, '/agency/case-staff', 'supervisor.social')) as Array<{ id: string; displayName: string; role: string }>;
    const names = staff.map((s) => s.displayName);
    expect(names).toContain('Staff caseworker.listed');
    expect(staff.map((s) => s.id)).not.toEqual(expect.arrayContaining([frontline.id]));
    expect(staff.map((s) => s.id)).not.toEqual(expect.arrayContaining([former.id]));
    expect(new Set(staff.map((s) => s.role))).toEqual(new Set(['caseworker', 'supervisor']));
    const shelterStaff = (await read(t, '/agency/case-staff', 'caseworker.shelter')) as Array<{ id: string }>;
    expect(shelterStaff.map((s) => s.id)).not.toEqual(expect.arrayContaining([second.id]));

    const caseId = await openCase(t);
    expect((await post(t, `/cases/${caseId}/intake`, { caseworkerId: second.id }, 'supervisor.social')).status).toBe(201);
  });

  it('keeps admins to their own agency and their own kind of roles', async () => {
    const shelterUser = (await read(t, '/agency/users', 'admin.shelter')).find(
      (u: { username: string }) => u.username === 'caseworker.shelter',
    );
    expect((await t.http.post(`/agency/users/${shelterUser.id}/deactivation`).set(await t.bearer('admin.social'))).status).toBe(404);
    expect((await post(t, '/agency/users', { username: 'auditor.two', displayName: 'x', role: 'auditor' }, 'admin.social')).status).toBe(
      400,
    );
    expect(
      (await post(t, '/agency/users', { username: 'caseworker.social', displayName: 'x', role: 'caseworker' }, 'admin.social')).status,
    ).toBe(409);
    expect((await post(t, '/agency/users', { username: 'x.y', displayName: 'x', role: 'caseworker' }, 'supervisor.social')).status).toBe(
      403,
    );
  });

  it('lets a coordinator add member agencies, and an agency admin not', async () => {
    const added = (
      await t.http
        .post('/directory/agencies')
        .set(await t.bearer('coordinator.justice'))
        .send({ name: 'New Demo Legal Clinic', kind: 'legal_aid' })
        .expect(201)
    ).body;
    const directory = (await read(t, '/directory/agencies', 'caseworker.social')) as Array<{ id: string }>;
    expect(directory.map((a) => a.id)).toContain(added.id);
    expect((await post(t, '/directory/agencies', { name: 'Another', kind: 'shelter' }, 'admin.social')).status).toBe(403);
  });

  it("stops a deactivated agency's users and keys at once, and no consent may name it", async () => {
    // An agency of this scenario's own, so that the demo network's stay members for the others.
    const agency = (
      await t.http
        .post('/directory/agencies')
        .set(await t.bearer('coordinator.justice'))
        .send({
          name: 'Demo Shelter Leaving The Network',
          kind: 'shelter',
          firstAdmin: { username: 'admin.leaving', displayName: 'Leaving admin' },
        })
        .expect(201)
    ).body;
    const admin = await firstSignIn(t, 'admin.leaving', agency.firstAdmin.initialPassword);
    const staff = (
      await t.http
        .post('/agency/users')
        .set('Authorization', `Bearer ${admin}`)
        .send({ username: 'caseworker.leaving', displayName: 'x', role: 'caseworker' })
        .expect(201)
    ).body;
    const key = (await t.http.post('/agency/api-keys').set('Authorization', `Bearer ${admin}`).send({ name: 'leaving system' }).expect(201))
      .body.key;
    const staffToken = {
      Authorization: `Bearer ${await firstSignIn(t, 'caseworker.leaving', staff.initialPassword)}`,
    };
    // Both were just honoured, so both are in the cache of principals when the agency is deactivated.
    await t.http.get('/referrals').set(staffToken).expect(200);
    await t.http.get('/referrals').set('Authorization', `ApiKey ${key}`).expect(200);
    await t.http
      .post(`/directory/agencies/${agency.id}/deactivation`)
      .set(await t.bearer('coordinator.justice'))
      .expect(200);
    expect((await t.http.get('/referrals').set(staffToken)).status).toBe(401);
    expect((await t.http.get('/referrals').set('Authorization', `ApiKey ${key}`)).status).toBe(401);
    const caseId = await openCase(t);
    const consent = await post(
      t,
      `/cases/${caseId}/consents`,
      consentBody([{ recipient: { agencyId: agency.id }, purpose: 'case_management', categories: ['identity'] }], { language: 'ha' }),
    );
    expect(consent.status).toBe(400); // no longer a member
  });
});

// PostgreSQL only: an embedded database is one process's alone, so every change to it goes through that process.
const SHARED = APP_DRIVERS.filter((driver) => driver === 'postgres');
(SHARED.length > 0 ? describe.each(SHARED) : describe.skip.each(['postgres'] as const))(
  'a deactivation written straight into the shared database (%s)',
  (driver) => {
    const t = useTestApp({ driver });

    it("ends a user's token, an agency's users and keys, and a revoked key, though each was just honoured", async () => {
      const auth = (value: string) => ({ Authorization: value });
      const user = auth(`Bearer ${await t.token('caseworker.legal')}`);
      const clinic = auth(`Bearer ${await t.token('caseworker.clinic')}`);
      const key = auth(
        `ApiKey ${
          (
            await t.http
              .post('/agency/api-keys')
              .set(auth(`Bearer ${await t.token('admin.social')}`))
              .send({ name: 'social system' })
              .expect(201)
          ).body.key
        }`,
      );
      for (const credential of [user, clinic, key]) await t.http.get('/referrals').set(credential).expect(200);
      const refused = async (credential: Record<string, string>) =>
        // As by another instance or an operator: the change is announced to every instance, which learns of it within moments.
        (await eventually(
          async () => (await t.http.get('/referrals').set(credential)).status,
          (status) => status === 401,
        )) === 401;

      await t.db.query("UPDATE users SET active = false WHERE username = 'caseworker.legal'");
      expect(await refused(user)).toBe(true);
      await t.db.query(`UPDATE agencies SET active = false WHERE id = (SELECT agency_id FROM users WHERE username = 'caseworker.clinic')`);
      expect(await refused(clinic)).toBe(true);
      await t.db.query('UPDATE api_keys SET revoked_at = now()');
      expect(await refused(key)).toBe(true);
    });

    it('refuses a sign-in that checked the old password while the change was committing, so no session outlives the change', async () => {
      const username = 'caseworker.ngo';
      const signIn = async () => (await t.http.post('/auth/token').send({ username, password: t.password })).status;
      // The sign-in has read the user and checked the old password, and now waits on the user's row.
      const waitingOnTheUser = () =>
        t.db.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
      let answer: Promise<number> | undefined;
      await t.db.transaction(async (tx) => {
        // What POST /auth/password writes, held uncommitted while a sign-in with the old password gets that far.
        await tx.query('UPDATE users SET credentials_version = credentials_version + 1 WHERE username = $1', [username]);
        answer = signIn();
        await eventually(waitingOnTheUser, (rows) => rows.length > 0);
      });
      await expect(answer).resolves.toBe(401);
    });

    it("ends a user's access token when another instance changes their password, though it was just honoured", async () => {
      const user = { Authorization: `Bearer ${await t.token('caseworker.shelter')}` };
      await t.http.get('/referrals').set(user).expect(200);
      // What POST /auth/password writes, here written by another instance.
      await t.db.query("UPDATE users SET credentials_version = credentials_version + 1 WHERE username = 'caseworker.shelter'");
      const status = await eventually(
        async () => (await t.http.get('/referrals').set(user)).status,
        (answer) => answer === 401,
      );
      expect(status).toBe(401);
    });
  },
);

describe('a real deployment starts with one coordinator, who adds agencies with their first admins (PGlite)', () => {
  const t = useTestApp({ settings: { DEMO_NETWORK: 'false', BOOTSTRAP_COORDINATOR: 'coordinator.first' } });

  it('creates the first coordinator once, with the password in a file only the operator can read', async () => {
    const file = join(t.dataDir, 'bootstrap-password');
    const password = (await readFile(file, 'utf8')).trim();
    expect(t.logs.lines.join('\n')).not.toContain(password);
    const coordinator = await firstSignIn(t, 'coordinator.first', password);
    const agency = (
      await t.http
        .post('/directory/agencies')
        .set('Authorization', `Bearer ${coordinator}`)
        .send({ name: 'First Member Shelter', kind: 'shelter', firstAdmin: { username: 'admin.first', displayName: 'First admin' } })
        .expect(201)
    ).body;
    expect(agency.firstAdmin).toMatchObject({ username: 'admin.first', initialPassword: expect.any(String) });
    const admin = await firstSignIn(t, 'admin.first', agency.firstAdmin.initialPassword);
    const staff = (
      await t.http
        .post('/agency/users')
        .set('Authorization', `Bearer ${admin}`)
        .send({ username: 'caseworker.first', displayName: 'x', role: 'caseworker' })
        .expect(201)
    ).body;
    expect(staff.role).toBe('caseworker');
    // A taken username rolls the whole agency back.
    expect(
      (
        await t.http
          .post('/directory/agencies')
          .set('Authorization', `Bearer ${coordinator}`)
          .send({ name: 'Second Member', kind: 'health', firstAdmin: { username: 'admin.first', displayName: 'dup' } })
      ).status,
    ).toBe(409);
    const names = (await t.http.get('/directory/agencies').set('Authorization', `Bearer ${coordinator}`).expect(200)).body.map(
      (a: { name: string }) => a.name,
    );
    expect(names).not.toContain('Second Member');
  });
});
