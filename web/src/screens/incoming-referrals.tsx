import type { paths } from '../api/schema';
import { api } from '../api/client';
import { DueBy, FilterByStatus, PagedTable, ReferralStatus, useAgencyName, usePagesByStatus } from '../ui';
import { useWords } from '../i18n';
import { REFERRALS } from '../messages/referrals';
import { referredFor, urgency } from '../words';

type Status = NonNullable<NonNullable<paths['/referrals']['get']['parameters']['query']>['status']>;

/** The receiving agency's referrals: newest first, what each is for, when an answer is due; no personal data. */
export function IncomingReferrals() {
  const w = useWords(REFERRALS);
  const agencyName = useAgencyName();
  const { filter, choose, loaded, Pager } = usePagesByStatus((narrowing: { status?: Status; cursor?: string }) =>
    api.GET('/referrals', { params: { query: { direction: 'incoming', limit: 20, ...narrowing } } }),
  );

  return (
    <main>
      <h1>{w.heading}</h1>
      <FilterByStatus
        id="referral-filter"
        label={w.show}
        all={w.all}
        statuses={['requested', 'acknowledged', 'accepted', 'completed', 'declined', 'withdrawn'] as const}
        value={filter}
        onChoose={choose}
      />
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
