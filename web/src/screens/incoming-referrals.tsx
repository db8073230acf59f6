import { useState } from 'preact/hooks';
import type { paths } from '../api/schema';
import { api } from '../api/client';
import { DueBy, PagedTable, ReferralStatus, useAgencyName, useLoad, usePages } from '../ui';
import { plain, status } from '../words';

type StatusFilter = NonNullable<paths['/referrals']['get']['parameters']['query']>['status'] | '';

/** The receiving agency's referrals: newest first, what each is for, when an answer is due; no personal data. */
export function IncomingReferrals() {
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
      <h1>Referrals to my agency</h1>
      <div class="toolbar">
        <label for="referral-filter">Show</label>
        <select
          id="referral-filter"
          value={filter}
          onChange={(e) => {
            setFilter(e.currentTarget.value as StatusFilter);
            restart();
          }}
        >
          <option value="">All referrals</option>
          <option value="requested">{status('requested')}</option>
          <option value="acknowledged">{status('acknowledged')}</option>
          <option value="accepted">{status('accepted')}</option>
          <option value="completed">{status('completed')}</option>
          <option value="declined">{status('declined')}</option>
          <option value="withdrawn">{status('withdrawn')}</option>
        </select>
      </div>
      <PagedTable
        loaded={loaded}
        caption="Referrals to your agency"
        columns={['From', 'Service', 'Urgency', 'Status', 'Answer due by']}
        empty="No referrals to show."
        Pager={Pager}
        row={(r) => (
          <tr key={r.referralId}>
            <td>
              <a href={`#/referrals/${r.caseId}/${r.referralId}`}>{agencyName(r.fromAgencyId)}</a>
            </td>
            <td>{plain(r.serviceType ?? r.purpose)}</td>
            <td>{plain(r.urgency)}</td>
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
