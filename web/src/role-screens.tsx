import type { JSX } from 'preact';
import { useWords } from './i18n';
import { OVERSIGHT } from './messages/oversight';
import { AgencyKeys } from './screens/agency-keys';
import { AgencyUsers } from './screens/agency-users';
import { Approvals } from './screens/approvals';
import { Audit } from './screens/audit';
import { MemberAgencies } from './screens/member-agencies';
import { Reports } from './screens/reports';
import { Services } from './screens/services';

type Label = keyof typeof OVERSIGHT.en &
  ('approvals' | 'myServices' | 'users' | 'apiKeys' | 'agencies' | 'directory' | 'reports' | 'audit');

/**
 * The screens of supervisors, agency admins, coordinators and auditors, and of staff keeping their
 * services' capacity, each for the roles the API's permission table (src/identity/roles.ts) allows
 * its calls to. The navigation shows a role its own; a link to another role's says it is not
 * theirs (the API refuses its calls anyway).
 */
const SCREENS: ReadonlyArray<{ path: string; label: Label; roles: readonly string[]; screen: () => JSX.Element }> = [
  { path: '/approvals', label: 'approvals', roles: ['supervisor'], screen: () => <Approvals /> },
  // service.capacity
  { path: '/my-services', label: 'myServices', roles: ['caseworker', 'supervisor', 'agency_admin'], screen: () => <Services mine /> },
  { path: '/users', label: 'users', roles: ['agency_admin'], screen: () => <AgencyUsers /> },
  { path: '/api-keys', label: 'apiKeys', roles: ['agency_admin'], screen: () => <AgencyKeys /> },
  { path: '/agencies', label: 'agencies', roles: ['network_coordinator'], screen: () => <MemberAgencies /> },
  { path: '/directory', label: 'directory', roles: ['network_coordinator'], screen: () => <Services mine={false} /> },
  { path: '/reports', label: 'reports', roles: ['network_coordinator'], screen: () => <Reports /> },
  { path: '/audit', label: 'audit', roles: ['auditor'], screen: () => <Audit /> },
];

/** The role's links in the header. */
export function RoleLinks({ role }: { role: string }) {
  const words = useWords(OVERSIGHT);
  return (
    <>
      {SCREENS.filter((s) => s.roles.includes(role)).map((s) => (
        <a key={s.path} href={`#${s.path}`}>
          {words[s.label]}
        </a>
      ))}
    </>
  );
}

/** Where a role without cases or referrals starts. */
export const firstScreenOf = (role: string): string | undefined => SCREENS.find((s) => s.roles.includes(role))?.path;

/** The screen at `route` for `role`: its own, "not available to your role", or undefined when the route is none of these. */
export function roleScreen(route: string, role: string): JSX.Element | undefined {
  const screen = SCREENS.find((s) => s.path === route);
  if (!screen) return undefined;
  return screen.roles.includes(role) ? screen.screen() : <NotForYourRole />;
}

export function NotForYourRole() {
  const words = useWords(OVERSIGHT);
  return (
    <main>
      <h1>{words.notForYourRole}</h1>
      <p>{words.notForYourRoleHint}</p>
    </main>
  );
}
