import { useState } from 'preact/hooks';
import { type Problem, api, call } from '../api/client';
import { signedIn } from '../session';
import { useWords, wordsOf } from '../i18n';
import { CHOOSE_PASSWORD } from '../messages/sign-in';
import { CredentialField, CredentialForm } from './credential-form';

/** The service's rule for a new password (POST /auth/password): checked here too, to say it in the user's words. */
const MIN_LENGTH = 12;

/**
 * After a sign-in with an initial password (one the admin saw): the person chooses their own, then
 * is signed in with it. Every password stays in this component's memory only.
 */
export function ChoosePassword({ username, currentPassword }: { username: string; currentPassword: string }) {
  const w = useWords(CHOOSE_PASSWORD);
  const [newPassword, setNewPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const words = wordsOf(CHOOSE_PASSWORD);
    const refusal =
      newPassword.length < MIN_LENGTH
        ? words.tooShort(MIN_LENGTH)
        : newPassword !== repeated
          ? words.different
          : newPassword === currentPassword
            ? words.same
            : undefined;
    if (refusal) {
      setProblem({ status: 400, said: refusal });
      return;
    }
    setBusy(true);
    const changed = await call(() => api.POST('/auth/password', { body: { username, currentPassword, newPassword } }));
    const answer = changed.ok ? await call(() => api.POST('/auth/token', { body: { username, password: newPassword } })) : changed;
    setBusy(false);
    if (!answer.ok) {
      setProblem(answer.problem);
      return;
    }
    signedIn(answer.data.access_token, answer.data.refresh_token);
  };

  return (
    <CredentialForm onSubmit={submit} problem={problem} busy={busy} submit={w.submit}>
      <h2>{w.heading}</h2>
      <p>{w.why}</p>
      <CredentialField id="new-password" label={w.newPassword} autocomplete="new-password" value={newPassword} onInput={setNewPassword} />
      <CredentialField id="repeat-password" label={w.repeat} autocomplete="new-password" value={repeated} onInput={setRepeated} />
    </CredentialForm>
  );
}
