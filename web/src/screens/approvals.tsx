import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { ActionProblem, useAction } from '../action';
import { formatWhen, useWords } from '../i18n';
import { APPROVALS } from '../messages/approvals';
import { session } from '../session';
import { ShortId, Show, useLoad } from '../ui';

interface Waiting {
  kind: 'best_interests_determination' | 'erasure_request';
  caseId: string;
  id: string;
  proposedBy: string;
  proposedAt: string;
}

/**
 * The supervisor's approvals: what waits for a second person in the agency's cases. The proposer
 * is told before trying that someone else must decide; the API refuses them anyway, and its
 * refusal is shown if they try.
 */
export function Approvals() {
  const words = useWords(APPROVALS);
  const [loaded, reload] = useLoad<{ items: Waiting[] }>(() => api.GET('/approvals'), []);
  return (
    <main>
      <h1>{words.title}</h1>
      <p>{words.intro}</p>
      <Show loaded={loaded}>
        {({ items }) =>
          items.length === 0 ? (
            <p>{words.empty}</p>
          ) : (
            <ul class="cards" aria-label={words.caption}>
              {items.map((item) => (
                <li key={item.id} data-approval={item.id}>
                  <h2>{words.kind[item.kind]}</h2>
                  <dl class="facts">
                    <dt>{words.case}</dt>
                    <dd>
                      <a href={`#/cases/${item.caseId}`}>
                        <ShortId id={item.caseId} />
                      </a>
                    </dd>
                    <dt>{words.proposed}</dt>
                    <dd>{formatWhen(item.proposedAt)}</dd>
                  </dl>
                  <Decide item={item} onDone={reload} />
                </li>
              ))}
            </ul>
          )
        }
      </Show>
    </main>
  );
}

function Decide({ item, onDone }: { item: Waiting; onDone: () => void }) {
  const words = useWords(APPROVALS);
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const yours = item.proposedBy === session()?.userId;
  // Approval and rejection go through one path, so the two decisions of either kind cannot drift apart.
  const decide = (decision: 'approval' | 'rejection') => () =>
    void action
      .run((key) =>
        call(() => {
          const header = { 'Idempotency-Key': key };
          if (item.kind === 'erasure_request') {
            const options = { params: { path: { caseId: item.caseId, requestId: item.id }, header } };
            return decision === 'approval'
              ? api.POST('/cases/{caseId}/erasure-requests/{requestId}/approval', options)
              : api.POST('/cases/{caseId}/erasure-requests/{requestId}/rejection', options);
          }
          const options = { params: { path: { caseId: item.caseId, determinationId: item.id }, header } };
          return decision === 'approval'
            ? api.POST('/cases/{caseId}/best-interests-determinations/{determinationId}/approval', options)
            : api.POST('/cases/{caseId}/best-interests-determinations/{determinationId}/rejection', options);
        }),
      )
      .then((done) => done && onDone());

  return (
    <div>
      {yours && <p class="note">{words.yours}</p>}
      <div class="actions">
        {item.kind === 'erasure_request' && confirming ? (
          <button type="button" class="danger" disabled={action.busy} onClick={decide('approval')}>
            {words.confirmErasure}
          </button>
        ) : (
          // Erasure cannot be undone: its approval asks once more before it is sent.
          <button
            type="button"
            disabled={action.busy}
            onClick={item.kind === 'erasure_request' ? () => setConfirming(true) : decide('approval')}
          >
            {words.approve}
          </button>
        )}
        <button type="button" disabled={action.busy} onClick={decide('rejection')}>
          {words.reject}
        </button>
      </div>
      <ActionProblem action={action} onReload={onDone} />
    </div>
  );
}
