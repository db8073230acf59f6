import { useEffect, useState } from 'preact/hooks';
import { match, useRoute } from './router';
import { type Session, onSessionChange, session, signOut } from './session';
import { forgetAgencyNames } from './ui';
import { CasePage } from './screens/case-page';
import { caseworkerScreen } from './screens/caseworker-routes';
import { useWords } from './i18n';
import { caseActionWords } from './messages/case-actions';
import { IncomingReferrals } from './screens/incoming-referrals';
import { MyCases } from './screens/my-cases';
import { ReferralPage } from './screens/referral-page';
import { SignIn } from './screens/sign-in';
import { WithdrawConsent } from './screens/withdraw-consent';

/** Roles that work on their own agency's cases and answer referrals (the API's case.read and referral.respond). */
const CASE_ROLES = new Set(['caseworker', 'supervisor']);

export function App() {
  const [who, setWho] = useState<Session | undefined>(session);
  const [why, setWhy] = useState<'idle' | 'expired'>();
  const caseworker = useWords(caseActionWords);
  useEffect(
    () =>
      onSessionChange((next, reason) => {
        if (!next) forgetAgencyNames();
        setWho(next);
        setWhy(reason);
      }),
    [],
  );
  if (!who) return <SignIn why={why} />;
  return (
    <>
      <header>
        <a class="skip" href="#main-content">
          Skip to content
        </a>
        <nav aria-label="Main">
          {CASE_ROLES.has(who.role) && <a href="#/cases">My cases</a>}
          {CASE_ROLES.has(who.role) && <a href="#/cases/new">{caseworker.newCase}</a>}
          <a href="#/referrals">Referrals to my agency</a>
          <button type="button" class="link" onClick={() => signOut()}>
            Sign out
          </button>
        </nav>
      </header>
      <div id="main-content">
        <Screen role={who.role} />
      </div>
    </>
  );
}

function Screen({ role }: { role: string }) {
  const route = useRoute();
  const cases = match('/cases/', route);
  const caseworkers = cases && CASE_ROLES.has(role) ? caseworkerScreen(cases) : undefined;
  if (caseworkers) return caseworkers;
  if (cases?.length === 4 && cases[1] === 'consents' && cases[3] === 'withdraw')
    return <WithdrawConsent caseId={cases[0]!} consentId={cases[2]!} />;
  if (cases?.length === 1) return <CasePage caseId={cases[0]!} />;
  const referral = match('/referrals/', route);
  if (referral?.length === 2) return <ReferralPage caseId={referral[0]!} referralId={referral[1]!} />;
  if (route === '/referrals' || !CASE_ROLES.has(role)) return <IncomingReferrals />;
  return <MyCases />;
}
