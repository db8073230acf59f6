import { useEffect, useState } from 'preact/hooks';
import { type Problem, api, call, idempotencyKey } from '../api/client';
import { go } from '../router';
import { ProblemMessage, Show, useAgencyName } from '../ui';
import { useWords } from '../i18n';
import { WITHDRAW } from '../messages/withdraw-consent';
import { anyAgency, category, detail, purpose, status } from '../words';
import { ReferralTable, useCase } from './case-page';

/**
 * Withdrawing a consent, whole or some of its provisions. Before the user confirms, the screen asks
 * the service which referrals the withdrawal would take with it (the decider's own rule, nothing
 * written) and lists them.
 */
export function WithdrawConsent({ caseId, consentId }: { caseId: string; consentId: string }) {
  const w = useWords(WITHDRAW);
  const [loaded, reload] = useCase(caseId);
  const agencyName = useAgencyName();
  const [chosen, setChosen] = useState<string[] | undefined>(undefined);
  const [affected, setAffected] = useState<string[]>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  // One key per intended withdrawal: a double click or a retry after a lost answer writes once.
  const [key] = useState(idempotencyKey);
  const body = chosen === undefined ? {} : { provisionIds: chosen };

  useEffect(() => {
    setAffected(undefined);
    if (chosen?.length === 0) return;
    void call(() =>
      api.POST('/cases/{caseId}/consents/{consentId}/withdrawal-preview', { params: { path: { caseId, consentId } }, body }),
    ).then((answer) => (answer.ok ? setAffected(answer.data.withdrawnReferrals) : setProblem(answer.problem)));
  }, [caseId, consentId, chosen === undefined ? 'whole' : chosen.join(',')]);

  const confirm = async () => {
    setBusy(true);
    setProblem(undefined);
    const answer = await call(() =>
      api.POST('/cases/{caseId}/consents/{consentId}/withdrawal', {
        params: { path: { caseId, consentId }, header: { 'Idempotency-Key': key } },
        body,
      }),
    );
    setBusy(false);
    if (answer.ok) go(`/cases/${caseId}`);
    else setProblem(answer.problem);
  };

  return (
    <main>
      <h1>{w.heading}</h1>
      <Show loaded={loaded}>
        {(view) => {
          const consent = (view.consents ?? []).find((c) => c.consentId === consentId);
          if (!consent) return <p>{w.notInCase}</p>;
          const open = consent.provisions.filter((p) => p.status === 'live' || p.status === 'not_yet_valid');
          const willWithdraw = view.referrals.filter((r) => affected?.includes(r.referralId));
          return (
            <>
              <fieldset>
                <legend>{w.what}</legend>
                <label class="choice">
                  <input type="radio" name="scope" checked={chosen === undefined} onChange={() => setChosen(undefined)} />
                  {w.whole}
                </label>
                <label class="choice">
                  <input type="radio" name="scope" checked={chosen !== undefined} onChange={() => setChosen([])} />
                  {w.some}
                </label>
                {chosen !== undefined &&
                  open.map((p) => (
                    <label class="choice nested" key={p.provisionId}>
                      <input
                        type="checkbox"
                        checked={chosen.includes(p.provisionId)}
                        onChange={(e) =>
                          setChosen(e.currentTarget.checked ? [...chosen, p.provisionId] : chosen.filter((id) => id !== p.provisionId))
                        }
                      />
                      {detail(
                        p.recipient.agencyId ? agencyName(p.recipient.agencyId) : anyAgency(p.recipient.agencyKind),
                        `${purpose(p.purpose)}, ${p.categories.map(category).join('; ')} (${status(p.status)})`,
                      )}
                    </label>
                  ))}
              </fieldset>
              <section aria-labelledby="consequences" aria-live="polite">
                <h2 id="consequences">{w.consequences}</h2>
                {chosen?.length === 0 ? (
                  <p>{w.chooseOne}</p>
                ) : affected === undefined ? (
                  <p role="status">{w.checking}</p>
                ) : willWithdraw.length === 0 ? (
                  <p>{w.noneRely}</p>
                ) : (
                  <>
                    <p>{w.willWithdraw(willWithdraw.length)}</p>
                    <ReferralTable referrals={willWithdraw} agencyName={agencyName} />
                  </>
                )}
              </section>
              <ProblemMessage problem={problem} onReload={reload} />
              <div class="actions">
                <button type="button" class="danger" disabled={busy || affected === undefined} onClick={() => void confirm()}>
                  {w.confirm}
                </button>
                <a class="button" href={`#/cases/${caseId}`}>
                  {w.cancel}
                </a>
              </div>
            </>
          );
        }}
      </Show>
    </main>
  );
}
