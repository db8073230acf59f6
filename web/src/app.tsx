import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useWords } from './i18n';
import { APP } from './messages/app';
import { type NavScreenName, SCREENS, type ScreenName, findScreen, homeOf, mayOpen } from './routes';
import { useRoute } from './router';
import { type Session, onSessionChange, session, signOut } from './session';
import { LanguageSwitcher, forgetAgencyNames } from './ui';
import { AgencyKeys } from './screens/agency-keys';
import { AgencyUsers } from './screens/agency-users';
import { Approvals } from './screens/approvals';
import { Audit } from './screens/audit';
import { MemberAgencies } from './screens/member-agencies';
import { Reports } from './screens/reports';
import { Services } from './screens/services';
import { CasePage } from './screens/case-page';
import { ConsentReceipt } from './screens/consent-receipt';
import { NewCase } from './screens/new-case';
import { RecordConsent } from './screens/record-consent';
import { ReRefer, Refer } from './screens/refer';
import { IncomingReferrals } from './screens/incoming-referrals';
import { MyCases } from './screens/my-cases';
import { ReferralPage } from './screens/referral-page';
import { SignIn } from './screens/sign-in';
import { WithdrawConsent } from './screens/withdraw-consent';

/** What each screen of web/src/routes.ts shows, given its address's varying parts (the compiler wants one per screen). */
const VIEWS: Record<ScreenName, (params: Readonly<Record<string, string>>) => JSX.Element> = {
  'my-cases': () => <MyCases />,
  case: (p) => <CasePage caseId={p.caseId!} />,
  'withdraw-consent': (p) => <WithdrawConsent caseId={p.caseId!} consentId={p.consentId!} />,
  'new-case': () => <NewCase />,
  'record-consent': (p) => <RecordConsent caseId={p.caseId!} />,
  'consent-receipt': (p) => <ConsentReceipt caseId={p.caseId!} consentId={p.consentId!} />,
  refer: (p) => <Refer caseId={p.caseId!} />,
  're-refer': (p) => <ReRefer caseId={p.caseId!} referralId={p.referralId!} />,
  'incoming-referrals': () => <IncomingReferrals />,
  referral: (p) => <ReferralPage caseId={p.caseId!} referralId={p.referralId!} />,
  approvals: () => <Approvals />,
  'my-services': () => <Services mine />,
  users: () => <AgencyUsers />,
  'api-keys': () => <AgencyKeys />,
  agencies: () => <MemberAgencies />,
  directory: () => <Services mine={false} />,
  reports: () => <Reports />,
  audit: () => <Audit />,
};

export function App() {
  const w = useWords(APP);
  const [who, setWho] = useState<Session | undefined>(session);
  const [why, setWhy] = useState<'idle' | 'expired'>();
  useEffect(
    () =>
      onSessionChange((next, reason) => {
        if (!next) forgetAgencyNames();
        setWho(next);
        setWhy(reason);
      }),
    [],
  );
  useEffect(() => {
    document.title = w.title;
  }, [w]);
  if (!who) return <SignIn why={why} />;
  return (
    <>
      <header>
        {/* The screens' addresses live in the fragment, so the skip link moves focus rather than the address. */}
        <a
          class="skip"
          href="#main-content"
          onClick={(e) => {
            e.preventDefault();
            document.getElementById('main-content')?.focus();
          }}
        >
          {w.skip}
        </a>
        <nav aria-label={w.mainNav}>
          {SCREENS.filter((s) => s.inNav && mayOpen(s, who.role)).map((s) => (
            <a key={s.name} href={`#${s.path}`}>
              {w.nav[s.name as NavScreenName]}
            </a>
          ))}
          <button type="button" class="link" onClick={() => signOut()}>
            {w.signOut}
          </button>
        </nav>
        <LanguageSwitcher label={w.language} />
      </header>
      <div id="main-content" tabIndex={-1}>
        <Screen role={who.role} />
      </div>
    </>
  );
}

/** The screen the address names, if the signed-in role may open it; the role's first screen at `/`. */
function Screen({ role }: { role: string }) {
  const w = useWords(APP);
  const route = useRoute();
  const found = route === '/' ? { screen: homeOf(role), params: {} } : findScreen(route);
  if (!found) return <Notice text={w.notFound} />;
  if (!found.screen) return <Notice text={w.nothingForYourRole} />;
  if (!mayOpen(found.screen, role)) return <Notice text={w.notForYourRole} hint={w.notForYourRoleHint} />;
  return VIEWS[found.screen.name as ScreenName](found.params);
}

const Notice = ({ text, hint }: { text: string; hint?: string }) => (
  <main>
    <h1>{text}</h1>
    {hint && <p>{hint}</p>}
  </main>
);
