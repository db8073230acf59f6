import { useEffect, useState } from 'preact/hooks';
import { type Problem, api, call } from '../api/client';
import { type Provider, discover, signInWithProvider } from '../oidc';
import { signedIn } from '../session';
import { useWords, wordsOf } from '../i18n';
import { SIGN_IN } from '../messages/sign-in';
import { LanguageSwitcher } from '../ui';
import { CredentialField, CredentialForm } from './credential-form';
import { ChoosePassword } from './choose-password';

interface Organisation {
  provider: Provider;
  discovery: Awaited<ReturnType<typeof discover>>;
}

/**
 * Sign in with the agency's local account, or (where the service names an identity provider) with
 * the organisation's own; the tokens stay in this page's memory only.
 */
export function SignIn({ why }: { why: 'idle' | 'expired' | undefined }) {
  const w = useWords(SIGN_IN);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const [organisation, setOrganisation] = useState<Organisation>();
  const [mustChoose, setMustChoose] = useState(false);

  useEffect(() => {
    void (async () => {
      const answer = await call(() => api.GET('/auth/oidc'));
      if (!answer.ok || !answer.data.configured) return;
      try {
        setOrganisation({ provider: answer.data, discovery: await discover(answer.data) });
      } catch {
        // An unreachable provider: the local account still works, so the button is not offered.
      }
    })();
  }, []);

  const withOrganisation = async () => {
    if (!organisation) return;
    setBusy(true);
    setProblem(undefined);
    try {
      await signInWithProvider(organisation.provider, organisation.discovery);
    } catch {
      setProblem({ status: 400, said: wordsOf(SIGN_IN).organisationFailed });
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    setBusy(true);
    const answer = await call(() => api.POST('/auth/token', { body: { username, password } }));
    setBusy(false);
    // The only 403 of /auth/token: the password was right, but it was an initial one (password-change-required).
    if (!answer.ok && answer.problem.status === 403) {
      setMustChoose(true);
      return;
    }
    if (!answer.ok) {
      // The API's 401 here means the credentials, not an ended session.
      setProblem(answer.problem.status === 401 ? { status: 400, said: wordsOf(SIGN_IN).wrongCredentials } : answer.problem);
      return;
    }
    setPassword('');
    signedIn(answer.data.access_token, answer.data.refresh_token);
  };

  return (
    <main class="narrow">
      <LanguageSwitcher label={w.language} />
      <h1>{w.heading}</h1>
      {why === 'idle' && (
        <p class="notice" role="status">
          {w.idle}
        </p>
      )}
      {why === 'expired' && (
        <p class="notice" role="status">
          {w.expired}
        </p>
      )}
      {mustChoose ? (
        <ChoosePassword username={username} currentPassword={password} />
      ) : (
        <>
          <CredentialForm onSubmit={submit} problem={problem} busy={busy} submit={w.submit}>
            <CredentialField id="username" label={w.username} autocomplete="username" value={username} onInput={setUsername} />
            <CredentialField id="password" label={w.password} autocomplete="current-password" value={password} onInput={setPassword} />
          </CredentialForm>
          {organisation && (
            <button type="button" disabled={busy} onClick={() => void withOrganisation()}>
              {w.withOrganisation}
            </button>
          )}
        </>
      )}
    </main>
  );
}
