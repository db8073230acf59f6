/**
 * Every screen behind sign-in: its address (in the URL's fragment, `:name` for a part that varies)
 * and the roles it is for. One list, read by the app to choose the screen and its navigation, and
 * by the browser tests to visit every screen (test/web-every-screen.browser.spec.ts). Plain data,
 * no DOM and no Preact, so that the tests can import it.
 */
export interface ScreenRoute {
  readonly name: string;
  readonly path: string;
  readonly roles: readonly string[];
  /** Listed in the header's navigation (screens reached from another screen are not). */
  readonly inNav: boolean;
}

/** The roles that keep their agency's own cases and read the cases referred to it (the API's case.read). */
const CASE_ROLES = ['caseworker', 'supervisor'];

export const SCREENS = [
  { name: 'my-cases', path: '/cases', roles: CASE_ROLES, inNav: true },
  // Before the case page, whose :caseId would otherwise take "new".
  { name: 'new-case', path: '/cases/new', roles: CASE_ROLES, inNav: true },
  { name: 'case', path: '/cases/:caseId', roles: CASE_ROLES, inNav: false },
  { name: 'record-consent', path: '/cases/:caseId/consents/new', roles: CASE_ROLES, inNav: false },
  { name: 'consent-receipt', path: '/cases/:caseId/consents/:consentId/receipt', roles: CASE_ROLES, inNav: false },
  { name: 'refer', path: '/cases/:caseId/refer', roles: CASE_ROLES, inNav: false },
  { name: 're-refer', path: '/cases/:caseId/referrals/:referralId/re-refer', roles: CASE_ROLES, inNav: false },
  { name: 'withdraw-consent', path: '/cases/:caseId/consents/:consentId/withdraw', roles: CASE_ROLES, inNav: false },
  // The API's referral.list: frontline workers see what was referred to their agency too.
  { name: 'incoming-referrals', path: '/referrals', roles: ['frontline_worker', ...CASE_ROLES], inNav: true },
  { name: 'referral', path: '/referrals/:caseId/:referralId', roles: CASE_ROLES, inNav: false },
  // Each for the roles the API's permission table (src/identity/roles.ts) allows its calls to.
  { name: 'approvals', path: '/approvals', roles: ['supervisor'], inNav: true },
  // service.capacity
  { name: 'my-services', path: '/my-services', roles: [...CASE_ROLES, 'agency_admin'], inNav: true },
  { name: 'users', path: '/users', roles: ['agency_admin'], inNav: true },
  { name: 'api-keys', path: '/api-keys', roles: ['agency_admin'], inNav: true },
  { name: 'agencies', path: '/agencies', roles: ['network_coordinator'], inNav: true },
  { name: 'directory', path: '/directory', roles: ['network_coordinator'], inNav: true },
  { name: 'reports', path: '/reports', roles: ['network_coordinator'], inNav: true },
  { name: 'audit', path: '/audit', roles: ['auditor'], inNav: true },
] as const satisfies readonly ScreenRoute[];

export type ScreenName = (typeof SCREENS)[number]['name'];
export type NavScreenName = Extract<(typeof SCREENS)[number], { inNav: true }>['name'];

/** The screen an address shows and the values of its varying parts, or undefined when none matches. */
export function findScreen(route: string): { screen: (typeof SCREENS)[number]; params: Record<string, string> } | undefined {
  const parts = route.split('/').filter(Boolean);
  for (const screen of SCREENS) {
    const pattern = screen.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((p, i) => {
      if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(parts[i]!);
      else if (p !== parts[i]) return false;
      return true;
    });
    if (matches) return { screen, params };
  }
  return undefined;
}

/** A screen's address with its varying parts filled in. */
export const pathOf = (screen: ScreenRoute, params: Readonly<Record<string, string>>): string =>
  screen.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${screen.path}`);
    return encodeURIComponent(value);
  });

export const mayOpen = (screen: ScreenRoute, role: string): boolean => screen.roles.includes(role);

/** Where a role lands after signing in: the first screen of its navigation. */
export const homeOf = (role: string): ScreenRoute | undefined => SCREENS.find((s) => s.inNav && mayOpen(s, role));
