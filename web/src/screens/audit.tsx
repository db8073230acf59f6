import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { ActionProblem, useAction } from '../action';
import { formatWhen, useWords } from '../i18n';
import { AUDIT } from '../messages/audit';
import { PagedTable, ShortId, useAgencyName, useLoad, usePages } from '../ui';
import { category } from '../words';
import { AuditChain } from './audit-chain';

type Log = 'consent-trail' | 'access-log';
interface Filters {
  caseId?: string;
  agencyId?: string;
  userId?: string;
  from?: string;
  to?: string;
}
interface TrailRecord {
  caseId: string;
  revision: number;
  type: string;
  occurredAt: string;
  actorUserId: string;
  actorAgencyId: string;
  details: unknown;
}
interface AccessRecord {
  accessedAt: string;
  userId: string;
  agencyId: string;
  caseId: string;
  categories: string[];
  legalBasis: unknown;
}

/** A datetime-local value (the browser's time zone) as RFC 3339 with an offset, as the API filters. */
const instant = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);

/** The auditor's screen: the chain's verification, then the consent trail or access log filtered by case, agency, user and period, and its CSV. */
export function Audit() {
  const words = useWords(AUDIT);
  const agencyName = useAgencyName();
  const [log, setLog] = useState<Log>('consent-trail');
  const [draft, setDraft] = useState({ caseId: '', agencyId: '', userId: '', from: '', to: '' });
  const [filters, setFilters] = useState<Filters>({});
  const { cursor, restart, Pager } = usePages();
  const [agencies] = useLoad<Array<{ id: string; name: string }>>(() => api.GET('/directory/agencies'), []);
  const query = (extra: object) => ({ params: { query: { ...filters, ...extra } } });
  const [records] = useLoad<{ items: Array<TrailRecord | AccessRecord>; nextCursor?: string }>(
    () =>
      log === 'consent-trail'
        ? api.GET('/audit/consent-trail', query({ limit: 50, cursor }))
        : api.GET('/audit/access-log', query({ limit: 50, cursor })),
    [log, filters, cursor],
  );
  const download = useAction();
  const [downloaded, setDownloaded] = useState<string>();
  const set = (field: keyof typeof draft) => (e: { currentTarget: HTMLInputElement | HTMLSelectElement }) =>
    setDraft({ ...draft, [field]: e.currentTarget.value });

  const downloadCsv = () =>
    void download
      .run<string>(() =>
        call(() =>
          log === 'consent-trail'
            ? api.GET('/audit/consent-trail', { ...query({ format: 'csv' }), parseAs: 'text' })
            : api.GET('/audit/access-log', { ...query({ format: 'csv' }), parseAs: 'text' }),
        ),
      )
      .then((done) => {
        if (!done) return;
        // Saved through a link to the text in memory: the file goes to the user's downloads, nothing to browser storage.
        const name = `${log}.csv`;
        const link = document.createElement('a');
        link.href = URL.createObjectURL(new Blob([done.data], { type: 'text/csv' }));
        link.download = name;
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
        setDownloaded(name);
      });

  return (
    <main>
      <h1>{words.title}</h1>
      <AuditChain />
      <section aria-labelledby="records">
        <h2 id="records">{words.recordsTitle}</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const entries = Object.entries({ ...draft, from: instant(draft.from), to: instant(draft.to) }).filter(([, v]) => v);
            setFilters(Object.fromEntries(entries));
            restart();
          }}
        >
          <label for="audit-log">{words.which}</label>
          <select
            id="audit-log"
            value={log}
            onChange={(e) => {
              setLog(e.currentTarget.value as Log);
              restart();
            }}
          >
            <option value="consent-trail">{words.consentTrail}</option>
            <option value="access-log">{words.accessLog}</option>
          </select>
          <fieldset>
            <legend>{words.filters}</legend>
            <label for="audit-case">{words.caseId}</label>
            <input id="audit-case" value={draft.caseId} onInput={set('caseId')} />
            <label for="audit-agency">{words.agency}</label>
            <select id="audit-agency" value={draft.agencyId} onChange={set('agencyId')}>
              <option value="">{words.anyAgency}</option>
              {agencies.state === 'ready' &&
                agencies.data.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
            </select>
            <label for="audit-user">{words.userId}</label>
            <input id="audit-user" value={draft.userId} onInput={set('userId')} />
            <label for="audit-from">{words.from}</label>
            <input id="audit-from" type="datetime-local" value={draft.from} onInput={set('from')} />
            <label for="audit-to">{words.to}</label>
            <input id="audit-to" type="datetime-local" value={draft.to} onInput={set('to')} />
          </fieldset>
          <div class="actions">
            <button type="submit">{words.apply}</button>
            <button type="button" disabled={download.busy} onClick={downloadCsv}>
              {words.download}
            </button>
          </div>
        </form>
        <ActionProblem action={download} />
        {downloaded && <p role="status">{words.downloaded(downloaded)}</p>}
        <PagedTable
          loaded={records}
          caption={log === 'consent-trail' ? words.trailCaption : words.accessCaption}
          columns={log === 'consent-trail' ? words.trailColumns : words.accessColumns}
          empty={words.empty}
          Pager={Pager}
          row={(record) =>
            'occurredAt' in record ? (
              <tr key={`${record.caseId}-${record.revision}`}>
                <td>{formatWhen(record.occurredAt)}</td>
                <td>{record.type}</td>
                <td>
                  <ShortId id={record.caseId} />
                </td>
                <td>{record.actorUserId}</td>
                <td>{agencyName(record.actorAgencyId)}</td>
                <td>
                  <code>{JSON.stringify(record.details)}</code>
                </td>
              </tr>
            ) : (
              <tr key={`${record.caseId}-${record.accessedAt}-${record.userId}`}>
                <td>{formatWhen(record.accessedAt)}</td>
                <td>{record.userId}</td>
                <td>{agencyName(record.agencyId)}</td>
                <td>
                  <ShortId id={record.caseId} />
                </td>
                <td>{record.categories.map(category).join(', ')}</td>
                <td>
                  <code>{JSON.stringify(record.legalBasis)}</code>
                </td>
              </tr>
            )
          }
        />
      </section>
    </main>
  );
}
