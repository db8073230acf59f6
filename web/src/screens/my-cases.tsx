import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { Badge, Show, ShortId, useLoad, usePages } from '../ui';
import { status, when } from '../words';

type StatusFilter = 'open' | 'paused' | 'closed' | '';

/** The caseworker's agency's own cases, most recently changed first, a page at a time; no personal data in the list. */
export function MyCases() {
  const [filter, setFilter] = useState<StatusFilter>('');
  const { cursor, restart, Pager } = usePages();
  const [loaded] = useLoad(
    () =>
      api.GET('/cases', {
        params: { query: { relation: 'owner', limit: 20, ...(filter ? { status: filter } : {}), ...(cursor ? { cursor } : {}) } },
      }),
    [filter, cursor],
  );

  return (
    <main>
      <h1>My cases</h1>
      <div class="toolbar">
        <label for="status-filter">Show</label>
        <select
          id="status-filter"
          value={filter}
          onChange={(e) => {
            setFilter(e.currentTarget.value as StatusFilter);
            restart();
          }}
        >
          <option value="">All cases</option>
          <option value="open">Open</option>
          <option value="paused">Paused</option>
          <option value="closed">Closed</option>
        </select>
      </div>
      <Show loaded={loaded}>
        {(page) => (
          <>
            {page.items.length === 0 ? (
              <p>No cases to show.</p>
            ) : (
              <table>
                <caption class="visually-hidden">Cases of your agency</caption>
                <thead>
                  <tr>
                    <th scope="col">Case</th>
                    <th scope="col">Status</th>
                    <th scope="col">Opened</th>
                    <th scope="col">Last change</th>
                    <th scope="col">Open referrals</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((c) => (
                    <tr key={c.caseId}>
                      <td>
                        <a href={`#/cases/${c.caseId}`}>
                          Case <ShortId id={c.caseId} />
                        </a>
                      </td>
                      <td>{c.status === 'paused' ? <Badge tone="warn">{status(c.status)}</Badge> : status(c.status)}</td>
                      <td>{when(c.openedAt)}</td>
                      <td>{when(c.updatedAt)}</td>
                      <td>{c.openReferrals ?? 0}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <Pager next={page.nextCursor} />
          </>
        )}
      </Show>
    </main>
  );
}
