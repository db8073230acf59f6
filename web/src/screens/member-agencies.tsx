import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { ActionProblem, useAction } from '../action';
import { useWords } from '../i18n';
import { DIRECTORY } from '../messages/directory';
import { AGENCY_KINDS, inWords } from '../messages/vocabulary';
import { session } from '../session';
import { forgetAgencyNames, Show, HeadedTable, useLoad } from '../ui';

/** The coordinator's member agencies (the active ones, as the directory lists them), each of which they may deactivate but their own. */
export function MemberAgencies() {
  const words = useWords(DIRECTORY);
  const kinds = useWords(AGENCY_KINDS);
  const [loaded, reload] = useLoad<Array<{ id: string; name: string; kind: string }>>(() => api.GET('/directory/agencies'), []);
  const action = useAction();
  // Deactivation stops a whole agency at once: a second click on a named button confirms it.
  const [confirming, setConfirming] = useState<string>();
  const deactivate = (agencyId: string) =>
    void action
      .run((key) =>
        call(() =>
          api.POST('/directory/agencies/{agencyId}/deactivation', { params: { path: { agencyId } }, headers: { 'Idempotency-Key': key } }),
        ),
      )
      .then((done) => {
        if (!done) return;
        // Other screens' agency names were loaded before: read them again.
        forgetAgencyNames();
        reload();
      });
  return (
    <main>
      <h1>{words.agenciesTitle}</h1>
      <p>{words.deactivateWarning}</p>
      <Show loaded={loaded}>
        {(agencies) => (
          <HeadedTable label={words.agenciesCaption} columns={words.agencyColumns}>
            {agencies.map((a) => (
              <tr key={a.id}>
                <td>{a.name}</td>
                <td>{inWords(kinds, a.kind)}</td>
                <td>
                  {a.id === session()?.agencyId ? (
                    words.yours
                  ) : confirming === a.id ? (
                    <button type="button" class="danger" disabled={action.busy} onClick={() => deactivate(a.id)}>
                      {words.confirmDeactivation(a.name)}
                    </button>
                  ) : (
                    <button
                      type="button"
                      disabled={action.busy}
                      aria-label={words.deactivateWhich(a.name)}
                      onClick={() => setConfirming(a.id)}
                    >
                      {words.deactivate}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </HeadedTable>
        )}
      </Show>
      <ActionProblem action={action} onReload={reload} />
    </main>
  );
}
