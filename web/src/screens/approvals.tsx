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
            <table>
              <caption class="visually-hidden">{words.caption}</caption>
              <thead>
                <tr>
                  {words.columns.map((c) => (
                    <th scope="col" key={c}>
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={item.id} data-approval={item.id}>
                    <td>{words.kind[item.kind]}</td>
                    <td>
                      <a href={`#/cases/${item.caseId}`}>
                        <ShortId id={item.caseId} />
                      </a>
                    </td>
                    <td>{formatWhen(item.proposedAt)}</td>
                    <td>
                      <Decide item={item} onDone={reload} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
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
  const determination = (decision: 'approval' | 'rejection') => () =>
    void action
      .run((key) =>
        call(() => {
          const options = { params: { path: { caseId: item.caseId, determinationId: item.id }, header: { 'Idempotency-Key': key } } };
          return decision === 'approval'
            ? api.POST('/cases/{caseId}/best-interests-determinations/{determinationId}/approval', options)
            : api.POST('/cases/{caseId}/best-interests-determinations/{determinationId}/rejection', options);
        }),
      )
      .then((done) => done && onDone());
  const erase = () =>
    void action
      .run((key) =>
        call(() =>
          api.POST('/cases/{caseId}/erasure-requests/{requestId}/approval', {
            params: { path: { caseId: item.caseId, requestId: item.id }, header: { 'Idempotency-Key': key } },
          }),
        ),
      )
      .then((done) => done && onDone());

  return (
    <div>
      {yours && <p class="note">{words.yours}</p>}
      <div class="actions">
        {item.kind === 'best_interests_determination' ? (
          <>
            <button type="button" disabled={action.busy} onClick={determination('approval')}>
              {words.approve}
            </button>
            <button type="button" disabled={action.busy} onClick={determination('rejection')}>
              {words.reject}
            </button>
          </>
        ) : confirming ? (
          <button type="button" class="danger" disabled={action.busy} onClick={erase}>
            {words.confirmErasure}
          </button>
        ) : (
          <button type="button" disabled={action.busy} onClick={() => setConfirming(true)}>
            {words.approve}
          </button>
        )}
      </div>
      {item.kind === 'erasure_request' && <p class="note">{words.noRejection}</p>}
      <ActionProblem action={action} onReload={onDone} />
    </div>
  );
}
