import { beforeAll, describe, expect, it } from '@jest/globals';
import { useTestApp } from './support/test-app.js';
import { openCase, post, read } from './support/case-steps.js';

describe("partner systems' API keys (PGlite)", () => {
  const t = useTestApp();
  const withKey = (key: string) => ({ Authorization: `ApiKey ${key}` });
  let shelterCase: string;
  /** A key the shelter's admin issues for its case system. */
  const issueShelterKey = async () =>
    (
      await t.http
        .post('/agency/api-keys')
        .set(await t.bearer('admin.shelter'))
        .send({ name: 'shelter case system' })
        .expect(201)
    ).body as { key: string; id: string };

  beforeAll(async () => {
    // A case of another agency, which the shelter's key must not reach.
    shelterCase = await openCase(t);
  });

  it('lets an agency admin issue a key, shown once and stored only as a keyed hash', async () => {
    const { key, id: keyId } = await issueShelterKey();
    expect(key).toMatch(/^rk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    const listed = (await read(t, '/agency/api-keys', 'admin.shelter')) as Array<{ id: string }>;
    // Other scenarios issue the shelter keys of their own: this one is listed once, as issued.
    expect(listed.filter((k) => k.id === keyId)).toEqual([
      expect.objectContaining({ id: keyId, name: 'shelter case system', revokedAt: null }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(key.slice(36));
    const stored = await t.db.query<{ row: string }>('SELECT to_jsonb(k)::text AS row FROM api_keys k WHERE id = $1', [keyId]);
    expect(stored[0]!.row).not.toContain(key.slice(36));
    // Other agencies' admins do not see it; other roles may not manage keys at all.
    expect(await read(t, '/agency/api-keys', 'admin.social')).toEqual([]);
    expect((await post(t, '/agency/api-keys', { name: 'x' }, 'caseworker.shelter')).status).toBe(403);
  });

  it('acts as the partner system of its agency, within the partner role', async () => {
    const { key } = await issueShelterKey();
    expect((await t.http.get('/referrals?direction=incoming').set(withKey(key))).status).toBe(200);
    expect((await t.http.get(`/cases/${shelterCase}`).set(withKey(key))).status).toBe(404); // not referred to the shelter
    expect((await t.http.post('/cases').set(withKey(key)).send({ source: 'hotline', ageGroup: 'adult', indicators: [] })).status).toBe(403);
    expect((await t.http.get('/agency/api-keys').set(withKey(key))).status).toBe(403);
  });

  it('can be narrowed to named actions', async () => {
    const narrow = (
      await t.http
        .post('/agency/api-keys')
        .set(await t.bearer('admin.shelter'))
        .send({ name: 'inbox reader', actions: ['referral.list'] })
        .expect(201)
    ).body.key;
    expect((await t.http.get('/referrals').set(withKey(narrow))).status).toBe(200);
    expect((await t.http.get('/cases').set(withKey(narrow))).status).toBe(403);
    expect((await post(t, '/agency/api-keys', { name: 'too wide', actions: ['case.open'] }, 'admin.shelter')).status).toBe(400);
    const reader = (
      await t.http
        .post('/agency/api-keys')
        .set(await t.bearer('admin.shelter'))
        .send({ name: 'read only', readOnly: true })
        .expect(201)
    ).body.key;
    expect((await t.http.get('/referrals').set(withKey(reader))).status).toBe(200);
    expect(
      (
        await t.http
          .post('/cases/00000000-0000-4000-8000-000000000001/referrals/00000000-0000-4000-8000-000000000002/acknowledge')
          .set(withKey(reader))
      ).status,
    ).toBe(403);
    expect((await post(t, '/agency/api-keys', { name: 'both', readOnly: true, actions: ['referral.list'] }, 'admin.shelter')).status).toBe(
      400,
    );
  });

  it('refuses a wrong, malformed or revoked key, and a revocation by another agency', async () => {
    const { key, id: keyId } = await issueShelterKey();
    const wrong = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const presented of [wrong, 'rk_nonsense', `${key}x`]) {
      const response = await t.http.get('/referrals').set(withKey(presented));
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await t.http.post(`/agency/api-keys/${keyId}/revocation`).set(await t.bearer('admin.social'))).status).toBe(404);
    await t.http
      .post(`/agency/api-keys/${keyId}/revocation`)
      .set(await t.bearer('admin.shelter'))
      .expect(200);
    expect((await t.http.get('/referrals').set(withKey(key))).status).toBe(401);
  });
});
