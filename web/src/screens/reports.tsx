import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { type Bar, BarChart } from '../chart';
import { formatDay, formatNumber, useWords } from '../i18n';
import { REPORTS } from '../messages/reports';
import { DECLINE_REASONS, SERVICE_TYPES, inWords } from '../messages/vocabulary';
import { Show, TableScroll, useLoad } from '../ui';

/** The report bodies as src/reports/reports.service.ts answers them; a null count is suppressed. */
type Count = number | null;
interface ReferralReport {
  period: { from: string; to: string };
  rows: Array<{
    serviceType: string | null;
    area: string | null;
    counts: Record<'requested' | 'accepted' | 'declined' | 'completed' | 'withdrawn' | 'open' | 'overdue', Count>;
    hoursToFirstResponse: { median: Count } | null;
    hoursToDecision: { median: Count } | null;
    suppressed: boolean;
  }>;
}
interface DeclineReport {
  byReason: Array<{ reason: string; count: Count }>;
}
interface OverdueReport {
  rows: Array<{ agency: { id: string; name: string | null }; serviceType: string | null; overdue: number }>;
}

/** The coordinator's reports as charts, each with its table: volumes and response times by service type and area, declines by reason, overdue by agency. */
export function Reports() {
  const words = useWords(REPORTS);
  const services = useWords(SERVICE_TYPES);
  const reasons = useWords(DECLINE_REASONS);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [period, setPeriod] = useState<{ from?: string; to?: string }>({});
  const query = { params: { query: period } };
  const [referrals] = useLoad<ReferralReport>(() => api.GET('/reports/referrals', query), [period]);
  const [declines] = useLoad<DeclineReport>(() => api.GET('/reports/declines', query), [period]);
  const [overdue] = useLoad<OverdueReport>(() => api.GET('/reports/overdue-referrals'), []);
  const where = (row: { serviceType: string | null; area: string | null }) =>
    `${inWords(services, row.serviceType, words.noServiceType)}, ${row.area ?? words.noArea}`;
  // A time is suppressed when its cell is; a cell with no answer yet has none to show.
  const time = (row: ReferralReport['rows'][number], t: { median: Count } | null): string =>
    t?.median != null ? formatNumber(t.median) : row.suppressed ? words.suppressed : '–';
  const cell = (value: Count) => (
    <td class={value === null ? 'suppressed' : undefined}>{value === null ? words.suppressed : formatNumber(value)}</td>
  );

  return (
    <main>
      <h1>{words.title}</h1>
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setPeriod({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
        }}
      >
        <label for="report-from">{words.from}</label>
        <input id="report-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        <label for="report-to">{words.to}</label>
        <input id="report-to" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        <button type="submit">{words.show}</button>
      </form>
      <p>{words.suppressionNote}</p>
      <Show loaded={referrals}>
        {(report) => {
          const volumes: Bar[] = report.rows.map((row) => ({ label: where(row), value: row.counts.requested }));
          const times: Bar[] = report.rows
            .filter((row) => row.hoursToFirstResponse !== null || row.suppressed)
            .map((row) => ({ label: where(row), value: row.hoursToFirstResponse?.median ?? null }));
          return (
            <section aria-labelledby="volumes-heading">
              <h2 id="volumes-heading">{words.volumes}</h2>
              <p>{words.period(formatDay(report.period.from), formatDay(report.period.to))}</p>
              <BarChart id="volumes" title={words.volumes} valueHeading={words.requested} bars={volumes} />
              <BarChart id="response-times" title={words.responseTimes} valueHeading={words.hours} bars={times} />
              {report.rows.length > 0 && (
                <TableScroll label={words.volumesTable}>
                  <table>
                    <caption>{words.volumesTable}</caption>
                    <thead>
                      <tr>
                        {words.columns.map((c) => (
                          <th scope="col" key={c}>
                            {c}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {report.rows.map((row) => (
                        <tr key={where(row)}>
                          <td>{inWords(services, row.serviceType, words.noServiceType)}</td>
                          <td>{row.area ?? words.noArea}</td>
                          {cell(row.counts.requested)}
                          {cell(row.counts.accepted)}
                          {cell(row.counts.declined)}
                          {cell(row.counts.completed)}
                          {cell(row.counts.overdue)}
                          <td>{time(row, row.hoursToFirstResponse)}</td>
                          <td>{time(row, row.hoursToDecision)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
              )}
            </section>
          );
        }}
      </Show>
      <section aria-labelledby="declines-heading">
        <h2 id="declines-heading">{words.declinesByReason}</h2>
        <Show loaded={declines}>
          {(report) => (
            <BarChart
              id="declines"
              title={words.declinesByReason}
              valueHeading={words.declines}
              bars={report.byReason.map((r) => ({ label: inWords(reasons, r.reason), value: r.count }))}
            />
          )}
        </Show>
      </section>
      <section aria-labelledby="overdue-heading">
        <h2 id="overdue-heading">{words.overdueByAgency}</h2>
        <Show loaded={overdue}>
          {(report) => (
            <BarChart
              id="overdue"
              title={words.overdueByAgency}
              valueHeading={words.overdue}
              bars={report.rows.map((r) => ({
                label: `${r.agency.name ?? words.unknownAgency}, ${inWords(services, r.serviceType, words.noServiceType)}`,
                value: r.overdue,
              }))}
            />
          )}
        </Show>
      </section>
    </main>
  );
}
