import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { ActionProblem, useAction } from '../action';
import { formatWhen, useWords } from '../i18n';
import { APPROVALS } from '../messages/approvals';
import { session } from '../session';
import { ShortId, Show, useLoad } from '../ui';
import { useCase } from './case-page';
import { DeterminationFacts, ErasureReason } from './determinations';

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
  // A page at a time, oldest first: the list says when more wait, never cuts them off silently.
  const [cursor, setCursor] = useState<string | undefined>();
  const [loaded, reload] = useLoad<{ items: Waiting[]; nextCursor?: string }>(
    () => api.GET('/approvals', { params: { query: cursor ? { cursor } : {} } }),
    [cursor],
  );
  return (
    <main>
      <h1>{words.title}</h1>
      <p>{words.intro}</p>
      <Show loaded={loaded}>
        {({ items, nextCursor }) =>
          items.length === 0 && !cursor ? (
            <p>{words.empty}</p>
          ) : (
            <>
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
                    <Subject item={item} onDone={reload} />
                  </li>
                ))}
              </ul>
              <div class="actions">
                {cursor && (
                  <button type="button" onClick={() => setCursor(undefined)}>
                    {words.oldest}
                  </button>
                )}
                {nextCursor && (
                  <button type="button" onClick={() => setCursor(nextCursor)}>
                    {words.more}
                  </button>
                )}
              </div>
            </>
          )
        }
      </Show>
    </main>
  );
}

/**
 * What is to be decided, from the case's owner view: a determination's scope and reasons, or why the
 * erasure was asked for. Approve and Reject appear only once it is shown, so no one approves blind.
 */
function Subject({ item, onDone }: { item: Waiting; onDone: () => void }) {
  const [loaded] = useCase(item.caseId);
  return (
    <Show loaded={loaded}>
      {(view) => {
        const determination = view.determinations?.find((d) => d.determinationId === item.id);
        return (
          <>
            {determination && <DeterminationFacts determination={determination} />}
            {item.kind === 'erasure_request' && <ErasureReason view={view} />}
            <Decide item={item} onDone={onDone} />
          </>
        );
      }}
    </Show>
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
