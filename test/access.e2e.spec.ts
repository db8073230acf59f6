import { beforeAll, describe, expect, it } from '@jest/globals';
import { type Action, PERMISSIONS, ROLES, type Role } from '../src/identity/roles.js';
import { useTestApp } from './support/test-app.js';

/** One demo user per role (see src/identity/demo-network.ts). */
const USER_OF: Readonly<Record<Role, string>> = {
  frontline_worker: 'frontline.social',
  caseworker: 'caseworker.social',
  supervisor: 'supervisor.social',
  agency_admin: 'admin.social',
  network_coordinator: 'coordinator.justice',
  auditor: 'auditor.justice',
  partner_system: 'partner.shelter',
};

const UNKNOWN_CASE = '00000000-0000-4000-8000-0000000000c1';
const UNKNOWN_ID = '00000000-0000-4000-8000-0000000000f1';

interface Route {
  method: 'get' | 'post';
  path: string;
  action: Action;
  body?: (ids: { shelterId: string }) => object;
}

const consentBody = ({ shelterId }: { shelterId: string }) => ({
  grantor: 'person',
  method: 'verbal',
  language: 'ha',
  interpreterUsed: false,
  noticeVersion: 'n1',
  provisions: [{ recipient: { agencyId: shelterId }, purpose: 'case_management', categories: ['identity'] }],
});

/** Every case route with a valid body, so that only access rules decide the answer. */
const ROUTES: Route[] = [
  { method: 'get', path: `/cases/${UNKNOWN_CASE}`, action: 'case.read' },
  { method: 'post', path: `/cases/${UNKNOWN_CASE}/consents`, action: 'consent.record', body: consentBody },
  { method: 'post', path: `/cases/${UNKNOWN_CASE}/consents/${UNKNOWN_ID}/withdrawal`, action: 'consent.withdraw', body: () => ({}) },
  {
    method: 'post',
    path: `/cases/${UNKNOWN_CASE}/referrals`,
    action: 'referral.request',
    body: ({ shelterId }) => ({ toAgencyId: shelterId, purpose: 'case_management', sharedCategories: ['identity'] }),
  },
  ...(['acknowledge', 'accept'] as const).map((verb): Route => ({
    method: 'post',
    path: `/cases/${UNKNOWN_CASE}/referrals/${UNKNOWN_ID}/${verb}`,
    action: 'referral.respond',
  })),
  {
    method: 'post',
    path: `/cases/${UNKNOWN_CASE}/referrals/${UNKNOWN_ID}/decline`,
    action: 'referral.respond',
    body: () => ({ reason: 'no_capacity' }),
  },
  {
    method: 'post',
    path: `/cases/${UNKNOWN_CASE}/referrals/${UNKNOWN_ID}/complete`,
    action: 'referral.respond',
    body: () => ({ outcome: 'done' }),
  },
  { method: 'post', path: `/cases/${UNKNOWN_CASE}/referrals/${UNKNOWN_ID}/withdraw`, action: 'referral.withdraw' },
  { method: 'post', path: `/cases/${UNKNOWN_CASE}/interruption`, action: 'case.change-status', body: () => ({ reason: 'other' }) },
  ...(['resumption', 'reopening'] as const).map((path): Route => ({
    method: 'post',
    path: `/cases/${UNKNOWN_CASE}/${path}`,
    action: 'case.change-status',
  })),
  { method: 'post', path: `/cases/${UNKNOWN_CASE}/closure`, action: 'case.change-status', body: () => ({ reason: 'other' }) },
  { method: 'get', path: `/audit/cases/${UNKNOWN_CASE}/consent-trail`, action: 'audit.read' },
  { method: 'get', path: `/audit/cases/${UNKNOWN_CASE}/access-log`, action: 'audit.read' },
];

