import { useState } from 'preact/hooks';
import type { paths } from '../api/schema';
import { type Problem, api, call, idempotencyKey } from '../api/client';
import { DueBy, ProblemMessage, ReferralStatus, Show } from '../ui';
import { formatWhen, useWords } from '../i18n';
import { REFERRALS } from '../messages/referrals';
import { category, declineReason, detail, purpose, serviceType, urgency, withdrawnBecause } from '../words';
import { type IdentificationOutcome, codes } from '../api/types';
import { caseCodes } from '../messages/case-codes';
import { ActionForm } from './case-actions';
import { type CaseView, PersonalData, useCase } from './case-page';
import { CodeSelect } from './form-parts';

type DeclineReason =
  paths['/cases/{caseId}/referrals/{referralId}/decline']['post']['requestBody']['content']['application/json']['reason'];

const DECLINE_REASONS: readonly DeclineReason[] = [
  'no_capacity',
  'not_eligible',
  'service_not_offered',
  'person_unreachable',
  'person_declined',
  'safety_concern',
  'other',
];

/**
 * A referral to the caller's agency and the case as consent lets this agency see it: each category
 * the referral shares is shown with its data, or as withdrawn or withheld (and why, and since when),
 * or as not recorded yet: never as an empty field, so "no longer shared" is never read as "nothing known".
 */
export function ReferralPage({ caseId, referralId }: { caseId: string; referralId: string }) {
  const w = useWords(REFERRALS);
  const [loaded, reload] = useCase(caseId);
  return (
    <main>
      <h1>{w.referral}</h1>
      <Show loaded={loaded}>
        {(view) => {
          const referral = view.referrals.find((r) => r.referralId === referralId);
          if (!referral) return <p>{w.notShared}</p>;
          const withdrawn = view.withdrawn ?? [];
          return (
            <>
              <dl class="facts">
                <dt>{w.facts.for}</dt>
                <dd>
                  {referral.serviceType ? detail(purpose(referral.purpose), serviceType(referral.serviceType)) : purpose(referral.purpose)}
                </dd>
                <dt>{w.facts.urgency}</dt>
                <dd>{urgency(referral.urgency)}</dd>
                <dt>{w.facts.status}</dt>
                <dd>
                  <ReferralStatus referral={referral} />
                  {referral.withdrawalCause && ` (${withdrawnBecause(referral.withdrawalCause)})`}
                </dd>
                <dt>{w.facts.requested}</dt>
                <dd>{formatWhen(referral.requestedAt)}</dd>
                <dt>{w.facts.due}</dt>
                <dd>
                  <DueBy referral={referral} />
                </dd>
              </dl>
              <button type="button" onClick={reload}>
                {w.reload}
              </button>
              <Respond caseId={caseId} referral={referral} onDone={reload} />
              {referral.serviceType === 'in_depth_interview' && <Identification view={view} referral={referral} onDone={reload} />}
              <section aria-labelledby="shared">
                <h2 id="shared">{w.shared}</h2>
                <ul class="categories">
                  {referral.sharedCategories.map((code) => {
                    const data = view.personalData[code];
                    const stub = withdrawn.find((w) => w.category === code);
                    return (
                      <li key={code} data-category={code}>
                        <h3>{category(code)}</h3>
                        {data ? (
                          <PersonalData data={{ [code]: data }} />
                        ) : stub ? (
                          <p class="withdrawn">{w.withdrawn(withdrawnBecause(stub.reason), formatWhen(stub.since))}</p>
                        ) : (
                          <p class="not-recorded">{w.notRecorded}</p>
                        )}
                      </li>
                    );
                  })}
                </ul>
              </section>
            </>
          );
        }}
      </Show>
    </main>
  );
}

type Referral = CaseView['referrals'][number];

