import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type JWK, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { browserStorage, useBrowser, useBuiltScreens } from './support/browser.js';
import { openCase } from './support/case-steps.js';
import { useTestApp } from './support/test-app.js';

/**
 * "Sign in with your organisation" in Debian's Chromium against a real, tiny identity provider: an
 * HTTP server with discovery, JWKS, an /authorize that approves at once and sends the browser back
 * with a code, and a /token that gives tokens only for the PKCE verifier of that code's challenge.
 */
const CLIENT_ID = 'referral-screens';
const SUBJECT = 'org-user-7f3a';

describe('signing in with the organisation’s identity provider (OIDC, PKCE) in a real browser', () => {
  let provider: Server;
  let base = '';
  let issuer = '';
  /** What /token decided, in order: the provider's own record of each exchange. */
  const exchanges: Array<'issued' | 'refused'> = [];
  let agencyId = '';

  beforeAll(async () => {
    const keys = await generateKeyPair('RS256');
    const jwk: JWK = { ...(await exportJWK(keys.publicKey)), kid: 'org-key', alg: 'RS256', use: 'sig' };
    const codes = new Map<string, { challenge: string; nonce: string; redirectUri: string }>();
    const sign = (claims: Record<string, unknown>, audience: string) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'org-key' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(keys.privateKey);
    const body = (request: IncomingMessage) =>
      new Promise<URLSearchParams>((resolve) => {
        let text = '';
        request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        request.on('end', () => resolve(new URLSearchParams(text)));
      });
    provider = createServer((request, response) => {
      const url = new URL(request.url ?? '/', base);
      // The screens read discovery and exchange the code from their own origin, as a browser app does.
      const json = (status: number, value: object) =>
        response.writeHead(status, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' }).end(JSON.stringify(value));
      if (url.pathname === '/realms/org/.well-known/openid-configuration')
        return json(200, {
          issuer,
          authorization_endpoint: `${base}/authorize`,
          token_endpoint: `${base}/token`,
          jwks_uri: `${base}/jwks`,
        });
      if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
      if (url.pathname === '/authorize') {
        const q = url.searchParams;
        if (q.get('client_id') !== CLIENT_ID || q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256')
          return json(400, { error: 'invalid_request' });
        const code = randomBytes(16).toString('base64url');
        codes.set(code, { challenge: q.get('code_challenge')!, nonce: q.get('nonce')!, redirectUri: q.get('redirect_uri')! });
        const back = new URL(q.get('redirect_uri')!);
        back.search = new URLSearchParams({ code, state: q.get('state')! }).toString();
        return response.writeHead(302, { Location: back.toString() }).end();
      }
      if (url.pathname === '/token' && request.method === 'POST') {
        void body(request).then(async (form) => {
          const issued = codes.get(form.get('code') ?? '');
          codes.delete(form.get('code') ?? '');
          const verified = createHash('sha256')
            .update(form.get('code_verifier') ?? '')
            .digest('base64url');
          if (verified !== issued?.challenge || form.get('redirect_uri') !== issued.redirectUri || form.get('client_id') !== CLIENT_ID) {
            exchanges.push('refused');
            return json(400, { error: 'invalid_grant' });
          }
          exchanges.push('issued');
          return json(200, {
            token_type: 'Bearer',
            expires_in: 300,
            access_token: await sign({ sub: SUBJECT, agency_id: agencyId, role: 'caseworker' }, 'referral-api'),
            id_token: await sign({ sub: SUBJECT, nonce: issued.nonce }, CLIENT_ID),
          });
        });
        return;
      }
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    issuer = `${base}/realms/org`;
  });
  afterAll(() => new Promise((resolve) => provider?.close(resolve)));

  const built = useBuiltScreens();
  const t = useTestApp({
    settings: () => ({
      WEB_DIR: built.dir,
      OIDC_ISSUER: issuer,
      OIDC_AUDIENCE: 'referral-api',
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_JWKS_URI: `${base}/jwks`,
    }),
  });
  const browser = useBrowser();
  let screens = '';

  beforeAll(async () => {
    agencyId = await t.agencyId('Social');
    await t.app.listen(0, '127.0.0.1');
    screens = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/`;
  });

  /** Opens the sign-in screen and presses the button, as a user does; the provider's window opens and comes back by itself. */
  const pressSignInWithOrganisation = async (page: Page) => {
    await page.goto(screens);
    await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
  };

  it('signs the user in through the provider, then lists their agency’s cases with the provider’s token, keeping nothing in browser storage', async () => {
    const caseId = await openCase(t);
    const page = await (await browser.context()).newPage();
    const before = exchanges.length;
    await pressSignInWithOrganisation(page);

    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    // The list comes from GET /cases, which the service answered for the provider's token.
    await page.locator(`a[href="#/cases/${caseId}"]`).waitFor();
    expect(exchanges.slice(before)).toEqual(['issued']);
    const storage = await browserStorage(page);
    expect(JSON.parse(storage)).toEqual({ localStorage: [], sessionStorage: [], indexedDB: [], cacheStorage: [], serviceWorkers: [] });
  });

  it('stays signed out, saying so, when the code is exchanged with another verifier than the one its challenge was made from', async () => {
    const context = await browser.context();
    // Whoever holds a stolen code without the verifier: the exchange's verifier is swapped on the way.
    await context.route(`${base}/token`, (route) =>
      route.continue({ postData: (route.request().postData() ?? '').replace(/code_verifier=[^&]+/, `code_verifier=${'x'.repeat(43)}`) }),
    );
    const page = await context.newPage();
    const before = exchanges.length;
    await pressSignInWithOrganisation(page);

    await page.getByText('Signing in with your organisation did not succeed').waitFor();
    expect(exchanges.slice(before)).toEqual(['refused']);
    await expect(page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(0);
  });
});
