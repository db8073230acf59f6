import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { ActionProblem, useAction } from '../action';
import { formatWhen, useWords } from '../i18n';
import { ADMIN } from '../messages/admin';
import { Show, HeadedTable, useLoad } from '../ui';
import { ShownOnce } from './shown-once';

interface ApiKey {
  id: string;
  name: string;
  actions: string[];
  createdAt: string;
  revokedAt: string | null;
}

/** The agency admin's partner API keys: the list, creating one (the key shown once), revoking one. */
export function AgencyKeys() {
  const words = useWords(ADMIN);
  const [loaded, reload] = useLoad<ApiKey[]>(() => api.GET('/agency/api-keys'), []);
  const revocation = useAction();
  const [name, setName] = useState('');
  const [readOnly, setReadOnly] = useState(false);
  const creation = useAction();
  const [created, setCreated] = useState<{ name: string; key: string }>();
  const revoke = (key: ApiKey) =>
    void revocation
      .run((idempotency) =>
        call(() =>
          api.POST('/agency/api-keys/{keyId}/revocation', {
            params: { path: { keyId: key.id } },
            headers: { 'Idempotency-Key': idempotency },
          }),
        ),
      )
      .then((done) => done && reload());
  return (
    <main>
      <h1>{words.keysTitle}</h1>
      <p>{words.keysIntro}</p>
      <section aria-labelledby="new-key">
        <h2 id="new-key">{words.newKey}</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const keyName = name;
            void creation
              .run<{ key: string }>((idempotency) =>
                call<{ key: string }>(() =>
                  api.POST('/agency/api-keys', {
                    body: { name: keyName, ...(readOnly ? { readOnly } : {}) },
                    headers: { 'Idempotency-Key': idempotency },
                  }),
                ),
              )
              .then((done) => {
                if (!done) return;
                setCreated({ name: keyName, key: done.data.key });
                setName('');
                reload();
              });
          }}
        >
          <label for="key-name">{words.keyName}</label>
          <input id="key-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <label class="choice">
            <input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.currentTarget.checked)} /> {words.readOnly}
          </label>
          <button type="submit" disabled={creation.busy}>
            {words.create}
          </button>
        </form>
        <ActionProblem action={creation} />
        {created && <ShownOnce label={words.theKey(created.name)} secret={created.key} onHide={() => setCreated(undefined)} />}
      </section>
      <Show loaded={loaded}>
        {(keys) =>
          keys.length > 0 && (
            <HeadedTable label={words.keysCaption} columns={words.keyColumns}>
              {keys.map((key) => (
                <tr key={key.id}>
                  <td>{key.name}</td>
                  <td>{key.actions.join(', ')}</td>
                  <td>{formatWhen(key.createdAt)}</td>
                  <td>{key.revokedAt ? words.revoked(formatWhen(key.revokedAt)) : words.inForce}</td>
                  <td>
                    {!key.revokedAt && (
                      <button type="button" disabled={revocation.busy} aria-label={words.revokeWhich(key.name)} onClick={() => revoke(key)}>
                        {words.revoke}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </HeadedTable>
          )
        }
      </Show>
      <ActionProblem action={revocation} onReload={reload} />
    </main>
  );
}
