import { useState } from 'preact/hooks';
import type { paths } from '../api/schema';
import { type Problem, api, call, idempotencyKey } from '../api/client';
import { DueBy, ProblemMessage, ReferralStatus, Show } from '../ui';
import { category, plain, purpose, when, withdrawnBecause } from '../words';
import { type CaseView, PersonalData, useCase } from './case-page';

type DeclineReason =
  paths['/cases/{caseId}/referrals/{referralId}/decline']['post']['requestBody']['content']['application/json']['reason'];

const DECLINE_REASONS: ReadonlyArray<[DeclineReason, string]> = [
  ['no_capacity', 'We have no place or capacity now'],
  ['not_eligible', 'The person is not eligible for this service'],
  ['service_not_offered', 'We do not offer this service'],
  ['person_unreachable', 'We could not reach the person'],
  ['person_declined', 'The person did not want the service'],
  ['safety_concern', 'A safety concern'],
  ['other', 'Another reason'],
];

/**
 * A referral to the caller's agency and the case as consent lets this agency see it: each category
 * the referral shares is shown with its data, or as withdrawn or withheld (and why, and since when),
 * or as not recorded yet: never as an empty field, so "no longer shared" is never read as "nothing known".
 */
export function ReferralPage({ caseId, referralId }: { caseId: string; referralId: string }) {
  const [loaded, reload] = useCase(caseId);
  return (
    <main>
      <h1>Referral</h1>
      <Show loaded={loaded}>
        {(view) => {
          const referral = view.referrals.find((r) => r.referralId === referralId);
          if (!referral) return <p>Not found, or not shared with your agency.</p>;
          const withdrawn = view.withdrawn ?? [];
          return (
            <>
              <dl class="facts">
                <dt>For</dt>
                <dd>
                  {purpose(referral.purpose)}
                  {referral.serviceType && `: ${plain(referral.serviceType)}`}
                </dd>
                <dt>Urgency</dt>
                <dd>{plain(referral.urgency)}</dd>
                <dt>Status</dt>
                <dd>
                  <ReferralStatus referral={referral} />
                  {referral.withdrawalCause && ` (${withdrawnBecause(referral.withdrawalCause)})`}
                </dd>
                <dt>Requested</dt>
                <dd>{when(referral.requestedAt)}</dd>
                <dt>Answer due by</dt>
                <dd>
                  <DueBy referral={referral} />
                </dd>
              </dl>
              <button type="button" onClick={reload}>
                Reload
              </button>
              <Respond caseId={caseId} referral={referral} onDone={reload} />
              <section aria-labelledby="shared">
                <h2 id="shared">What the person agreed to share with you</h2>
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
                          <p class="withdrawn">
                            Withdrawn: {withdrawnBecause(stub.reason)}, since {when(stub.since)}.
                          </p>
                        ) : (
                          <p class="not-recorded">Nothing recorded for this yet.</p>
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
      <h2 id="respond">Your answer</h2>
      <div class="actions">
        {referral.status === 'requested' && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void act(() => call(() => api.POST('/cases/{caseId}/referrals/{referralId}/acknowledge', { params })))}
          >
            Acknowledge (we have seen it)
          </button>
        )}
        {waiting && !referral.onHold && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void act(() => call(() => api.POST('/cases/{caseId}/referrals/{referralId}/accept', { params })))}
          >
            Accept
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
          <label for="decline-reason">Reason to decline</label>
          <select id="decline-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value as DeclineReason)}>
            {DECLINE_REASONS.map(([code, words]) => (
              <option key={code} value={code}>
                {words}
              </option>
            ))}
          </select>
          <button type="submit" disabled={busy}>
            Decline
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
          <label for="outcome">What was provided</label>
          <input id="outcome" required value={outcome} onInput={(e) => setOutcome(e.currentTarget.value)} />
          <button type="submit" disabled={busy}>
            Mark as provided
          </button>
        </form>
      )}
      {!waiting && referral.status !== 'accepted' && <p>Nothing more to answer.</p>}
      <ProblemMessage problem={problem} onReload={onDone} />
    </section>
  );
}
