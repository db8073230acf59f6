import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { ActionProblem, useAction } from '../action';
import { useWords } from '../i18n';
import { ADMIN } from '../messages/admin';
import { ROLES, inWords } from '../messages/vocabulary';
import { session } from '../session';
import { Show, HeadedTable, useLoad } from '../ui';
import { ShownOnce } from './shown-once';

interface User {
  id: string;
  username: string;
  displayName: string;
  role: string;
  active: boolean;
}

/** The roles an agency admin gives its staff (src/identity/administration.ts AGENCY_STAFF_ROLES). */
const STAFF_ROLES = ['frontline_worker', 'caseworker', 'supervisor', 'agency_admin'] as const;

/** The agency admin's users: the list, adding one (its initial password shown once), deactivating one. */
export function AgencyUsers() {
  const words = useWords(ADMIN);
  const roles = useWords(ROLES);
  const [loaded, reload] = useLoad<User[]>(() => api.GET('/agency/users'), []);
  const deactivation = useAction();
  const deactivate = (user: User) =>
    void deactivation
      .run((key) =>
        call(() =>
          api.POST('/agency/users/{userId}/deactivation', { params: { path: { userId: user.id } }, headers: { 'Idempotency-Key': key } }),
        ),
      )
      .then((done) => done && reload());
  return (
    <main>
      <h1>{words.usersTitle}</h1>
      <AddUser onAdded={reload} />
      <Show loaded={loaded}>
        {(users) => (
          <HeadedTable label={words.usersCaption} columns={words.userColumns}>
            {users.map((user) => (
              <tr key={user.id} data-username={user.username}>
                <td>{user.username}</td>
                <td>{user.displayName}</td>
                <td>{inWords(roles, user.role)}</td>
                <td>{user.active ? words.active : words.inactive}</td>
                <td>
                  {user.id === session()?.userId
                    ? words.you
                    : user.active && (
                        <button
                          type="button"
                          disabled={deactivation.busy}
                          aria-label={words.deactivateWho(user.username)}
                          onClick={() => deactivate(user)}
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
      <ActionProblem action={deactivation} onReload={reload} />
    </main>
  );
}

function AddUser({ onAdded }: { onAdded: () => void }) {
  const words = useWords(ADMIN);
  const roles = useWords(ROLES);
  const action = useAction();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<(typeof STAFF_ROLES)[number]>('caseworker');
  const [created, setCreated] = useState<{ username: string; initialPassword: string }>();
  return (
    <section aria-labelledby="add-user">
      <h2 id="add-user">{words.addUser}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void action
            .run<{ username: string; initialPassword: string }>((key) =>
              call<{ username: string; initialPassword: string }>(() =>
                api.POST('/agency/users', { body: { username, displayName, role }, headers: { 'Idempotency-Key': key } }),
              ),
            )
            .then((done) => {
              if (!done) return;
              setCreated(done.data);
              setUsername('');
              setDisplayName('');
              onAdded();
            });
        }}
      >
        <label for="new-username">{words.username}</label>
        <input
          id="new-username"
          required
          aria-describedby="new-username-hint"
          value={username}
          onInput={(e) => setUsername(e.currentTarget.value)}
        />
        <p id="new-username-hint" class="hint">
          {words.usernameHint}
        </p>
        <label for="new-display-name">{words.displayName}</label>
        <input id="new-display-name" required value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />
        <label for="new-role">{words.role}</label>
        <select id="new-role" value={role} onChange={(e) => setRole(e.currentTarget.value as typeof role)}>
          {STAFF_ROLES.map((r) => (
            <option key={r} value={r}>
              {inWords(roles, r)}
            </option>
          ))}
        </select>
        <button type="submit" disabled={action.busy}>
          {words.add}
        </button>
      </form>
      <ActionProblem action={action} />
      {created && (
        <ShownOnce label={words.initialPassword(created.username)} secret={created.initialPassword} onHide={() => setCreated(undefined)} />
      )}
    </section>
  );
}
