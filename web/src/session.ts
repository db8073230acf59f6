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

/** The claims the screens need (role, agency) from the access token; the API checks them again on every call. */
export function signedIn(accessToken: string, refreshToken: string): Session {
  const claims = JSON.parse(atob(accessToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as {
    sub: string;
    agency: string;
    role: string;
  };
  current = { accessToken, refreshToken, userId: claims.sub, agencyId: claims.agency, role: claims.role };
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
