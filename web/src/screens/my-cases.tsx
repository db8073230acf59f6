import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { Badge, PagedTable, ShortId, useLoad, usePages } from '../ui';
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
      <PagedTable
        loaded={loaded}
        caption="Cases of your agency"
        columns={['Case', 'Status', 'Opened', 'Last change', 'Open referrals']}
        empty="No cases to show."
        Pager={Pager}
        row={(c) => (
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
        )}
      />
    </main>
  );
}