describe('access matrix: every case and audit route x every role (PGlite)', () => {
  const t = useTestApp();
  let shelterId: string;
  beforeAll(async () => {
    shelterId = await t.agencyId('Shelter');
  });

  const cases = ROUTES.flatMap((route) =>
    ROLES.map((role) => [route.method.toUpperCase(), route.path.replace(/[0-9a-f-]{36}/g, ':id'), role, route] as const),
  );

  it.each(cases)('%s %s as %s', async (_method, _path, role, route) => {
    const call = t.http[route.method](route.path).set('Authorization', `Bearer ${await t.token(USER_OF[role])}`);
    const response = await (route.body ? call.send(route.body({ shelterId })) : call);
    const permitted = (PERMISSIONS[route.action] as readonly Role[]).includes(role);
    // Permitted roles reach the domain, which does not know the case (404); the others are stopped at the door.
    expect(response.status).toBe(permitted ? 404 : 403);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it.each<[string, Action]>([
    ['/referrals', 'referral.list'],
    ['/cases', 'case.read'],
  ])('lists %s only for the roles the permission table names', async (path, action) => {
    for (const role of ROLES) {
      const response = await t.http.get(path).set('Authorization', `Bearer ${await t.token(USER_OF[role])}`);
      expect(response.status).toBe((PERMISSIONS[action] as readonly Role[]).includes(role) ? 200 : 403);
    }
  });

  it('answers an unknown route without repeating its path, which a client may have filled with anything', async () => {
    const response = await t.http
      .post('/cases/Amina-Test-Person/lives-here')
      .set('Authorization', `Bearer ${await t.token('caseworker.social')}`);
    expect(response.status).toBe(404);
    expect(response.body.detail).toBe('there is no such route');
    expect(JSON.stringify(response.body)).not.toContain('Amina');
  });

  it('serves /health and /metrics without signing in, with no personal data', async () => {
    expect((await t.http.get('/health').expect(200)).body).toMatchObject({ status: 'ok' });
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(/^referrals_projection_lag_events\{runner="read-models"\} \d+$/m);
    expect(metrics.text).toMatch(/^referrals_projection_lag_seconds\{runner="read-models"\} [\d.]+$/m);
    expect(metrics.text).toMatch(/^referrals_embedded_fsync\{runner="read-models"\} 1$/m); // embedded: every commit flushed
  });

  it('opens cases only for the roles the permission table names', async () => {
    for (const role of ROLES) {
      const response = await t.http
        .post('/cases')
        .set('Authorization', `Bearer ${await t.token(USER_OF[role])}`)
        .send({ source: 'observation', indicators: [], ageGroup: 'adult' });
      expect(response.status).toBe((PERMISSIONS['case.open'] as readonly Role[]).includes(role) ? 201 : 403);
    }
  });

  it('refuses tokens signed with another key, without a signature, or for a deactivated user', async () => {
    const good = await t.token('caseworker.social');
    const [header, payload] = good.split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    expect((await t.http.get('/directory/agencies').set('Authorization', `Bearer ${unsigned}`)).status).toBe(401);
    expect((await t.http.get('/directory/agencies').set('Authorization', `Bearer ${header}.${payload}.${'A'.repeat(43)}`)).status).toBe(
      401,
    );
    // Deactivated as an admin does it; the token was just used, so its user is in the cache of principals.
    expect((await t.http.get('/directory/agencies').set('Authorization', `Bearer ${good}`)).status).toBe(200);
    const admin = `Bearer ${await t.token('admin.social')}`;
    const users = (await t.http.get('/agency/users').set('Authorization', admin).expect(200)).body as Array<{
      id: string;
      username: string;
    }>;
    await t.http
      .post(`/agency/users/${users.find((u) => u.username === 'caseworker.social')!.id}/deactivation`)
      .set('Authorization', admin)
      .expect(200);
    expect((await t.http.get('/directory/agencies').set('Authorization', `Bearer ${good}`)).status).toBe(401);
    await t.db.query("UPDATE users SET active = true WHERE username = 'caseworker.social'");
    expect((await t.http.get('/directory/agencies').set('Authorization', `Bearer ${good}`)).status).toBe(200);
  });
});

describe('/metrics with METRICS_TOKEN set', () => {
  const t = useTestApp({ settings: { METRICS_TOKEN: 'a-metrics-token-for-tests' } });

  it('answers only to the token', async () => {
    expect((await t.http.get('/metrics')).status).toBe(401);
    expect((await t.http.get('/metrics').set('Authorization', 'Bearer wrong')).status).toBe(401);
    expect((await t.http.get('/metrics').set('Authorization', `Bearer ${await t.token('auditor.justice')}`)).status).toBe(401);
    expect((await t.http.get('/metrics').set('Authorization', 'Bearer a-metrics-token-for-tests').expect(200)).text).toMatch(
      /referrals_projection_lag_events/,
    );
  });
});
