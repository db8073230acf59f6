import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type JWK, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createHmac } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useTestApp } from './support/test-app.js';

/** A stand-in identity provider: a real HTTP server publishing its JWKS, as Keycloak does. */
describe("bearer tokens from the organisation's identity provider (OIDC, PGlite)", () => {
  let provider: Server;
  let base: string;
  let issuer: string;
  let sign: (
    claims: Record<string, unknown>,
    options?: { audience?: string; expiresIn?: string; key?: 'own' | 'stranger' },
  ) => Promise<string>;
  let socialId: string;

  beforeAll(async () => {
    const own = await generateKeyPair('RS256');
    const stranger = await generateKeyPair('RS256');
    const jwk: JWK = { ...(await exportJWK(own.publicKey)), kid: 'provider-key-1', alg: 'RS256', use: 'sig' };
    provider = createServer((req, res) => {
      if (req.url === '/jwks') res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    issuer = `${base}/realms/demo`;
    sign = (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'provider-key-1' })
        .setIssuer(issuer)
        .setAudience(options.audience ?? 'referral-api')
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(options.key === 'stranger' ? stranger.privateKey : own.privateKey);
  });
  const t = useTestApp({ settings: () => ({ OIDC_ISSUER: issuer, OIDC_AUDIENCE: 'referral-api', OIDC_JWKS_URI: `${base}/jwks` }) });
  afterAll(() => new Promise((resolve) => provider?.close(resolve)));
  beforeAll(async () => {
    socialId = await t.agencyId('Social');
  });

  const call = (token: string) => t.http.get('/cases').set('Authorization', `Bearer ${token}`);

  it("accepts a provider token and maps its agency and role claims; the user acts under the provider's subject", async () => {
    const token = await sign({ sub: 'kc-user-1', agency_id: socialId, role: 'caseworker' });
    await call(token).expect(200);
    const opened = await t.http
      .post('/cases')
      .set('Authorization', `Bearer ${token}`)
      .send({ source: 'hotline', ageGroup: 'adult', indicators: [] })
      .expect(201);
    const [event] = await t.store.readStream(`case-${opened.body.caseId}`);
    expect(event!.metadata).toMatchObject({ actorUserId: 'kc-user-1', actorAgencyId: socialId });
    // The role claim is honoured: an auditor from the provider reads no cases.
    expect((await call(await sign({ sub: 'kc-user-2', agency_id: socialId, role: 'auditor' }))).status).toBe(403);
  });

  it('refuses wrong audience, expiry, another key, an unknown agency or role, and a symmetric token claiming the provider', async () => {
    const claims = { sub: 'kc-user-1', agency_id: socialId, role: 'caseworker' };
    const forged = (() => {
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...claims, iss: issuer, aud: 'referral-api', exp: Math.floor(Date.now() / 1000) + 300 })}`;
      return `${body}.${createHmac('sha256', 'guessable').update(body).digest('base64url')}`;
    })();
    for (const token of [
      await sign(claims, { audience: 'another-client' }),
      await sign(claims, { expiresIn: '-2m' }),
      await sign(claims, { key: 'stranger' }),
      await sign({ ...claims, agency_id: '00000000-0000-4000-8000-000000000000' }),
      await sign({ ...claims, role: 'superuser' }),
      await sign({ agency_id: socialId, role: 'caseworker' }),
      forged,
    ]) {
      const response = await call(token);
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it("still accepts the service's own tokens beside the provider's", async () => {
    await call(await t.token('caseworker.social')).expect(200);
  });
});
