/**
 * Who is signed in, held in memory only: a reload or a closed tab signs out, and nothing about the
 * user or the people they assist is written to localStorage, sessionStorage, IndexedDB or a cache.
 * Shared devices in camps: after the idle time the server sets (meta idle-sign-out-seconds) without
 * a key press, click or touch, the session ends.
 */
export interface Session {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly userId: string;
  readonly agencyId: string;
  readonly role: string;
}

type Listener = (session: Session | undefined, why?: 'idle' | 'expired') => void;

let current: Session | undefined;
const listeners = new Set<Listener>();
let idleTimer: ReturnType<typeof setTimeout> | undefined;

const ACTIVITY = ['keydown', 'pointerdown', 'touchstart', 'wheel'] as const;

export function idleSeconds(): number {
  const content = document.querySelector('meta[name="idle-sign-out-seconds"]')?.getAttribute('content');
  const seconds = Number(content);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 900;
}

export const session = (): Session | undefined => current;

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Where the agency and role are in an access token: the service's own names, or the ones GET /auth/oidc gives for the provider's. */
export interface ClaimNames {
  readonly agency: string;
  readonly role: string;
}

/** A claim by dotted path (`realm_access.role`), as the service reads the provider's (src/identity/oidc.ts). */
const claim = (claims: Record<string, unknown>, path: string): string => {
  const value = path
    .split('.')
    .reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), claims);
  return typeof value === 'string' ? value : '';
};

/**
 * The claims the screens need (role, agency) from the access token; the API checks them again on every
 * call. An empty refresh token (a provider's sign-in) means signing in again when the access token ends.
 */
export function signedIn(accessToken: string, refreshToken: string, names: ClaimNames = { agency: 'agency', role: 'role' }): Session {
  const claims = JSON.parse(atob(accessToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  current = {
    accessToken,
    refreshToken,
    userId: claim(claims, 'sub'),
    agencyId: claim(claims, names.agency),
    role: claim(claims, names.role),
  };
  for (const event of ACTIVITY) window.addEventListener(event, restartIdleTimer, { passive: true });
  restartIdleTimer();
  listeners.forEach((listener) => listener(current));
  return current;
}

/** A refreshed access token replaces the old one without the screens noticing. */
export function refreshed(accessToken: string, refreshToken: string): void {
  if (current) current = { ...current, accessToken, refreshToken };
}

export function signOut(why?: 'idle' | 'expired'): void {
  current = undefined;
  if (idleTimer !== undefined) clearTimeout(idleTimer);
  for (const event of ACTIVITY) window.removeEventListener(event, restartIdleTimer);
  listeners.forEach((listener) => listener(undefined, why));
}

function restartIdleTimer(): void {
  if (idleTimer !== undefined) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => signOut('idle'), idleSeconds() * 1000);
}
