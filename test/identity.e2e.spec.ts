import { describe, expect, it } from '@jest/globals';
import { randomBytes, scryptSync } from 'node:crypto';
import { type RunningApp, useTestApp } from './support/test-app.js';

const signIn = (t: RunningApp, username: string, password: string) => t.http.post('/auth/token').send({ username, password });
const hashOf = async (t: RunningApp, username: string) =>
  (await t.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE username = $1', [username]))[0]!.password_hash;

/** A PHC string's algorithm and parameters (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), whatever order its writer put them in. */
const phcParameters = (hash: string) => {
  const [, algorithm, version, parameters] = hash.split('$');
  return { algorithm, ...Object.fromEntries([version, ...(parameters ?? '').split(',')].map((pair) => pair!.split('='))) };
};

describe('sign-in hardening (PGlite)', () => {
  const t = useTestApp({ settings: { SIGN_INS_PER_MINUTE: '8', WRITES_PER_MINUTE: '4', CORS_ORIGINS: 'https://referrals.example.org' } });

  it('stores passwords as argon2id, and rehashes an older scrypt hash at the next sign-in', async () => {
    expect(phcParameters(await hashOf(t, 'caseworker.clinic'))).toEqual({ algorithm: 'argon2id', v: '19', m: '19456', t: '2', p: '1' });
    const salt = randomBytes(16);
    const legacy = `scrypt$16384$8$1$${salt.toString('base64')}$${scryptSync(t.password, salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64')}`;
    await t.db.query('UPDATE users SET password_hash = $1 WHERE username = $2', [legacy, 'caseworker.legal']);
    await signIn(t, 'caseworker.legal', t.password).expect(200);
    expect(await hashOf(t, 'caseworker.legal')).toMatch(/^\$argon2id\$/);
  });

  it('pauses sign-in after five wrong passwords, with the same message as for an unknown user', async () => {
    const unknown = await signIn(t, 'nobody.at.all', 'whatever-password');
    expect(unknown.status).toBe(401);
    for (let i = 0; i < 5; i++) expect((await signIn(t, 'caseworker.ngo', 'not-the-password')).status).toBe(401);
    const locked = await signIn(t, 'caseworker.ngo', t.password);
    expect(locked.status).toBe(401);
    expect(locked.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(locked.body.detail).toBe(unknown.body.detail);
    await signIn(t, 'caseworker.clinic', t.password).expect(200); // other accounts are not affected
  });

  it('limits sign-in attempts per address and username (429 with Retry-After and the RateLimit headers)', async () => {
    const answers = [];
    for (let i = 0; i < 9; i++) answers.push((await signIn(t, 'caseworker.redcross', 'not-the-password')).status);
    expect(answers.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const limited = await signIn(t, 'caseworker.redcross', t.password);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['ratelimit-policy']).toBe('"sign-in";q=8;w=60');
    expect(limited.headers.ratelimit).toBe(`"sign-in";r=0;t=${limited.headers['retry-after']}`);
  });

  it('limits writes per signed-in user, and writes nothing past the limit', async () => {
    const token = (await signIn(t, 'supervisor.social', t.password).expect(200)).body.access_token;
    const open = () =>
      t.http.post('/cases').set('Authorization', `Bearer ${token}`).send({ source: 'hotline', ageGroup: 'adult', indicators: [] });
    for (let i = 0; i < 4; i++) await open().expect(201);
    const before = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events'))[0]!.n;
    expect((await open()).status).toBe(429);
    expect((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events'))[0]!.n).toBe(before);
    // Reading is not a write.
    await t.http.get('/cases').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('rotates refresh tokens: each works once, a reused one revokes its family, sign-out and deactivation end them', async () => {
    const first = (await signIn(t, 'caseworker.shelter', t.password).expect(200)).body;
    expect(first).toMatchObject({ token_type: 'Bearer', expires_in: 900, refresh_token: expect.stringMatching(/^rt_/) });
    const second = (await t.http.post('/auth/refresh').send({ refresh_token: first.refresh_token }).expect(200)).body;
    await t.http.get('/referrals').set('Authorization', `Bearer ${second.access_token}`).expect(200);
    // The first refresh token was used: presenting it again looks like theft, so the whole family ends.
    expect((await t.http.post('/auth/refresh').send({ refresh_token: first.refresh_token })).status).toBe(401);
    expect((await t.http.post('/auth/refresh').send({ refresh_token: second.refresh_token })).status).toBe(401);

    const other = (await signIn(t, 'caseworker.shelter', t.password).expect(200)).body;
    await t.http.post('/auth/logout').send({ refresh_token: other.refresh_token }).expect(204);
    expect((await t.http.post('/auth/refresh').send({ refresh_token: other.refresh_token })).status).toBe(401);

    const last = (await signIn(t, 'caseworker.clinic', t.password).expect(200)).body;
    await t.db.query("UPDATE users SET active = false WHERE username = 'caseworker.clinic'");
    expect((await t.http.post('/auth/refresh').send({ refresh_token: last.refresh_token })).status).toBe(401);
    await t.db.query("UPDATE users SET active = true WHERE username = 'caseworker.clinic'");
    for (const bad of ['rt_nonsense', `${last.refresh_token.slice(0, -3)}abc`])
      expect((await t.http.post('/auth/refresh').send({ refresh_token: bad })).status).toBe(401);
    const stored = await t.db.query<{ row: string }>('SELECT to_jsonb(r)::text AS row FROM refresh_tokens r');
    expect(stored.map((r) => r.row).join()).not.toContain(last.refresh_token.slice(36));
  });

  it('sends security headers, and CORS only to the configured origin', async () => {
    const health = await t.http.get('/health').expect(200);
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    expect(health.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(health.headers['x-powered-by']).toBeUndefined();
    const allowed = await t.http
      .options('/cases')
      .set('Origin', 'https://referrals.example.org')
      .set('Access-Control-Request-Method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://referrals.example.org');
    const other = await t.http
      .options('/cases')
      .set('Origin', 'https://elsewhere.example.com')
      .set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
