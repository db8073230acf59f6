import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { APP_DRIVERS, type RunningApp, useTestApp } from './support/test-app.js';
import { bearerOf } from './support/case-steps.js';

const signIn = (t: RunningApp, username: string, password: string) => t.http.post('/auth/token').send({ username, password });
const changePassword = (t: RunningApp, username: string, currentPassword: string, newPassword: string) =>
  t.http.post('/auth/password').send({ username, currentPassword, newPassword });

/** A user the social service's admin adds now, with the initial password the admin was shown. */
async function addedUser(t: RunningApp): Promise<{ username: string; initialPassword: string }> {
  const username = `caseworker.${randomUUID().slice(0, 8)}`;
  const created = await t.http
    .post('/agency/users')
    .set(await bearerOf(t, 'admin.social'))
    .send({ username, displayName: 'New caseworker', role: 'caseworker' })
    .expect(201);
  return { username, initialPassword: created.body.initialPassword };
}

const OWN = 'a passphrase of my own choosing';

describe.each(APP_DRIVERS)('an initial password works once: its user chooses their own (%s)', (driver) => {
  const t = useTestApp({ driver });

  it('refuses to sign in with the initial password: 403 password-change-required, no token', async () => {
    const { username, initialPassword } = await addedUser(t);
    const refused = await signIn(t, username, initialPassword);
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.type).toMatch(/\/problems\/password-change-required$/);
    expect(refused.body.detail).toMatch(/choose your own password/);
    expect(Object.keys(refused.body)).not.toEqual(expect.arrayContaining(['access_token']));
    expect(Object.keys(refused.body)).not.toEqual(expect.arrayContaining(['refresh_token']));
    expect(JSON.stringify(refused.body)).not.toContain(initialPassword);
  });

  it('answers a wrong initial password as any wrong password (401), not with password-change-required', async () => {
    const { username } = await addedUser(t);
    const wrong = await signIn(t, username, 'not-the-initial-password');
    expect(wrong.status).toBe(401);
    expect(wrong.body.type).toMatch(/\/problems\/not-signed-in$/);
  });

  it('refuses a change with a wrong current password (401), and the initial password still only changes it', async () => {
    const { username, initialPassword } = await addedUser(t);
    expect((await changePassword(t, username, 'not-the-initial-password', OWN)).status).toBe(401);
    expect((await signIn(t, username, OWN)).status).toBe(401);
    expect((await signIn(t, username, initialPassword)).status).toBe(403);
  });

  it('refuses a new password shorter than 12 characters, or equal to the current one (400 naming the field, never the value)', async () => {
    const { username, initialPassword } = await addedUser(t);
    const short = await changePassword(t, username, initialPassword, 'short-pw');
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body)).toContain('newPassword');
    expect(JSON.stringify(short.body)).not.toContain('short-pw');
    const same = await changePassword(t, username, initialPassword, initialPassword);
    expect(same.status).toBe(400);
    expect(JSON.stringify(same.body)).toContain('newPassword');
    expect(JSON.stringify(same.body)).not.toContain(initialPassword);
    expect((await signIn(t, username, initialPassword)).status).toBe(403);
  });

  it('changes it (204): the initial password no longer works, the chosen one signs in', async () => {
    const { username, initialPassword } = await addedUser(t);
    await changePassword(t, username, initialPassword, OWN).expect(204);
    expect((await signIn(t, username, initialPassword)).status).toBe(401);
    const signedIn = (await signIn(t, username, OWN).expect(200)).body;
    await t.http.get('/cases').set('Authorization', `Bearer ${signedIn.access_token}`).expect(200);
    expect(t.logs.lines.join('\n')).not.toContain(OWN);
    expect(t.logs.lines.join('\n')).not.toContain(initialPassword);
  });

  it('keeps the seeded demo users signing in with their password', async () => {
    for (const username of ['caseworker.social', 'admin.social', 'coordinator.justice'])
      expect((await signIn(t, username, t.password)).status).toBe(200);
  });

  it('ends the refresh tokens issued before a change', async () => {
    const { username, initialPassword } = await addedUser(t);
    await changePassword(t, username, initialPassword, OWN).expect(204);
    const before = (await signIn(t, username, OWN).expect(200)).body.refresh_token;
    const later = 'another passphrase, changed later';
    await changePassword(t, username, OWN, later).expect(204);
    expect((await t.http.post('/auth/refresh').send({ refresh_token: before })).status).toBe(401);
    expect((await signIn(t, username, OWN)).status).toBe(401);
    await signIn(t, username, later).expect(200);
  });

  it('ends the access tokens issued before a change at once (401), while one taken after works', async () => {
    const { username, initialPassword } = await addedUser(t);
    await changePassword(t, username, initialPassword, OWN).expect(204);
    const before = (await signIn(t, username, OWN).expect(200)).body.access_token;
    // Read once, so the user is in the cache of principals when the password changes.
    await t.http.get('/cases').set('Authorization', `Bearer ${before}`).expect(200);
    const later = 'another passphrase, changed later';
    await changePassword(t, username, OWN, later).expect(204);
    const refused = await t.http.get('/cases').set('Authorization', `Bearer ${before}`);
    expect(refused.status).toBe(401);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await signIn(t, username, OWN)).status).toBe(401);
    const after = (await signIn(t, username, later).expect(200)).body.access_token;
    await t.http.get('/cases').set('Authorization', `Bearer ${after}`).expect(200);
  });
});
