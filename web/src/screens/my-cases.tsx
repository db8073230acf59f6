import { api } from '../api/client';
import { Badge, FilterByStatus, PagedTable, ShortId, usePagesByStatus } from '../ui';
import { formatNumber, formatWhen, useWords } from '../i18n';
import { CASES } from '../messages/cases';
import { status } from '../words';

type CaseStatus = 'open' | 'paused' | 'closed';

/** The caseworker's agency's own cases, most recently changed first, a page at a time; no personal data in the list. */
export function MyCases() {
  const w = useWords(CASES);
  const { filter, choose, loaded, Pager } = usePagesByStatus((narrowing: { status?: CaseStatus; cursor?: string }) =>
    api.GET('/cases', { params: { query: { relation: 'owner', limit: 20, ...narrowing } } }),
  );

  return (
    <main>
      <h1>{w.myCases}</h1>
      <FilterByStatus
        id="status-filter"
        label={w.show}
        all={w.allCases}
        statuses={['open', 'paused', 'closed'] as const}
        value={filter}
        onChoose={choose}
      />
      <PagedTable
        loaded={loaded}
        caption={w.caption}
        columns={Object.values(w.columns)}
        empty={w.none}
        Pager={Pager}
        row={(c) => (
          <tr key={c.caseId}>
            <td>
              <a href={`#/cases/${c.caseId}`}>
                {w.case} <ShortId id={c.caseId} />
              </a>
            </td>
            <td>{c.status === 'paused' ? <Badge tone="warn">{status(c.status)}</Badge> : status(c.status)}</td>
            <td>{formatWhen(c.openedAt)}</td>
            <td>{formatWhen(c.updatedAt)}</td>
            <td>{formatNumber(c.openReferrals ?? 0)}</td>
          </tr>
        )}
      />
    </main>
  );
}
