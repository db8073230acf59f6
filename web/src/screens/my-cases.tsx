import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { Badge, PagedTable, ShortId, useLoad, usePages } from '../ui';
import { formatNumber, formatWhen, useWords } from '../i18n';
import { CASES } from '../messages/cases';
import { status } from '../words';

type StatusFilter = 'open' | 'paused' | 'closed' | '';

/** The caseworker's agency's own cases, most recently changed first, a page at a time; no personal data in the list. */
export function MyCases() {
  const w = useWords(CASES);
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
      <h1>{w.myCases}</h1>
      <div class="toolbar">
        <label for="status-filter">{w.show}</label>
        <select
          id="status-filter"
          value={filter}
          onChange={(e) => {
            setFilter(e.currentTarget.value as StatusFilter);
            restart();
          }}
        >
          <option value="">{w.allCases}</option>
          {(['open', 'paused', 'closed'] as const).map((code) => (
            <option key={code} value={code}>
              {status(code)}
            </option>
          ))}
        </select>
      </div>
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
