import { useState } from 'preact/hooks';
import type { paths } from '../api/schema';
import { api } from '../api/client';
import { DueBy, PagedTable, ReferralStatus, useAgencyName, useLoad, usePages } from '../ui';
import { useWords } from '../i18n';
import { REFERRALS } from '../messages/referrals';
import { referredFor, status, urgency } from '../words';

type StatusFilter = NonNullable<paths['/referrals']['get']['parameters']['query']>['status'] | '';

/** The receiving agency's referrals: newest first, what each is for, when an answer is due; no personal data. */
export function IncomingReferrals() {
  const w = useWords(REFERRALS);
  const agencyName = useAgencyName();
  const [filter, setFilter] = useState<StatusFilter>('');
  const { cursor, restart, Pager } = usePages();
  const [loaded] = useLoad(
    () =>
      api.GET('/referrals', {
        params: { query: { direction: 'incoming', limit: 20, ...(filter ? { status: filter } : {}), ...(cursor ? { cursor } : {}) } },
      }),
    [filter, cursor],
  );

  return (
    <main>
      <h1>{w.heading}</h1>
      <div class="toolbar">
        <label for="referral-filter">{w.show}</label>
        <select
          id="referral-filter"
          value={filter}
          onChange={(e) => {
            setFilter(e.currentTarget.value as StatusFilter);
            restart();
          }}
        >
          <option value="">{w.all}</option>
          {(['requested', 'acknowledged', 'accepted', 'completed', 'declined', 'withdrawn'] as const).map((code) => (
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
        row={(r) => (
          <tr key={r.referralId}>
            <td>
              <a href={`#/referrals/${r.caseId}/${r.referralId}`}>{agencyName(r.fromAgencyId)}</a>
            </td>
            <td>{referredFor(r)}</td>
            <td>{urgency(r.urgency)}</td>
            <td>
              <ReferralStatus referral={r} />
            </td>
            <td>
              <DueBy referral={r} />
            </td>
          </tr>
        )}
      />
    </main>
  );
}