/** The receiving agency's answers, each offered only when the referral's status allows it. */
function Respond({ caseId, referral, onDone }: { caseId: string; referral: Referral; onDone: () => void }) {
  const w = useWords(REFERRALS);
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState<DeclineReason>('no_capacity');
  const [outcome, setOutcome] = useState('');
  // One key per answer the user means to give: a double click or a retry writes once.
  const [key, setKey] = useState(idempotencyKey);
  const path = { caseId, referralId: referral.referralId };
  const params = { path, header: { 'Idempotency-Key': key } };
  const waiting = referral.status === 'requested' || referral.status === 'acknowledged';

  const act = async (send: () => ReturnType<typeof call>) => {
    setBusy(true);
    setProblem(undefined);
    const answer = await send();
    setBusy(false);
    if (!answer.ok) {
      setProblem(answer.problem);
      return;
    }
    setKey(idempotencyKey());
    onDone();
  };

  return (
    <section aria-labelledby="respond">
      <h2 id="respond">{w.answer}</h2>
      <div class="actions">
        {referral.status === 'requested' && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void act(() => call(() => api.POST('/cases/{caseId}/referrals/{referralId}/acknowledge', { params })))}
          >
            {w.acknowledge}
          </button>
        )}
        {waiting && !referral.onHold && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void act(() => call(() => api.POST('/cases/{caseId}/referrals/{referralId}/accept', { params })))}
          >
            {w.accept}
          </button>
        )}
      </div>
      {waiting && (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            void act(() => call(() => api.POST('/cases/{caseId}/referrals/{referralId}/decline', { params, body: { reason } })));
          }}
        >
          <label for="decline-reason">{w.declineReason}</label>
          <select id="decline-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value as DeclineReason)}>
            {DECLINE_REASONS.map((code) => (
              <option key={code} value={code}>
                {declineReason(code)}
              </option>
            ))}
          </select>
          <button type="submit" disabled={busy}>
            {w.decline}
          </button>
        </form>
      )}
      {referral.status === 'accepted' && !referral.onHold && (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            void act(() => call(() => api.POST('/cases/{caseId}/referrals/{referralId}/complete', { params, body: { outcome } })));
          }}
        >
          <label for="outcome">{w.outcome}</label>
          <input id="outcome" required value={outcome} onInput={(e) => setOutcome(e.currentTarget.value)} />
          <button type="submit" disabled={busy}>
            {w.complete}
          </button>
        </form>
      )}
      {!waiting && referral.status !== 'accepted' && <p>{w.nothingMore}</p>}
      <ProblemMessage problem={problem} onReload={onDone} />
    </section>
  );
}

/**
 * The in-depth interview's outcome, recorded by the agency that conducted it: offered once it has
 * accepted the referral and while the case is open (a referral on hold means the case is paused).
 */
function Identification({ view, referral, onDone }: { view: CaseView; referral: Referral; onDone: () => void }) {
  const w = useWords(REFERRALS);
  const c = useWords(caseCodes);
  const [outcome, setOutcome] = useState<IdentificationOutcome>('trafficked_person');
  // An accepted referral not on hold means an open case; after completion only a case status the agency
  // may see says so (otherwise the form would lead to a refusal about a status it may not know).
  const recordable = (referral.status === 'accepted' && !referral.onHold) || (referral.status === 'completed' && view.status === 'open');
  return (
    <section aria-labelledby="identification">
      <h2 id="identification">{w.identification}</h2>
      <p>{referral.identification ? w.identified(c.identification[referral.identification]) : w.notIdentified}</p>
      {recordable && (
        <ActionForm
          view={view}
          onDone={onDone}
          id="record-identification"
          name={w.identification}
          label={w.recordIdentification}
          send={(header) =>
            api.POST('/cases/{caseId}/referrals/{referralId}/identification', {
              params: { path: { caseId: view.caseId, referralId: referral.referralId }, header },
              body: { outcome },
            })
          }
        >
          <CodeSelect
            id="identification-outcome"
            label={w.identificationOutcome}
            value={outcome}
            options={codes(c.identification)}
            words={c.identification}
            onChange={setOutcome}
          />
        </ActionForm>
      )}
    </section>
  );
}
