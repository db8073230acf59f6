import { signedIn } from './session';

/** The organisation's identity provider, as GET /auth/oidc names it. */
export interface Provider {
  readonly issuer: string;
  readonly clientId: string;
  readonly agencyClaim: string;
  readonly roleClaim: string;
}

/** Why signing in with the provider did not end signed in, for the screen to say. */
export class ProviderSignInError extends Error {}

const CHANNEL = 'oidc-sign-in';
/** How long the page waits for the provider's window to come back before giving up. */
const WAIT_MS = 10 * 60_000;

interface Discovery {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const randomValue = () => base64url(crypto.getRandomValues(new Uint8Array(32)));
const claimsOf = (jwt: string) => JSON.parse(atob(jwt.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;

/** Where the provider sends the browser back: the screens' own page, which hands the answer over (handOverProviderAnswer). */
const redirectUri = () => `${location.origin}/`;

/** The provider's discovery document, read before the button is pressed so that its window opens at the press itself. */
export async function discover(provider: Provider): Promise<Discovery> {
  const response = await fetch(`${provider.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new ProviderSignInError('discovery');
  const discovery = (await response.json()) as Discovery;
  if (discovery.issuer !== provider.issuer) throw new ProviderSignInError('discovery');
  return discovery;
}

/**
 * Authorization code with PKCE (S256), state and nonce, in a window of its own: the verifier, state
 * and nonce stay in this page's memory, which a redirect of the page itself would lose (and they must
 * not go to browser storage). The provider's window comes back to this origin, which passes the code
 * over a BroadcastChannel; this page exchanges it and keeps the tokens in memory only.
 */
export async function signInWithProvider(provider: Provider, discovery: Discovery): Promise<void> {
  const verifier = randomValue();
  const state = randomValue();
  const nonce = randomValue();
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const authorize = new URL(discovery.authorization_endpoint);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: provider.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid',
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  const answer = answerFor(state);
  window.open(authorize, CHANNEL, 'popup,width=480,height=640');
  const code = await answer;
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(),
      client_id: provider.clientId,
      code_verifier: verifier,
    }),
  });
  if (!response.ok) throw new ProviderSignInError('refused');
  const tokens = (await response.json()) as { access_token?: string; id_token?: string };
  // The ID token must answer this very request; the API checks the access token's signature on every call.
  if (!tokens.access_token || !tokens.id_token || claimsOf(tokens.id_token).nonce !== nonce) throw new ProviderSignInError('nonce');
  // No refresh token is kept: when the access token ends, the user signs in again.
  signedIn(tokens.access_token, '', { agency: provider.agencyClaim, role: provider.roleClaim });
}

/** The code the provider's window hands back for this state; anything for another state is not ours. */
function answerFor(state: string): Promise<string> {
  const channel = new BroadcastChannel(CHANNEL);
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => done(() => reject(new ProviderSignInError('timeout'))), WAIT_MS);
    const done = (settle: () => void) => {
      clearTimeout(timer);
      channel.close();
      settle();
    };
    channel.onmessage = (event: MessageEvent<{ state?: string; code?: string | null }>) => {
      if (event.data.state !== state) return;
      const { code } = event.data;
      done(() => (code ? resolve(code) : reject(new ProviderSignInError('refused'))));
    };
  });
}

/**
 * In the provider's window, back at this origin with `?code&state` (or `?error&state`): hands the
 * answer to the page that asked and closes. True when this page is such a return, and so shows nothing.
 */
export function handOverProviderAnswer(): boolean {
  const query = new URLSearchParams(location.search);
  const state = query.get('state');
  if (!state || !(query.has('code') || query.has('error'))) return false;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage({ state, code: query.get('code') });
  channel.close();
  // The code leaves the address bar and the history at once.
  history.replaceState(null, '', '/');
  window.close();
  return true;
}
